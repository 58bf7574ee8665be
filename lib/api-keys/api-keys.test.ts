import { and, eq, sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeys, auditEvents } from '@/db/schema';
import { queryRows } from '@/db';
import { setupTestDb } from '@/db/testing';
import { API_KEY_SCOPES, PERMISSIONS } from '@/lib/auth/permissions';
import { route } from '@/lib/http';
import { recordOrderEvent } from '@/lib/intake/order-events';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { runApiKeyCreate } from './cli';
import { apiKeyScopeChoices } from './scopes';
import { authenticateApiKey, createApiKey, issueApiKey, listApiKeys, ORDER_EVENTS_SCOPE, revokeApiKey } from './index';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string; message?: string; fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number }) => error,
  );
const admin = async () => ctxFor(await createStaff(handle.db, { role: 'admin' }));
const auditOf = (action: string, id: number) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, String(id))));
const keyCount = async () => (await handle.db.select({ id: apiKeys.id }).from(apiKeys)).length;
const bearer = (plaintext: string) => `Bearer ${plaintext}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Sets the rate limit for one test (read from the environment on every request). */
function withLimit(perSecond: string, burst: string) {
  process.env.API_RATE_LIMIT_PER_SECOND = perSecond;
  process.env.API_RATE_LIMIT_BURST = burst;
}
afterEach(() => {
  delete process.env.API_RATE_LIMIT_PER_SECOND;
  delete process.env.API_RATE_LIMIT_BURST;
});

describe('the scopes admins choose from', () => {
  it('are the permission table’s, each with the labels of what it grants', () => {
    const choices = apiKeyScopeChoices();
    expect(choices.map((c) => c.scope)).toEqual([...API_KEY_SCOPES]);
    const orderEvents = choices.find((c) => c.scope === ORDER_EVENTS_SCOPE)!;
    expect(orderEvents.grants).toContain(PERMISSIONS['orders.events.write'].label);
  });
});

describe('issueApiKey', () => {
  it('makes a key for an admin, shown once, with its expiry, and audits it with the admin as actor', async () => {
    const ctx = await admin();
    const key = await issueApiKey(ctx, { name: ' panel ', scopes: [ORDER_EVENTS_SCOPE], expiresAt: inDays(30) });
    expect(key).toMatchObject({ name: 'panel', scopes: [ORDER_EVENTS_SCOPE] });
    expect(key.plaintext).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
    expect(key.expiresAt!.toISOString()).toBe(`${inDays(30)}T00:00:00.000Z`);
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.createdBy).toBe((ctx as { userId: number }).userId);
    expect(JSON.stringify(row)).not.toContain(key.plaintext);
    const [audit] = await auditOf('api_key.created', key.id);
    expect(audit).toMatchObject({ actorId: row!.createdBy, after: { name: 'panel', prefix: key.prefix, scopes: [ORDER_EVENTS_SCOPE] } });
    expect(JSON.stringify(audit)).not.toContain(key.plaintext);
    await expect(authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write')).resolves.toMatchObject({ apiKeyId: key.id });
  });

  it('refuses agents, supervisors and API keys inside the function, writing nothing', async () => {
    const panel = await createApiKey(handle.db, { name: 'panel-refused', scopes: [ORDER_EVENTS_SCOPE] });
    const keyCtx = await authenticateApiKey(handle.db, bearer(panel.plaintext), 'orders.events.write');
    const before = await keyCount();
    for (const ctx of [
      ctxFor(await createStaff(handle.db, { role: 'agent' })),
      ctxFor(await createStaff(handle.db, { role: 'supervisor' })),
      keyCtx,
    ]) {
      expect(await failure(issueApiKey(ctx, { name: 'sneaky', scopes: [ORDER_EVENTS_SCOPE] }))).toMatchObject({ code: 'forbidden' });
      expect(await failure(listApiKeys(ctx))).toMatchObject({ code: 'forbidden' });
      expect(await failure(revokeApiKey(ctx, { apiKeyId: panel.id }))).toMatchObject({ code: 'forbidden' });
    }
    expect(await keyCount()).toBe(before);
    const [row] = await handle.db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, panel.id));
    expect(row!.revokedAt).toBeNull();
  });

  it('refuses bad input naming the field: unknown scopes, no scope, no name, a past or unreadable expiry', async () => {
    const ctx = await admin();
    const before = await keyCount();
    const cases: [unknown, string, RegExp][] = [
      [{ name: 'p', scopes: ['order-events', 'everything', 'root'] }, 'scopes', /Unknown scopes "everything", "root": use/],
      [{ name: 'p', scopes: [] }, 'scopes', /at least one scope/],
      [{ name: 'p', scopes: '' }, 'scopes', /at least one scope/],
      [{ name: '  ', scopes: ['order-events'] }, 'name', /name/],
      [{ name: 'x'.repeat(101), scopes: ['order-events'] }, 'name', /at most 100/],
      [{ name: 'p', scopes: ['order-events'], expiresAt: '2020-01-01' }, 'expiresAt', /in the past/],
      [{ name: 'p', scopes: ['order-events'], expiresAt: 'next tuesday' }, 'expiresAt', /YYYY-MM-DD/],
      [{ name: 'p', scopes: [42] }, 'scopes', /./],
    ];
    for (const [input, field, message] of cases) {
      const error = await failure(issueApiKey(ctx, input));
      expect(error, JSON.stringify(input)).toMatchObject({ code: 'invalid' });
      const messages = Object.entries(error!.fieldErrors ?? {})
        .filter(([name]) => name === field || name.startsWith(`${field}.`))
        .flatMap(([, m]) => m);
      expect(messages.join(' '), JSON.stringify(input)).toMatch(message);
    }
    expect(await keyCount()).toBe(before);
  });
});

describe('listApiKeys', () => {
  it('shows prefix, scopes, creator, last use, today’s requests, expiry and status — never the hash', async () => {
    const ctx = await admin();
    const key = await issueApiKey(ctx, { name: 'listed', scopes: ORDER_EVENTS_SCOPE, expiresAt: inDays(10) });
    for (let i = 0; i < 3; i += 1) await authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write');
    const listed = (await listApiKeys(ctx)).find((k) => k.id === key.id)!;
    expect(listed).toMatchObject({
      name: 'listed',
      prefix: key.prefix,
      scopes: [ORDER_EVENTS_SCOPE],
      createdBy: { id: (ctx as { userId: number }).userId },
      requestsToday: 3,
      refusedToday: 0,
      status: 'active',
      revokedAt: null,
    });
    expect(listed.lastUsedAt).toBeInstanceOf(Date);
    expect(listed.createdAt).toBeInstanceOf(Date);
    expect(listed.expiresAt!.toISOString()).toBe(`${inDays(10)}T00:00:00.000Z`);
    expect(Object.keys(listed)).not.toContain('keyHash');
    const unused = await createApiKey(handle.db, { name: 'unused', scopes: [ORDER_EVENTS_SCOPE] });
    expect((await listApiKeys(ctx)).find((k) => k.id === unused.id)).toMatchObject({ createdBy: null, lastUsedAt: null, requestsToday: 0 });
  });
});

describe('revokeApiKey', () => {
  it('refuses the key from its next request (401), audits it, and refuses a second revoke and an unknown key', async () => {
    const ctx = await admin();
    const key = await issueApiKey(ctx, { name: 'to-revoke', scopes: [ORDER_EVENTS_SCOPE] });
    const keyCtx = await authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write');
    const revoked = await revokeApiKey(ctx, { apiKeyId: key.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await failure(authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write'))).toMatchObject({
      code: 'unauthenticated',
      message: 'The API key is unknown or has been revoked.',
    });
    // A context taken before the revoke is refused by the core function itself.
    const { order } = await createOrderTicket(handle.db);
    expect(
      await failure(
        recordOrderEvent(keyCtx, { orderNumber: order.externalId, kind: 'drop_noticed', at: new Date().toISOString(), data: {} }),
      ),
    ).toMatchObject({ code: 'unauthenticated' });
    const [audit] = await auditOf('api_key.revoked', key.id);
    expect(audit).toMatchObject({ before: { name: 'to-revoke', revoked: false }, after: { revoked: true } });
    expect(await failure(revokeApiKey(ctx, { apiKeyId: key.id }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already revoked/),
    });
    expect(await failure(revokeApiKey(ctx, { apiKeyId: 999_999 }))).toMatchObject({ code: 'not_found' });
    expect(await failure(revokeApiKey(ctx, { apiKeyId: 'x' }))).toMatchObject({ code: 'invalid' });
    expect((await listApiKeys(ctx)).find((k) => k.id === key.id)).toMatchObject({ status: 'revoked' });
    expect(await auditOf('api_key.revoked', key.id)).toHaveLength(1);
  });
});

describe('an expired key', () => {
  it('is refused with its own sentence, at the door and inside the core function', async () => {
    const ctx = await admin();
    const key = await issueApiKey(ctx, { name: 'expiring', scopes: [ORDER_EVENTS_SCOPE], expiresAt: inDays(1) });
    const keyCtx = await authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write');
    await handle.db
      .update(apiKeys)
      .set({ expiresAt: new Date('2026-01-02T00:00:00Z') })
      .where(eq(apiKeys.id, key.id));
    const expired = 'The API key expired on 02 Jan 2026, 00:00 UTC; ask an admin for a new key.';
    expect(await failure(authenticateApiKey(handle.db, bearer(key.plaintext), 'orders.events.write'))).toMatchObject({
      code: 'unauthenticated',
      message: expired,
    });
    const { order } = await createOrderTicket(handle.db);
    expect(
      await failure(
        recordOrderEvent(keyCtx, { orderNumber: order.externalId, kind: 'drop_noticed', at: new Date().toISOString(), data: {} }),
      ),
    ).toMatchObject({ code: 'unauthenticated', message: expired });
    expect((await listApiKeys(ctx)).find((k) => k.id === key.id)).toMatchObject({ status: 'expired' });
  });
});

describe('the rate limit', () => {
  const ping = route({ auth: { apiKey: 'orders.events.write' } }, async ({ ctx }) => ({ ok: ctx.kind }));
  const call = (plaintext: string) =>
    ping(new NextRequest('http://localhost/api/v1/ping', { headers: { authorization: bearer(plaintext) } }), {
      params: Promise.resolve({}),
    });

  it('lets a burst through, then answers 429 problem+json with Retry-After; refused requests are counted apart', async () => {
    // A rate this slow refills nothing while the test runs: the burst alone decides.
    withLimit('0.001', '3');
    const key = await createApiKey(handle.db, { name: 'bursty', scopes: [ORDER_EVENTS_SCOPE] });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(key.plaintext)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await call(key.plaintext);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      status: 429,
      code: 'rate_limited',
      detail: expect.stringMatching(/bursty.*try again in \d+ s/),
    });
    const listed = (await listApiKeys(await admin())).find((k) => k.id === key.id)!;
    expect(listed).toMatchObject({ requestsToday: 3, refusedToday: 1 });
    // Another key has its own bucket.
    const other = await createApiKey(handle.db, { name: 'calm', scopes: [ORDER_EVENTS_SCOPE] });
    expect((await call(other.plaintext)).status).toBe(200);
  });

  it('is off with API_RATE_LIMIT_PER_SECOND=0 (requests still counted), and a bad value is named', async () => {
    withLimit('0', '1');
    const key = await createApiKey(handle.db, { name: 'unlimited', scopes: [ORDER_EVENTS_SCOPE] });
    for (let i = 0; i < 5; i += 1) expect((await call(key.plaintext)).status).toBe(200);
    expect((await listApiKeys(await admin())).find((k) => k.id === key.id)).toMatchObject({ requestsToday: 5 });
    withLimit('fast', '1');
    const { readApiRateLimit } = await import('@/lib/config');
    expect(() => readApiRateLimit()).toThrow(/API_RATE_LIMIT_PER_SECOND is not valid/);
    expect(readApiRateLimit({})).toEqual({ perSecond: 50, burst: 100 });
    expect(readApiRateLimit({ API_RATE_LIMIT_PER_SECOND: '200' })).toEqual({ perSecond: 200, burst: 400 });
  });

  it('keeps a caller’s own transaction durable (its commit is never made asynchronous)', async () => {
    const key = await createApiKey(handle.db, { name: 'in-transaction', scopes: [ORDER_EVENTS_SCOPE] });
    const setting = await handle.db.transaction(async (tx) => {
      await authenticateApiKey(tx, bearer(key.plaintext), 'orders.events.write');
      return queryRows<{ synchronous_commit: string }>(tx, sql`show synchronous_commit`);
    });
    expect(setting[0]!.synchronous_commit).toBe('on');
  });

  it('answers 401 for a revoked key on the next request through the route', async () => {
    const ctx = await admin();
    const key = await issueApiKey(ctx, { name: 'route-revoked', scopes: [ORDER_EVENTS_SCOPE] });
    expect((await call(key.plaintext)).status).toBe(200);
    await revokeApiKey(ctx, { apiKeyId: key.id });
    const response = await call(key.plaintext);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('npm run apikey:create (its core)', () => {
  const capture = () => {
    const lines: { log: string[]; error: string[] } = { log: [], error: [] };
    return { lines, out: { log: (l: string) => lines.log.push(l), error: (l: string) => lines.error.push(l) } };
  };

  it('prints a working key, audited as the command line', async () => {
    const { lines, out } = capture();
    expect(await runApiKeyCreate(['--name', 'panel-cli', '--scopes', `${ORDER_EVENTS_SCOPE}`, '--expires', inDays(365)], out)).toBe(0);
    const plaintext = lines.log.find((l) => l.startsWith('rdk_'))!;
    expect(lines.log.join('\n')).toMatch(/shown only now/);
    const keyCtx = await authenticateApiKey(handle.db, bearer(plaintext), 'orders.events.write');
    const [audit] = await auditOf('api_key.created', keyCtx.apiKeyId);
    expect(audit).toMatchObject({ actorLabel: 'system:cli:apikey:create', after: { name: 'panel-cli' } });
  });

  it('refuses unknown scopes with a sentence naming them, and wrong arguments with the usage', async () => {
    const before = await keyCount();
    let { lines, out } = capture();
    expect(await runApiKeyCreate(['--name', 'panel', '--scopes', 'order-events,intake:everything'], out)).toBe(1);
    expect(lines.error.join('\n')).toMatch(/Unknown scope "intake:everything": use/);
    ({ lines, out } = capture());
    expect(await runApiKeyCreate(['--name', 'panel', '--scopes', 'order-events', '--expires', '1999-12-31'], out)).toBe(1);
    expect(lines.error.join('\n')).toMatch(/expiry is in the past/);
    ({ lines, out } = capture());
    expect(await runApiKeyCreate(['--name', 'panel'], out)).toBe(2);
    expect(lines.error.join('\n')).toMatch(/Usage: npm run apikey:create/);
    ({ lines, out } = capture());
    expect(await runApiKeyCreate(['--name', 'panel', '--scope', 'order-events'], out)).toBe(2);
    expect(lines.error.join('\n')).toMatch(/Unknown option '--scope'/);
    expect(await keyCount()).toBe(before);
  });
});

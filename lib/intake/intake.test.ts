import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, auditEvents, orderEventKind, orderEvents, orders, ticketFindings, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { ORDER_EVENT_KINDS } from '@/lib/validation/intake';
import { authenticateApiKey, createApiKey, ORDER_EVENTS_SCOPE } from './api-keys';
import type { ApiKeyCtx } from '@/lib/auth/actor';
import { recordOrderEvent } from './order-events';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
let n = 0;
const newKey = (scopes: string[] = [ORDER_EVENTS_SCOPE]) => createApiKey(handle.db, { name: `panel-${(n += 1)}-${Date.now()}`, scopes });
const keyNames = new Map<number, string>();
async function panelCtx(): Promise<ApiKeyCtx> {
  const key = await newKey();
  keyNames.set(key.id, key.name);
  return authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'orders.events.write', {
    via: 'api',
    ip: '198.51.100.9',
    userAgent: 'panel/1',
  });
}
const ticketRow = async (id: number) => (await handle.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
const orderRow = async (id: number) => (await handle.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const eventsOf = (orderId: number) => handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id);
const iso = (msAgo = 0) => new Date(Date.now() - msAgo).toISOString();

describe('API keys', () => {
  it('returns the plaintext once and stores only its SHA-256, audited', async () => {
    const key = await newKey();
    expect(key.plaintext).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.plaintext.slice(0, 12));
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.keyHash).toBe(createHash('sha256').update(key.plaintext).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key.plaintext);
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'api_key.created'), eq(auditEvents.entityId, String(key.id))));
    expect(audit).toMatchObject({ actorLabel: 'system', after: { name: key.name, prefix: key.prefix, scopes: [ORDER_EVENTS_SCOPE] } });
    expect(JSON.stringify(audit)).not.toContain(key.plaintext);
  });

  it('authenticates a valid key and notes its use; refuses missing, unknown and revoked keys (401) and a missing scope (403)', async () => {
    const key = await newKey();
    await expect(authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'orders.events.write')).resolves.toMatchObject({
      kind: 'api_key',
      apiKeyId: key.id,
    });
    const [used] = await handle.db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(used!.lastUsedAt).toBeInstanceOf(Date);
    for (const header of [null, '', key.plaintext, `Basic ${key.plaintext}`, 'Bearer rdk_unknown', `Bearer ${key.plaintext}x`]) {
      expect(await failure(authenticateApiKey(handle.db, header, 'orders.events.write'))).toMatchObject({ code: 'unauthenticated' });
    }
    expect(await failure(authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'tickets.read'))).toMatchObject({ code: 'forbidden' });
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    expect(await failure(authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'orders.events.write'))).toMatchObject({
      code: 'unauthenticated',
    });
  });
});

describe('recordOrderEvent', () => {
  it('records the event, updates the order, re-suggests its tickets and audits, in one go', async () => {
    const ctx = await panelCtx();
    const { order, ticket } = await createOrderTicket(handle.db, {
      ticket: { claim: 'partial_delivery' },
      order: { status: 'partial', delivered: 0, quantity: 1000, charge: '12.50' },
    });
    // Verified: the provider's fault, nothing the customer did. Partial with nothing delivered → reprocess.
    await handle.db.insert(ticketFindings).values({
      ticketId: ticket.id,
      linkValid: true,
      targetPublic: true,
      targetUnchanged: true,
      duplicateOrderSameTarget: false,
      otherProvidersUsed: false,
      platformAction: false,
      companyFault: true,
    });
    await handle.db.transaction((tx) => refreshSuggestion(tx, ticket.id));
    const before = await ticketRow(ticket.id);
    expect(before).toMatchObject({ suggestedOutcome: 'reprocess', suggestedAmount: null });
    const result = await recordOrderEvent(ctx, {
      orderNumber: order.externalId,
      eventId: 'pd-1',
      kind: 'partial_delivery',
      at: iso(),
      data: { delivered: 400, remains: 600 },
    });
    expect(result).toMatchObject({
      duplicate: false,
      applied: true,
      ticketsRefreshed: 1,
      event: { kind: 'partial_delivery', eventId: 'pd-1' },
      order: { number: order.externalId, delivered: 400 },
    });

    expect(await orderRow(order.id)).toMatchObject({ delivered: 400, status: 'partial' });
    const [event] = await eventsOf(order.id);
    expect(event).toMatchObject({ kind: 'partial_delivery', data: { delivered: 400, remains: 600, eventId: 'pd-1' } });
    const after = await ticketRow(ticket.id);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    // 600 of 1000 undelivered: 12.50 × 600 / 1000 back to the balance.
    expect(after).toMatchObject({ suggestedOutcome: 'balance_credit', suggestedAmount: '7.50' });

    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'order.event_recorded'), eq(auditEvents.entityId, String(order.id))));
    expect(audit).toMatchObject({
      actorId: null,
      actorLabel: `api-key:${keyNames.get(ctx.apiKeyId)}`,
      actorRole: null,
      entityType: 'order',
      before: { delivered: 0, status: 'partial' },
      after: { delivered: 400, status: 'partial', event: { kind: 'partial_delivery', eventId: 'pd-1' } },
      origin: { via: 'api', ip: '198.51.100.9' },
    });
  });

  it('changes the status from a status change, in our words or the panel’s, with its time', async () => {
    const ctx = await panelCtx();
    const { order } = await createOrderTicket(handle.db, { order: { status: 'processing', delivered: 100, quantity: 1000 } });
    const at = iso(1000);
    await recordOrderEvent(ctx, {
      orderNumber: order.externalId,
      kind: 'status_changed',
      at,
      data: { status: 'Partial', remains: '157', startCount: '3572' },
    });
    expect(await orderRow(order.id)).toMatchObject({ status: 'partial', delivered: 843, startCount: 3572, statusChangedAt: new Date(at) });
    await recordOrderEvent(ctx, {
      orderNumber: order.externalId,
      kind: 'status_changed',
      at: iso(),
      data: { from: 'partial', to: 'completed', remains: 0 },
    });
    expect(await orderRow(order.id)).toMatchObject({ status: 'completed', delivered: 1000 });
  });

  it('keeps a late (older) event in the timeline without rolling the order back', async () => {
    const ctx = await panelCtx();
    const { order } = await createOrderTicket(handle.db, { order: { status: 'processing', delivered: 0 } });
    await recordOrderEvent(ctx, { orderNumber: order.externalId, kind: 'partial_delivery', at: iso(1_000), data: { delivered: 700 } });
    const late = await recordOrderEvent(ctx, {
      orderNumber: order.externalId,
      kind: 'partial_delivery',
      at: iso(60_000),
      data: { delivered: 300 },
    });
    expect(late).toMatchObject({ duplicate: false, applied: false, order: { delivered: 700 } });
    expect(await eventsOf(order.id)).toHaveLength(2);
  });

  it('records the same event id once, also when it comes twice at the same time', async () => {
    const ctx = await panelCtx();
    const { order } = await createOrderTicket(handle.db);
    const input = { orderNumber: order.externalId, kind: 'refill_requested', at: iso(), data: { refillId: 'R1', eventId: 'evt-same' } };
    const results = await Promise.all([
      recordOrderEvent(ctx, input),
      recordOrderEvent(ctx, input),
      recordOrderEvent(ctx, { ...input, data: { refillId: 'R1' }, eventId: 'evt-same' }),
    ]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    expect(await eventsOf(order.id)).toHaveLength(1);
    const audits = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'order.event_recorded'), eq(auditEvents.entityId, String(order.id))));
    expect(audits).toHaveLength(1);
    // Reusing the id for another kind of event is a conflict, not a silent duplicate.
    expect(await failure(recordOrderEvent(ctx, { ...input, kind: 'refill_result' }))).toMatchObject({ code: 'conflict' });
  });

  it('refuses an unknown order (404) and bad input naming the field (422), changing nothing', async () => {
    const ctx = await panelCtx();
    const { order } = await createOrderTicket(handle.db);
    const base = { orderNumber: order.externalId, kind: 'status_changed', at: iso(), data: { to: 'completed' } };
    expect(await failure(recordOrderEvent(ctx, { ...base, orderNumber: 'no-such-order' }))).toMatchObject({ code: 'not_found' });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, kind: 'teleported' }, 'kind'],
      [{ ...base, at: 'yesterday' }, 'at'],
      [{ ...base, at: new Date(Date.now() + 3_600_000).toISOString() }, 'at'],
      [{ ...base, data: { to: 'exploded' } }, 'data.to'],
      [{ ...base, data: {} }, 'data.status'],
      [{ ...base, kind: 'partial_delivery', data: { delivered: -5 } }, 'data.delivered'],
      [{ ...base, data: 'nope' }, 'data'],
      [{ ...base, eventId: 'a', data: { to: 'completed', eventId: 'b' } }, 'data.eventId'],
    ];
    for (const [input, field] of cases) {
      const error = (await failure(recordOrderEvent(ctx, input))) as {
        code: string;
        message: string;
        fieldErrors: Record<string, string[]>;
      };
      expect(error).toMatchObject({ code: 'invalid' });
      expect(Object.keys(error.fieldErrors)).toContain(field);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    }
    expect(await eventsOf(order.id)).toHaveLength(0);
  });

  it('refuses a key revoked or stripped of its scope since it was authenticated', async () => {
    const ctx = await panelCtx();
    const { order } = await createOrderTicket(handle.db);
    const input = { orderNumber: order.externalId, kind: 'drop_noticed', at: iso(), data: { expected: 4572, current: 4100 } };
    await handle.db
      .update(apiKeys)
      .set({ scopes: ['tickets'] })
      .where(eq(apiKeys.id, ctx.apiKeyId));
    expect(await failure(recordOrderEvent(ctx, input))).toMatchObject({ code: 'forbidden' });
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, ctx.apiKeyId));
    expect(await failure(recordOrderEvent(ctx, input))).toMatchObject({ code: 'unauthenticated' });
    expect(await eventsOf(order.id)).toHaveLength(0);
  });

  it('knows every order event kind of the schema', () => {
    expect([...ORDER_EVENT_KINDS]).toEqual(orderEventKind.enumValues);
  });
});

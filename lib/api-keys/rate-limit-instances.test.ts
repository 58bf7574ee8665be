/**
 * The rate limit holds across app instances: two separate connection pools on one PostgreSQL
 * database (as two instances would have) share each key's bucket and its count. PostgreSQL only.
 */
import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DbHandle } from '@/db';
import { apiKeys, apiKeyUsage, auditEvents } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { createApiKey, ORDER_EVENTS_SCOPE } from './keys';
import { authenticateApiKey } from './authenticate';

describe.runIf(isPostgres())('the rate limit across instances (PostgreSQL)', () => {
  const handle = setupTestDb();
  const instances: DbHandle[] = [];
  beforeAll(async () => {
    instances.push(await openPostgres(handle.url!, 8), await openPostgres(handle.url!, 8));
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
  });
  afterEach(() => {
    delete process.env.API_RATE_LIMIT_PER_SECOND;
    delete process.env.API_RATE_LIMIT_BURST;
  });

  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? String(error),
    );

  it('shares one bucket: a burst of 40 parallel requests over two pools lets exactly the burst (10) through', async () => {
    // A rate this slow refills nothing during the test: exactly `burst` requests may pass.
    process.env.API_RATE_LIMIT_PER_SECOND = '0.001';
    process.env.API_RATE_LIMIT_BURST = '10';
    const key = await createApiKey(handle.db, { name: 'shared-bucket', scopes: [ORDER_EVENTS_SCOPE] });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outcome(authenticateApiKey(instances[i % 2]!.db, `Bearer ${key.plaintext}`, 'orders.events.write')),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(30);
    const [usage] = await handle.db.select().from(apiKeyUsage).where(eq(apiKeyUsage.apiKeyId, key.id));
    expect(usage).toMatchObject({ requestsToday: 10, refusedToday: 30 });
    expect(usage!.tokens).toBeLessThan(1);
  });

  it('counts every request exactly under concurrency when nothing is refused', async () => {
    process.env.API_RATE_LIMIT_PER_SECOND = '0';
    const key = await createApiKey(handle.db, { name: 'counted', scopes: [ORDER_EVENTS_SCOPE] });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        outcome(authenticateApiKey(instances[i % 2]!.db, `Bearer ${key.plaintext}`, 'orders.events.write')),
      ),
    );
    expect(results.every((r) => r === 'ok')).toBe(true);
    const [usage] = await handle.db.select().from(apiKeyUsage).where(eq(apiKeyUsage.apiKeyId, key.id));
    expect(usage).toMatchObject({ requestsToday: 60, refusedToday: 0 });
  });

  it('npm run apikey:create, spawned against the database, prints a key that works', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('npx', ['tsx', 'scripts/apikey-create.ts', ...args], {
          env: { ...process.env, DATABASE_URL: handle.url! },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const made = await run(['--name', 'spawned', '--scopes', ORDER_EVENTS_SCOPE]);
    expect(made.code, made.stderr).toBe(0);
    const plaintext = /^(rdk_\S+)$/m.exec(made.stdout)![1]!;
    const ctx = await authenticateApiKey(handle.db, `Bearer ${plaintext}`, 'orders.events.write');
    const [row] = await handle.db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, ctx.apiKeyId));
    expect(row!.name).toBe('spawned');
    const audits = await handle.db
      .select({ actorLabel: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(ctx.apiKeyId)));
    expect(audits.map((a) => a.actorLabel)).toContain('system:cli:apikey:create');
    const refused = await run(['--name', 'spawned', '--scopes', 'nope']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Unknown scope "nope"/);
  }, 60_000);
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { workerHeartbeats } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { readDeliveryConfig } from './config';
import { WORKER_STALE_MS, deliveryProblemAt, recordHeartbeat } from './heartbeat';
import { startWorker } from './worker';

const handle = setupTestDb();
const NOW = new Date('2026-07-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('whether money can reach the panel (the staff pages’ banner)', () => {
  it('says so when no worker has been seen lately, when the workers have no panel URL, and nothing when one can deliver', async () => {
    await handle.db.delete(workerHeartbeats).where(sql`true`);
    expect(await deliveryProblemAt(handle.db, NOW)).toMatchObject({
      kind: 'no_worker',
      sentence: expect.stringContaining('npm run worker'),
    });

    // A worker that stopped three minutes ago is no worker.
    await recordHeartbeat(handle.db, { workerId: 'old', startedAt: ago(3_600_000), hasPanelUrl: true }, ago(WORKER_STALE_MS + 60_000));
    expect(await deliveryProblemAt(handle.db, NOW)).toMatchObject({ kind: 'no_worker' });

    await recordHeartbeat(handle.db, { workerId: 'no-url', startedAt: ago(60_000), hasPanelUrl: false }, ago(10_000));
    expect(await deliveryProblemAt(handle.db, NOW)).toMatchObject({
      kind: 'no_panel_url',
      sentence: expect.stringContaining('set PANEL_WEBHOOK_URL and PANEL_WEBHOOK_SECRET for the worker'),
    });

    await recordHeartbeat(handle.db, { workerId: 'ok', startedAt: ago(60_000), hasPanelUrl: true }, ago(5_000));
    expect(await deliveryProblemAt(handle.db, NOW)).toBeNull();
  });

  it('a worker records its heartbeat when it starts, with or without a panel URL', async () => {
    await handle.db.delete(workerHeartbeats).where(sql`true`);
    const off = startWorker({ db: handle.db, config: readDeliveryConfig({}), log: () => {} });
    await expect.poll(async () => (await handle.db.select().from(workerHeartbeats)).map((r) => r.hasPanelUrl)).toEqual([false]);
    await off.stop();

    await handle.db.delete(workerHeartbeats).where(sql`true`);
    const on = startWorker({
      db: handle.db,
      config: readDeliveryConfig({
        PANEL_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
        PANEL_WEBHOOK_SECRET: 'x'.repeat(32),
        WORKER_POLL_MS: '50',
      }),
      log: () => {},
    });
    await expect.poll(async () => (await handle.db.select().from(workerHeartbeats)).map((r) => r.hasPanelUrl)).toEqual([true]);
    await on.stop();
    expect(await deliveryProblemAt(handle.db, new Date())).toBeNull();
  });
});

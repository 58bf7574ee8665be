import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DbHandle } from '@/db';
import { providerJobAttempts, providerJobs } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { startFakePanel, type FakePanel } from './fake-panel';
import { enqueueProviderJob } from './outbox';
import { TEST_SECRET, testConfig } from './test-support';
import { runWorkerOnce } from './worker';

describe.runIf(isPostgres())('several workers at once (PostgreSQL)', () => {
  const handle = setupTestDb();
  let panel: FakePanel;
  const extra: DbHandle[] = [];
  beforeAll(async () => {
    panel = await startFakePanel({ secret: TEST_SECRET, log: () => {} });
  });
  afterAll(async () => {
    await panel.close();
    for (const h of extra) await h.close();
  });

  it('never send the same job twice: each job is claimed, sent and recorded by exactly one worker', async () => {
    const { ticket, customer } = await createOrderTicket(handle.db);
    const jobs = await handle.db.transaction(async (tx) => {
      const rows = [];
      for (let i = 0; i < 60; i += 1) {
        rows.push(
          await enqueueProviderJob(tx, {
            kind: 'customer_reply',
            ticketId: ticket.id,
            payload: { customerExternalId: customer.externalId, message: `reply ${i}` },
          }),
        );
      }
      return rows;
    });
    // Four workers, each with its own connection pool, as four processes would have.
    for (let i = 0; i < 4; i += 1) extra.push(await openPostgres(handle.url!, 4));
    const config = testConfig(panel.url, { batchSize: 5 });
    const claimed = await Promise.all(
      extra.map(async (worker) => {
        let total = 0;
        for (;;) {
          const round = await runWorkerOnce(worker.db, config);
          if (round.claimed === 0) return total;
          total += round.claimed;
        }
      }),
    );

    const ids = jobs.map((j) => j.id);
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(60);
    expect(claimed.filter((n) => n > 0).length).toBeGreaterThan(1);
    const after = await handle.db.select().from(providerJobs).where(inArray(providerJobs.id, ids));
    expect(after.every((j) => j.state === 'delivered' && j.attempts === 1)).toBe(true);
    expect(await handle.db.select().from(providerJobAttempts).where(inArray(providerJobAttempts.jobId, ids))).toHaveLength(60);
    for (const job of jobs) {
      expect(panel.received.filter((r) => r.eventId === job.eventId).map((r) => r.note)).toEqual([null]);
    }
  });
});

/**
 * Every database connection of the app and the worker terminated (`pg_terminate_backend`) in the
 * middle of a burst of replies (each one a message, an outbox job and an audit row in one
 * transaction) and deliveries. postgres.js 3.4.9 then writes to a closed socket from a
 * `setImmediate` (porsager/postgres#1154, #1199, #1208), an uncaught exception that used to kill
 * the worker and leave the app's pool stalled. Both must come back within seconds, and nothing may
 * be lost, duplicated or half-written.
 */
import { inArray, like, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, setDbHandle, setDeadSocketLog, type DbHandle } from '@/db';
import { auditEvents, providerJobs, ticketMessages } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { addTicketMessage } from '@/lib/tickets/messages';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { startFakePanel, type FakePanel } from './fake-panel';
import { sleep, TEST_SECRET, testConfig } from './test-support';
import { startWorker, type RunningWorker } from './worker';

/** Polls `check` until it holds or `ms` have passed; returns whether it held. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

describe.runIf(isPostgres())('every connection terminated mid-burst (PostgreSQL)', () => {
  const handle = setupTestDb();
  let panel: FakePanel;
  let workerDb: DbHandle;
  let appDb: DbHandle;
  let worker: RunningWorker;
  const guardLines: string[] = [];
  const workerLines: string[] = [];

  beforeAll(async () => {
    setDeadSocketLog((line) => guardLines.push(line));
    panel = await startFakePanel({ secret: TEST_SECRET, log: () => {}, followUpDelayMs: 10 });
    // The app's pool no larger than the burst, so that every one of its connections is in a
    // transaction when they are terminated (the case that stalled a whole pool).
    appDb = await openPostgres(handle.url!, 8);
    setDbHandle(appDb);
    // The worker with its own pool, as its own process would have.
    workerDb = await openPostgres(handle.url!, 4);
    worker = startWorker({
      db: workerDb.db,
      listen: workerDb.listen,
      renew: workerDb.renew,
      config: testConfig(panel.url, { pollMs: 50, batchSize: 5 }),
      log: (line) => workerLines.push(line),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await workerDb?.close();
    setDbHandle(handle);
    await appDb?.close();
    await panel?.close();
    setDeadSocketLog((line) => console.error(line));
  });

  it(
    'the app and the worker recover within seconds; every reply is written whole and delivered, acted on once',
    { timeout: 90_000 },
    async () => {
      const { ticket } = await createOrderTicket(handle.db);
      const agent = await createStaff(handle.db, { role: 'agent' });
      const ctx = ctxFor(agent);
      const tag = `recovery-${Date.now()}`;
      const killer = postgres(handle.url!, { max: 1, onnotice: () => {} });
      try {
        // A burst of replies through the core function (the app's pool, getDb()), 8 at a time.
        let sent = 0;
        let failed = 0;
        let stop = false;
        const burst = Promise.all(
          Array.from({ length: 8 }, async (_, lane) => {
            for (let i = 0; !stop && i < 40; i += 1) {
              await addTicketMessage(ctx, { ticketId: ticket.id, body: `${tag} ${lane}-${i}`, isInternal: false }).then(
                () => (sent += 1),
                () => (failed += 1),
              );
            }
          }),
        );
        // Mid-burst, once some replies are out and deliveries are under way: terminate every backend.
        expect(await eventually(async () => sent >= 40 && panel.acted.length > 5, 20_000)).toBe(true);
        const killed = await killer<{ ok: boolean }[]>`
        select pg_terminate_backend(pid) as ok from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
        const terminated = killed.filter((k) => k.ok).length;
        expect(terminated).toBeGreaterThan(2);
        // The burst ends within seconds (its calls fail or go through), rather than hanging on a stalled pool.
        const burstEnded = await Promise.race([burst.then(() => true), sleep(15_000).then(() => false)]);
        stop = true;
        expect(burstEnded).toBe(true);

        // The app: a core function through getDb() succeeds again (a generous bound on "at all").
        expect(
          await eventually(async () => {
            await addTicketMessage(ctx, { ticketId: ticket.id, body: `${tag} after`, isInternal: false });
            return true;
          }, 15_000),
        ).toBe(true);

        // Nothing half-written: every reply that exists has exactly one job and one audit row.
        const messages = await handle.db
          .select({ id: ticketMessages.id, body: ticketMessages.body })
          .from(ticketMessages)
          .where(like(ticketMessages.body, `${tag} %`));
        expect(messages.length).toBeGreaterThanOrEqual(sent);
        expect(new Set(messages.map((m) => m.body)).size).toBe(messages.length);
        const jobs = await handle.db
          .select()
          .from(providerJobs)
          .where(sql`${providerJobs.payload}->>'message' like ${`${tag} %`}`);
        expect(jobs.map((j) => (j.payload as { message: string }).message).sort()).toEqual(messages.map((m) => m.body).sort());
        const audits = await handle.db
          .select({ n: sql<number>`count(*)::int` })
          .from(auditEvents)
          .where(sql`${auditEvents.action} = 'ticket.reply_sent' and ${auditEvents.after}->>'body' like ${`${tag} %`}`);
        expect(audits[0]!.n).toBe(messages.length);

        // The worker: still running, delivers every job (a generous bound), the panel acts on each once.
        const ids = jobs.map((j) => j.id);
        expect(
          await eventually(async () => {
            const rows = await handle.db.select({ state: providerJobs.state }).from(providerJobs).where(inArray(providerJobs.id, ids));
            return rows.every((r) => r.state === 'delivered');
          }, 30_000),
          workerLines.slice(-5).join('\n'),
        ).toBe(true);
        for (const job of jobs) expect(panel.acted.filter((id) => id === job.eventId)).toHaveLength(1);
        console.log(
          `replies: ${sent} written, ${failed} failed with the connections; ${jobs.length} delivered; pool replaced: ${guardLines.length > 0}`,
        );
      } finally {
        await killer.end();
      }
    },
  );
});

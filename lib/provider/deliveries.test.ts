import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, providerJobs } from '@/db/schema';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import { countTroubledDeliveries, listTicketDeliveries, listTroubledDeliveries, retryProviderJob } from './deliveries';
import { enqueueProviderJob } from './outbox';
import { enqueueTestJob, testConfig } from './test-support';
import { claimDueJobs, recordAttempt } from './worker';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('listTicketDeliveries', () => {
  it('lists a ticket’s jobs oldest first with state, attempts, last error, next attempt and delivery time', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const { job, ticket, customer } = await enqueueTestJob(handle.db, 'refill');
    const second = await handle.db.transaction((tx) =>
      enqueueProviderJob(tx, {
        kind: 'customer_reply',
        ticketId: ticket.id,
        payload: { customerExternalId: customer.externalId, message: 'Done!' },
      }),
    );
    const config = testConfig('http://127.0.0.1:1/');
    const claimed = await claimDueJobs(handle.db, config);
    const ok = { ok: true, httpStatus: 204, error: null, durationMs: 12, startedAt: new Date() };
    const bad = { ok: false, httpStatus: 502, error: 'HTTP 502: Bad Gateway', durationMs: 40, startedAt: new Date() };
    await recordAttempt(
      handle.db,
      claimed.find((j) => j.id === job.id)!,
      ok,
      config,
    );
    await recordAttempt(
      handle.db,
      claimed.find((j) => j.id === second.id)!,
      bad,
      config,
    );

    const list = await listTicketDeliveries(ctxFor(agent), ticket.id);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      id: job.id,
      kind: 'refill',
      state: 'delivered',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
      lastHttpStatus: 204,
    });
    expect(list[0]!.deliveredAt).toBeInstanceOf(Date);
    expect(list[1]).toMatchObject({
      id: second.id,
      kind: 'customer_reply',
      state: 'pending',
      attempts: 1,
      lastError: 'HTTP 502: Bad Gateway',
      deliveredAt: null,
      lastHttpStatus: 502,
    });
    expect(list[1]!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('needs an active staff member and a valid ticket id; a ticket with no jobs has none', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const gone = await createStaff(handle.db, { role: 'agent', isActive: false });
    const { ticket } = await enqueueTestJob(handle.db);
    expect(await failure(listTicketDeliveries(ctxFor(gone), ticket.id))).toMatchObject({ code: 'unauthenticated' });
    expect(await failure(listTicketDeliveries(ctxFor(agent), 'abc'))).toMatchObject({ code: 'invalid' });
    await expect(listTicketDeliveries(ctxFor(agent), ticket.id + 10_000)).resolves.toEqual([]);
  });
});

describe('the deliveries page', () => {
  it('lists failed, refused and stuck jobs (not healthy ones), counts them, and retries one with an audit row', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const ctx = ctxFor(admin);
    // Park whatever earlier tests left, so the counts below are this test's.
    await handle.db
      .update(providerJobs)
      .set({ state: 'delivered' })
      .where(sql`true`);
    const failed = (await enqueueTestJob(handle.db, 'refill')).job;
    const refused = (await enqueueTestJob(handle.db, 'reprocess')).job;
    const stuck = (await enqueueTestJob(handle.db, 'customer_reply')).job;
    const healthy = (await enqueueTestJob(handle.db, 'cancel')).job;
    await handle.db
      .update(providerJobs)
      .set({ state: 'failed', attempts: 12, lastError: 'HTTP 503: down' })
      .where(eq(providerJobs.id, failed.id));
    await handle.db
      .update(providerJobs)
      .set({
        attempts: 1,
        lastError: 'HTTP 401: invalid signature',
        problem: 'HTTP 401: invalid signature',
        nextAttemptAt: sql`now() + interval '15 minutes'`,
      })
      .where(eq(providerJobs.id, refused.id));
    await handle.db
      .update(providerJobs)
      .set({ nextAttemptAt: sql`now() - interval '10 minutes'` })
      .where(eq(providerJobs.id, stuck.id));

    const list = await listTroubledDeliveries(ctx);
    expect(list.jobs.map((j) => [j.id, j.trouble]).sort()).toEqual(
      [
        [failed.id, 'failed'],
        [refused.id, 'refused'],
        [stuck.id, 'stuck'],
      ].sort(),
    );
    expect(list.jobs.find((j) => j.id === healthy.id)).toBeUndefined();
    expect(list.refusals).toEqual([{ answer: 'HTTP 401: invalid signature', jobs: 1 }]);
    expect(await countTroubledDeliveries(ctx)).toBe(3);

    expect(await retryProviderJob(ctx, { jobId: failed.id })).toMatchObject({ id: failed.id });
    const [after] = await handle.db.select().from(providerJobs).where(eq(providerJobs.id, failed.id));
    expect(after).toMatchObject({ state: 'pending', attempts: 12, attemptsAtRetry: 12 });
    expect(after!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'provider_job'), eq(auditEvents.entityId, String(failed.id))));
    expect(audit).toMatchObject({ action: 'provider_job.retried', actorId: admin.id });
    expect(await countTroubledDeliveries(ctx)).toBe(2);

    // A healthy pending job is already on its way; a delivered one is done.
    expect(await failure(retryProviderJob(ctx, { jobId: healthy.id }))).toMatchObject({ code: 'conflict' });
    await handle.db.update(providerJobs).set({ state: 'delivered' }).where(eq(providerJobs.id, healthy.id));
    expect(await failure(retryProviderJob(ctx, { jobId: healthy.id }))).toMatchObject({ code: 'conflict' });
    expect(await failure(retryProviderJob(ctx, { jobId: 999_999_999 }))).toMatchObject({ code: 'not_found' });
  });
});

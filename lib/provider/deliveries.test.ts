import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import { listTicketDeliveries } from './deliveries';
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

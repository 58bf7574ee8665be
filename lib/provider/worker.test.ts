import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, orderEvents, orders, providerJobAttempts, providerJobs, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { createApiKey, ORDER_EVENTS_SCOPE, authenticateApiKey } from '@/lib/api-keys';
import { recordOrderEvent } from '@/lib/intake/order-events';
import { readDeliveryConfig } from './config';
import { startFakePanel, type FakePanel } from './fake-panel';
import {
  ABANDONED_ATTEMPT,
  backoffMs,
  claimDueJobs,
  PROBLEM_RETRY_MS,
  recordAttempt,
  runWorkerOnce,
  sendWebhook,
  startWorker,
} from './worker';
import { HEADER_ATTEMPT, HEADER_EVENT_ID } from './signature';
import { enqueueTestJob, sleep, TEST_SECRET, testClock, testConfig } from './test-support';

const handle = setupTestDb();
let panel: FakePanel;
/** The X-Refund-Desk-Attempt header of every webhook sent, by event id (a fetch that notes it). */
const attemptHeaders = new Map<string, string[]>();
const notingFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  const id = headers.get(HEADER_EVENT_ID) ?? '';
  attemptHeaders.set(id, [...(attemptHeaders.get(id) ?? []), headers.get(HEADER_ATTEMPT) ?? '']);
  return fetch(input, init);
};
beforeAll(async () => {
  panel = await startFakePanel({ secret: TEST_SECRET, log: () => {}, followUpDelayMs: 10 });
});
afterAll(async () => {
  await panel.close();
});

const jobRow = async (id: number) => (await handle.db.select().from(providerJobs).where(eq(providerJobs.id, id)))[0]!;
const attemptRows = (id: number) =>
  handle.db.select().from(providerJobAttempts).where(eq(providerJobAttempts.jobId, id)).orderBy(providerJobAttempts.id);
const makeDue = (id: number) =>
  handle.db
    .update(providerJobs)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(providerJobs.id, id));
/** Takes a test's unfinished job out of the way of the tests after it. */
const park = (id: number) =>
  handle.db
    .update(providerJobs)
    .set({ state: 'failed' })
    .where(and(eq(providerJobs.id, id), eq(providerJobs.state, 'pending')));
const receivedFor = (eventId: string) => panel.received.filter((r) => r.eventId === eventId);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('backoff and configuration', () => {
  it('doubles from 10 s, caps at an hour, and jitters by at most 20 %', () => {
    const config = testConfig(null);
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, config, mid))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(11, config, mid)).toBe(3_600_000);
    expect(backoffMs(40, config, () => 0.999)).toBe(3_600_000);
    expect(backoffMs(1, config, () => 0)).toBe(8_000);
    expect(backoffMs(1, config, () => 0.999)).toBeLessThanOrEqual(12_000);
  });

  it('needs a secret with a URL, and reads the poll interval', () => {
    expect(readDeliveryConfig({})).toMatchObject({ url: null, pollMs: 1000, timeoutMs: 10_000, maxAttempts: 12 });
    expect(() => readDeliveryConfig({ PANEL_WEBHOOK_URL: 'https://panel.example/hook' })).toThrow(/PANEL_WEBHOOK_SECRET/);
    expect(() => readDeliveryConfig({ PANEL_WEBHOOK_URL: 'ftp://panel.example', PANEL_WEBHOOK_SECRET: TEST_SECRET })).toThrow(/http/);
    expect(() => readDeliveryConfig({ WORKER_POLL_MS: 'soon' })).toThrow(/WORKER_POLL_MS/);
    expect(
      readDeliveryConfig({ PANEL_WEBHOOK_URL: 'https://panel.example/hook', PANEL_WEBHOOK_SECRET: TEST_SECRET, WORKER_POLL_MS: '250' }),
    ).toMatchObject({
      url: 'https://panel.example/hook',
      pollMs: 250,
    });
  });
});

describe('the outbox worker', () => {
  it('delivers a pending job as a signed webhook and marks it delivered, with one attempt row and an audit row', async () => {
    const { job, customer, order, ticket } = await enqueueTestJob(handle.db, 'credit_granted');
    const round = await runWorkerOnce(handle.db, testConfig(panel.url));
    expect(round.delivered).toBeGreaterThanOrEqual(1);

    const after = await jobRow(job.id);
    expect(after).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(after.deliveredAt).toBeInstanceOf(Date);
    const attempts = await attemptRows(job.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ httpStatus: 200, error: null });
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(panel.bodies.get(job.eventId)).toEqual({
      eventId: job.eventId,
      kind: 'credit_granted',
      occurredAt: job.createdAt.toISOString(),
      ticketId: ticket.id,
      customerExternalId: customer.externalId,
      orderNumber: order.externalId,
      amount: '1.25',
      currency: 'USD',
      message: 'test credit_granted',
    });
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'provider_job'), eq(auditEvents.entityId, String(job.id))));
    expect(audit).toMatchObject({ action: 'provider_job.delivered', actorLabel: 'worker', actorId: null });

    // Delivered jobs are not sent again.
    await runWorkerOnce(handle.db, testConfig(panel.url));
    expect(receivedFor(job.eventId)).toHaveLength(1);
  });

  it('closes the loop: the panel acts on a reprocess and its order events come back through intake', async () => {
    const key = await createApiKey(handle.db, { name: `panel-${Date.now()}`, scopes: [ORDER_EVENTS_SCOPE] });
    const keyCtx = await authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'orders.events.write');
    const looped = await startFakePanel({
      secret: TEST_SECRET,
      log: () => {},
      followUpDelayMs: 10,
      postEvent: async (orderNumber, event) => {
        const result = await recordOrderEvent(keyCtx, { ...event, orderNumber });
        return result.duplicate ? 200 : 201;
      },
    });
    try {
      const { job, order, ticket } = await enqueueTestJob(handle.db, 'reprocess', { order: { status: 'completed', delivered: 0 } });
      await runWorkerOnce(handle.db, testConfig(looped.url));
      await looped.idle();
      expect(looped.posted.map((p) => [p.event.kind, p.status])).toEqual([
        ['reprocess_sent', 201],
        ['status_changed', 201],
      ]);
      const events = await handle.db
        .select()
        .from(orderEvents)
        .where(eq(orderEvents.orderId, order.id))
        .orderBy(orderEvents.at, orderEvents.id);
      expect(events.map((e) => e.kind)).toEqual(['reprocess_sent', 'status_changed']);
      expect(events[1]!.data).toMatchObject({ to: 'processing', eventId: `${job.eventId}:status_changed` });
      const [after] = await handle.db.select().from(orders).where(eq(orders.id, order.id));
      expect(after!.status).toBe('processing');
      const [t] = await handle.db.select({ updatedAt: tickets.updatedAt }).from(tickets).where(eq(tickets.id, ticket.id));
      expect(t!.updatedAt.getTime()).toBeGreaterThan(ticket.updatedAt.getTime());
    } finally {
      await looped.close();
    }
  });

  it('retries a panel that is down: the attempt is recorded with the error, the job stays pending, the backoff grows', async () => {
    const { job } = await enqueueTestJob(handle.db);
    const config = testConfig(panel.url);
    const mid = () => 0.5;
    panel.setDown(true);
    try {
      const t1 = Date.now();
      await runWorkerOnce(handle.db, config, { random: mid });
      const first = await jobRow(job.id);
      expect(first).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringMatching(/^HTTP 503/) });
      const delay1 = first.nextAttemptAt.getTime() - t1;
      expect(delay1).toBeGreaterThan(8_500);
      expect(delay1).toBeLessThan(11_500);

      // Not due yet: a round leaves it alone.
      await runWorkerOnce(handle.db, config, { random: mid });
      expect((await jobRow(job.id)).attempts).toBe(1);

      await makeDue(job.id);
      const t2 = Date.now();
      await runWorkerOnce(handle.db, config, { random: mid });
      const second = await jobRow(job.id);
      expect(second).toMatchObject({ state: 'pending', attempts: 2 });
      const delay2 = second.nextAttemptAt.getTime() - t2;
      expect(delay2).toBeGreaterThan(18_500);
      expect(delay2).toBeLessThan(21_500);

      const attempts = await attemptRows(job.id);
      expect(attempts.map((a) => [a.httpStatus, a.error?.slice(0, 8)])).toEqual([
        [503, 'HTTP 503'],
        [503, 'HTTP 503'],
      ]);
      expect(panel.acted).not.toContain(job.eventId);

      // Back up: the next due attempt delivers it.
      panel.setDown(false);
      await makeDue(job.id);
      await runWorkerOnce(handle.db, config);
      expect(await jobRow(job.id)).toMatchObject({ state: 'delivered', attempts: 3, lastError: null });
      expect(await attemptRows(job.id)).toHaveLength(3);
    } finally {
      panel.setDown(false);
      await park(job.id);
    }
  });

  it('records an unreachable panel (closed port) and one that does not answer in time', async () => {
    const { job } = await enqueueTestJob(handle.db);
    try {
      await runWorkerOnce(handle.db, testConfig(`http://127.0.0.1:${await closedPort()}/webhook`));
      expect(await jobRow(job.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });
      expect((await attemptRows(job.id))[0]).toMatchObject({ httpStatus: null, error: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await park(job.id);
    }

    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const result = await sendWebhook(testConfig(`http://127.0.0.1:${port}/`, { timeoutMs: 200 }), { ...job, attempts: 0 });
      expect(result).toMatchObject({ ok: false, httpStatus: null, error: 'Timed out after 200 ms' });
      expect(result.durationMs).toBeGreaterThanOrEqual(150);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('gives up after the last attempt: the job is failed and no longer claimed', async () => {
    const { job } = await enqueueTestJob(handle.db);
    const config = testConfig(panel.url, { maxAttempts: 3 });
    panel.setDown(true);
    try {
      for (let i = 0; i < 3; i += 1) {
        await makeDue(job.id);
        await runWorkerOnce(handle.db, config);
      }
      expect(await jobRow(job.id)).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringMatching(/^HTTP 503/) });
      await makeDue(job.id);
      await runWorkerOnce(handle.db, config);
      expect(await attemptRows(job.id)).toHaveLength(3);
      const actions = await handle.db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.entityType, 'provider_job'), eq(auditEvents.entityId, String(job.id))));
      expect(actions.map((a) => a.action)).toEqual(['provider_job.attempt_failed', 'provider_job.attempt_failed', 'provider_job.failed']);
    } finally {
      panel.setDown(false);
    }
  });

  it('treats a 4xx refusal (wrong secret) as a configuration problem: kept on the job at once, retried slowly, never given up', async () => {
    const { job } = await enqueueTestJob(handle.db);
    const wrongSecret = { ...testConfig(panel.url, { maxAttempts: 3 }), secret: 'not-the-panels-secret-0123456789' };
    try {
      const t1 = Date.now();
      await runWorkerOnce(handle.db, wrongSecret, { random: () => 0.5 });
      const first = await jobRow(job.id);
      expect(first).toMatchObject({ state: 'pending', attempts: 1, problem: expect.stringMatching(/^HTTP 401/) });
      expect(first.nextAttemptAt.getTime() - t1).toBeGreaterThan(PROBLEM_RETRY_MS - 2_000);
      // Past the attempt limit it is still pending: the problem is ours to fix, not the event's.
      for (let i = 0; i < 4; i += 1) {
        await makeDue(job.id);
        await runWorkerOnce(handle.db, wrongSecret);
      }
      expect(await jobRow(job.id)).toMatchObject({ state: 'pending', attempts: 5, problem: expect.stringMatching(/^HTTP 401/) });
      // Fixed: the next attempt delivers it and the problem is gone.
      await makeDue(job.id);
      await runWorkerOnce(handle.db, testConfig(panel.url));
      expect(await jobRow(job.id)).toMatchObject({ state: 'delivered', attempts: 6, problem: null });
    } finally {
      await park(job.id);
    }
  });

  it('does not call 408, 429 or 5xx a configuration problem', async () => {
    for (const status of [408, 429, 500, 503]) {
      const { job } = await enqueueTestJob(handle.db);
      const answer: typeof fetch = () => Promise.resolve(new Response('no', { status }));
      try {
        await runWorkerOnce(handle.db, testConfig(panel.url), { fetch: answer, random: () => 0.5 });
        expect(await jobRow(job.id)).toMatchObject({ state: 'pending', attempts: 1, problem: null, lastError: `HTTP ${status}: no` });
      } finally {
        await park(job.id);
      }
    }
  });

  it('re-sends a job after a crash between sending and recording; the panel acts on it once', async () => {
    const { job } = await enqueueTestJob(handle.db, 'refill');
    const config = testConfig(panel.url, { leaseMs: 400 });
    const clock = testClock(job.nextAttemptAt);
    const crash = new Error('killed after sending');
    await expect(
      runWorkerOnce(handle.db, config, {
        now: clock.now,
        fetch: notingFetch,
        hooks: {
          afterSend: (sent) => {
            if (sent.id === job.id) throw crash;
          },
        },
      }),
    ).rejects.toBe(crash);
    // Sent and acted on, but not answered: still pending, reserved by the dead worker's lease. The
    // attempt was written before sending, so it is on record, in flight.
    expect(panel.acted.filter((id) => id === job.eventId)).toHaveLength(1);
    expect(await jobRow(job.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect((await attemptRows(job.id)).map((a) => [a.number, a.state, a.httpStatus])).toEqual([[1, 'in_flight', null]]);

    // A new worker right away (and just before the lease ends) leaves it alone (the lease holds)…
    await runWorkerOnce(handle.db, config, { now: clock.now });
    clock.advance(399);
    await runWorkerOnce(handle.db, config, { now: clock.now });
    expect(receivedFor(job.eventId)).toHaveLength(1);

    // …and sends it again once the lease has run out, as attempt 2 (the cut-off one is abandoned);
    // the panel acknowledges without acting again.
    clock.advance(101);
    await runWorkerOnce(handle.db, config, { now: clock.now, fetch: notingFetch });
    expect(await jobRow(job.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(receivedFor(job.eventId).map((r) => [r.status, r.note])).toEqual([
      [200, null],
      [200, 'duplicate'],
    ]);
    expect(panel.acted.filter((id) => id === job.eventId)).toHaveLength(1);
    expect((await attemptRows(job.id)).map((a) => [a.number, a.state, a.httpStatus, a.error])).toEqual([
      [1, 'abandoned', null, ABANDONED_ATTEMPT],
      [2, 'delivered', 200, null],
    ]);
    expect(attemptHeaders.get(job.eventId)).toEqual(['1', '2']);
  });

  it('never lets a worker whose lease ran out overwrite the job of the worker that took over', async () => {
    const { job } = await enqueueTestJob(handle.db);
    const config = testConfig(panel.url, { leaseMs: 300 });
    const clock = testClock(job.nextAttemptAt);
    const [slow] = (await claimDueJobs(handle.db, config, clock.now)).filter((j) => j.id === job.id);
    expect(slow).toBeDefined();
    clock.advance(299);
    expect((await claimDueJobs(handle.db, config, clock.now)).filter((j) => j.id === job.id)).toEqual([]);
    clock.advance(101);
    const [fast] = (await claimDueJobs(handle.db, config, clock.now)).filter((j) => j.id === job.id);
    expect(fast).toBeDefined();
    const failed = { ok: false, httpStatus: 502, error: 'HTTP 502', durationMs: 5, startedAt: clock.now() };
    const ok = { ok: true, httpStatus: 200, error: null, durationMs: 5, startedAt: clock.now() };
    expect((await recordAttempt(handle.db, fast!, ok, config, Math.random, clock.now)).outcome).toBe('delivered');
    expect((await recordAttempt(handle.db, slow!, failed, config, Math.random, clock.now)).outcome).toBe('lease_lost');
    expect(await jobRow(job.id)).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });
    // Both attempts on record with their own numbers and answers.
    expect((await attemptRows(job.id)).map((a) => [a.number, a.state, a.httpStatus])).toEqual([
      [1, 'failed', 502],
      [2, 'delivered', 200],
    ]);
  });

  it('without PANEL_WEBHOOK_URL: says once that delivery is off and leaves jobs pending', async () => {
    const { job } = await enqueueTestJob(handle.db);
    try {
      expect(await runWorkerOnce(handle.db, testConfig(null))).toMatchObject({ claimed: 0 });
      const log = vi.fn();
      const worker = startWorker({ db: handle.db, config: testConfig(null), log });
      await sleep(120);
      await worker.stop();
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toMatch(/delivery to the panel is off/);
      expect(await jobRow(job.id)).toMatchObject({ state: 'pending', attempts: 0 });
    } finally {
      await park(job.id);
    }
  });

  it('runs as a loop that picks up new jobs (woken by NOTIFY or by polling) and stops cleanly', async () => {
    const lines: string[] = [];
    const worker = startWorker({
      db: handle.db,
      listen: handle.listen,
      config: testConfig(panel.url, { pollMs: 100 }),
      log: (l) => lines.push(l),
    });
    try {
      const { job } = await enqueueTestJob(handle.db, 'customer_reply');
      for (let i = 0; i < 50 && (await jobRow(job.id)).state !== 'delivered'; i += 1) await sleep(50);
      expect(await jobRow(job.id)).toMatchObject({ state: 'delivered', attempts: 1 });
      expect(lines.some((l) => l.includes(`delivered customer_reply ${job.eventId}`))).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});

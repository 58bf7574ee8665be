import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { setDbHandle } from '@/db';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, staffUsers, tickets } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { assignTicket, claimNextTicket, claimTicket } from './claim';
import { listQueue, QUEUE_PAGE_SIZE } from './queue';
import { createBareTicket, createCustomer, createOrderTicket } from './test-factories';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
const HOUR = 3_600_000;

describe('listQueue', () => {
  it('walks every matching ticket once, deadline first then no deadline, 50 a page', async () => {
    const agent = await createStaff(handle.db);
    const token = `walk${randomUUID().slice(0, 6)}`;
    const customer = await createCustomer(handle.db, { username: `${token}_buyer` });
    const base = Date.now();
    const made = await handle.db
      .insert(tickets)
      .values(
        Array.from({ length: 2 * QUEUE_PAGE_SIZE + 7 }, (_, i) => ({
          customerId: customer.id,
          claim: 'other' as const,
          openedAt: new Date(base - i * HOUR),
          // Some share a deadline, some have none: the keyset must still be exact.
          eligibilityDeadline: i % 9 === 0 ? null : new Date(base + (i % 13) * HOUR),
        })),
      )
      .returning({ id: tickets.id });

    const seen: number[] = [];
    const deadlines: (number | null)[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listQueue(ctxFor(agent), { q: token, after, sort: 'deadline' });
      seen.push(...page.rows.map((r) => r.id));
      deadlines.push(...page.rows.map((r) => r.eligibilityDeadline?.getTime() ?? null));
      after = page.nextCursor ?? undefined;
      pages += 1;
      expect(page.rows.length).toBeLessThanOrEqual(QUEUE_PAGE_SIZE);
    } while (after);

    expect(pages).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(made.map((m) => m.id).sort((a, b) => a - b));
    const firstNull = deadlines.indexOf(null);
    const dated = deadlines.slice(0, firstNull) as number[];
    expect(dated).toEqual([...dated].sort((a, b) => a - b));
    expect(deadlines.slice(firstNull).every((d) => d === null)).toBe(true);
  });

  it('sorts newest first and by amount, with pages that continue exactly', async () => {
    const agent = await createStaff(handle.db);
    const token = `sort${randomUUID().slice(0, 6)}`;
    const customer = await createCustomer(handle.db, { username: `${token}_buyer` });
    await handle.db.insert(tickets).values(
      Array.from({ length: 60 }, (_, i) => ({
        customerId: customer.id,
        claim: 'other' as const,
        openedAt: new Date(Date.now() - (i % 7) * HOUR),
        amountAtStake: i % 5 === 0 ? null : `${(i * 37) % 100}.${i % 10}0`,
      })),
    );
    for (const sort of ['opened', 'amount'] as const) {
      const first = await listQueue(ctxFor(agent), { q: token, sort });
      const second = await listQueue(ctxFor(agent), { q: token, sort, after: first.nextCursor! });
      const all = [...first.rows, ...second.rows];
      expect(new Set(all.map((r) => r.id)).size).toBe(60);
      if (sort === 'opened') {
        const times = all.map((r) => r.openedAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => b - a));
      } else {
        const amounts = all.filter((r) => r.amountAtStake !== null).map((r) => Number(r.amountAtStake));
        expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
        expect(all.slice(-12).every((r) => r.amountAtStake === null)).toBe(true);
      }
    }
  });

  it('finds a ticket by its id, order number, customer name, email and target link', async () => {
    const agent = await createStaff(handle.db);
    const { ticket, order, customer } = await createOrderTicket(handle.db, {
      ticket: { targetLinkGiven: `https://instagram.com/unique_${randomUUID().slice(0, 6)}` },
    });
    for (const q of [
      `T-${ticket.id}`,
      order.externalId,
      customer.username.toUpperCase(),
      customer.email,
      ticket.targetLinkGiven!.slice(8),
    ]) {
      const { rows } = await listQueue(ctxFor(agent), { q, status: 'all' });
      expect(
        rows.map((r) => r.id),
        `search ${q}`,
      ).toContain(ticket.id);
    }
  });

  it('walks the queue by service level by default: the next due time first, paused and resolved last', async () => {
    const agent = await createStaff(handle.db);
    const token = `sla${randomUUID().slice(0, 6)}`;
    const customer = await createCustomer(handle.db, { username: `${token}_buyer` });
    const base = Date.now();
    const made = await handle.db
      .insert(tickets)
      .values(
        Array.from({ length: QUEUE_PAGE_SIZE + 11 }, (_, i) => ({
          customerId: customer.id,
          claim: 'other' as const,
          openedAt: new Date(base - i * HOUR),
          status: i % 7 === 0 ? ('waiting_customer' as const) : ('open' as const),
          firstResponseDueAt: new Date(base + ((i * 5) % 17) * HOUR - 3 * HOUR),
          resolutionDueAt: new Date(base + 50 * HOUR + i * HOUR),
          firstRespondedAt: i % 3 === 0 ? new Date(base - HOUR) : null,
        })),
      )
      .returning({ id: tickets.id, slaDueAt: tickets.slaDueAt, status: tickets.status });
    // The database keeps sla_due_at: null while waiting for the customer.
    expect(made.filter((m) => m.status === 'waiting_customer').every((m) => m.slaDueAt === null)).toBe(true);
    const due: (number | null)[] = [];
    const seen: number[] = [];
    let after: string | undefined;
    do {
      const page = await listQueue(ctxFor(agent), { q: token, status: 'all', after });
      due.push(...page.rows.map((r) => r.slaDueAt?.getTime() ?? null));
      seen.push(...page.rows.map((r) => r.id));
      after = page.nextCursor ?? undefined;
    } while (after);
    expect(seen).toHaveLength(made.length);
    expect(new Set(seen).size).toBe(made.length);
    const firstNull = due.indexOf(null);
    const dated = due.slice(0, firstNull) as number[];
    expect(dated).toEqual([...dated].sort((a, b) => a - b));
    expect(due.slice(firstNull).every((d) => d === null)).toBe(true);
  });

  it('finds a ticket by T-id and by #order number, as the queue shows them', async () => {
    const agent = await createStaff(handle.db);
    const { ticket, order } = await createOrderTicket(handle.db);
    for (const q of [`T-${ticket.id}`, `t${ticket.id}`, `#${order.externalId}`, order.externalId]) {
      expect((await listQueue(ctxFor(agent), { q, status: 'all' })).rows.map((r) => r.id)).toContain(ticket.id);
    }
  });

  it('filters by claim, suggested outcome, assignee, payment method and breaching soon, and counts tabs under the filters', async () => {
    const agent = await createStaff(handle.db);
    const token = `filt${randomUUID().slice(0, 6)}`;
    const customer = await createCustomer(handle.db, { username: `${token}_buyer` });
    const past = new Date(Date.now() - HOUR);
    await handle.db.insert(tickets).values([
      {
        customerId: customer.id,
        claim: 'drop',
        openedAt: past,
        suggestedOutcome: 'refill',
        assigneeId: agent.id,
        eligibilityDeadline: past,
        // First reply due in 30 minutes: breaching soon (the window is 2 hours).
        firstResponseDueAt: new Date(Date.now() + HOUR / 2),
      },
      { customerId: customer.id, claim: 'drop', openedAt: past, suggestedOutcome: 'deny', status: 'resolved', firstResponseDueAt: past },
      {
        customerId: customer.id,
        claim: 'quality',
        openedAt: past,
        suggestedOutcome: 'deny',
        firstResponseDueAt: new Date(Date.now() + 5 * HOUR),
      },
    ]);
    const list = (filters: Record<string, unknown>) => listQueue(ctxFor(agent), { q: token, status: 'all', ...filters });
    expect((await list({ claim: 'drop' })).rows).toHaveLength(2);
    expect((await list({ outcome: 'deny' })).rows).toHaveLength(2);
    expect((await list({ assignee: 'me' })).rows).toHaveLength(1);
    expect((await list({ assignee: 'unassigned' })).rows).toHaveLength(2);
    expect((await list({ breaching: '1' })).rows).toHaveLength(1);
    // The filter's old name in a bookmarked link still works.
    expect((await list({ overdue: '1' })).rows).toHaveLength(1);
    expect((await list({ method: 'crypto' })).rows).toHaveLength(0);
    const { counts } = await list({ claim: 'drop' });
    expect(counts).toMatchObject({ open: 1, resolved: 1, all: 2 });
  });

  it('keeps the unfiltered tab counts exact through inserts, status changes and deletes', async () => {
    const agent = await createStaff(handle.db);
    const customer = await createCustomer(handle.db);
    const made = await handle.db
      .insert(tickets)
      .values(Array.from({ length: 5 }, () => ({ customerId: customer.id, claim: 'other' as const, openedAt: new Date() })))
      .returning({ id: tickets.id });
    await handle.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, made[0]!.id));
    await handle.db.update(tickets).set({ status: 'escalated' }).where(eq(tickets.id, made[1]!.id));
    await handle.db.delete(tickets).where(eq(tickets.id, made[2]!.id));
    const actual = await handle.db
      .select({ status: tickets.status, n: sql<number>`count(*)::int` })
      .from(tickets)
      .groupBy(tickets.status);
    const { counts, areCountsCapped } = await listQueue(ctxFor(agent), {});
    expect(areCountsCapped).toBe(false);
    for (const row of actual) expect(counts[row.status], row.status).toBe(row.n);
    expect(counts.all).toBe(actual.reduce((sum, r) => sum + r.n, 0));
  });

  it('shows the queue for a hand-edited link, saying in a sentence what it left out; refuses a deactivated user', async () => {
    const agent = await createStaff(handle.db);
    const edited = await listQueue(ctxFor(agent), { claim: 'everything', sort: 'random', status: 'open' });
    expect(edited.query.claim).toBeUndefined();
    expect(edited.query).toMatchObject({ sort: 'sla', status: 'open' });
    expect(edited.ignored).toEqual([
      'The claim “everything” is not one the queue knows, so it is left out.',
      'The sort “random” is not one the queue knows, so it is left out.',
    ]);
    const forged = await listQueue(ctxFor(agent), { after: 'not-a-cursor' });
    expect(forged.ignored).toEqual(['That page link is not valid any more, so the queue starts again from the first page.']);
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, agent.id));
    expect(await failure(listQueue(ctxFor(agent), {}))).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('claiming', () => {
  it('claims an unassigned ticket, audits it, and tells another agent who has it', async () => {
    const [ana, ben] = [await createStaff(handle.db, { name: 'Ana Agent' }), await createStaff(handle.db, { name: 'Ben Agent' })];
    const { ticket } = await createBareTicket(handle.db);
    await expect(claimTicket(ctxFor(ana), { ticketId: ticket.id })).resolves.toEqual({ ticketId: ticket.id, assigneeId: ana.id });
    await expect(claimTicket(ctxFor(ana), { ticketId: ticket.id })).resolves.toEqual({ ticketId: ticket.id, assigneeId: ana.id });
    expect(await failure(claimTicket(ctxFor(ben), { ticketId: ticket.id }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already claimed by Ana Agent'),
    });
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(ticket.id)));
    expect(events.filter((e) => e.action === 'ticket.claimed')).toHaveLength(1);
  });

  it('refuses resolved and unknown tickets', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db, { status: 'resolved' });
    expect(await failure(claimTicket(ctxFor(agent), { ticketId: ticket.id }))).toMatchObject({ code: 'conflict' });
    expect(await failure(claimTicket(ctxFor(agent), { ticketId: 987_654_321 }))).toMatchObject({ code: 'not_found' });
    expect(await failure(claimTicket(ctxFor(agent), { ticketId: 'abc' }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^ticketId: /),
    });
  });

  it('lets supervisors, not agents, assign to someone else', async () => {
    const agent = await createStaff(handle.db);
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket } = await createBareTicket(handle.db);
    expect(await failure(assignTicket(ctxFor(agent), { ticketId: ticket.id, assigneeId: agent.id }))).toMatchObject({ code: 'forbidden' });
    await expect(assignTicket(ctxFor(supervisor), { ticketId: ticket.id, assigneeId: agent.id })).resolves.toMatchObject({
      assigneeId: agent.id,
    });
    const inactive = await createStaff(handle.db, { isActive: false });
    expect(await failure(assignTicket(ctxFor(supervisor), { ticketId: ticket.id, assigneeId: inactive.id }))).toMatchObject({
      code: 'invalid',
    });
  });
});

describe('Next ticket', () => {
  const own = setupTestDb();
  afterAll(() => setDbHandle(handle));

  it('claims the most urgent unassigned open ticket, then says when none is left', async () => {
    const agent = await createStaff(own.db);
    const now = Date.now();
    // Most urgent = the service level's next due time, not the policy's claim window.
    const { ticket: later } = await createBareTicket(own.db, {
      firstResponseDueAt: new Date(now + 5 * HOUR),
      eligibilityDeadline: new Date(now),
    });
    const { ticket: sooner } = await createBareTicket(own.db, { firstResponseDueAt: new Date(now + HOUR) });
    await createBareTicket(own.db, { firstResponseDueAt: new Date(now), status: 'resolved' });
    await expect(claimNextTicket(ctxFor(agent))).resolves.toEqual({ ticketId: sooner.id });
    await expect(claimNextTicket(ctxFor(agent))).resolves.toEqual({ ticketId: later.id });
    expect(await failure(claimNextTicket(ctxFor(agent)))).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('no unassigned open tickets'),
    });
  });

  it.runIf(isPostgres())('never gives two agents pressing at once the same ticket (PostgreSQL)', async () => {
    const agents = await Promise.all(Array.from({ length: 8 }, () => createStaff(own.db)));
    for (let i = 0; i < 8; i += 1) await createBareTicket(own.db, { firstResponseDueAt: new Date(Date.now() + i * 60_000) });
    const results = await Promise.all(agents.map((a) => claimNextTicket(ctxFor(a))));
    expect(new Set(results.map((r) => r.ticketId)).size).toBe(8);
  });
});

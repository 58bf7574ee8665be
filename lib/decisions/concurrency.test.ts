/**
 * Races on real PostgreSQL (skipped on PGlite, which runs one transaction at a time): many requests
 * at once on one ticket, one decision or one order, each on its own connection from the pool.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { decisions, ledgerEntries, tickets } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { isAppError } from '@/lib/errors';
import { proposeDecision, reviewDecision, type DecisionResult, type DecisionView } from './index';
import { balanceOf, creditTicket, footprint, newKey } from './test-helpers';

const N = 50;

const handle = setupTestDb({ when: isPostgres() });
// One agent credits every ticket here: the daily limit is tested in money-points.test.ts.
beforeAll(() => {
  process.env.DECISION_CREDIT_DAILY_LIMIT = '1000000.00';
});
afterAll(() => {
  delete process.env.DECISION_CREDIT_DAILY_LIMIT;
});

type Settled = { ok: true; result: DecisionResult } | { ok: false; code: string; message: string };

/** Runs `n` calls at once and sorts out results and typed refusals (anything else fails the test). */
async function race(n: number, call: (i: number) => Promise<DecisionResult>): Promise<Settled[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));
  return settled.map((s) => {
    if (s.status === 'fulfilled') return { ok: true, result: s.value };
    if (!isAppError(s.reason)) throw s.reason;
    return { ok: false, code: s.reason.code, message: s.reason.message };
  });
}

const OVERRIDE_REASON = 'Goodwill: the provider confirmed the outage on this order.';

/** The ledger's sum for a customer, straight from SQL, beside the balance function's answer. */
async function ledgerSum(customerId: number) {
  const [row] = await queryRows<{ total: string }>(
    handle.db,
    sql`select coalesce(sum(amount), 0)::numeric(14,2)::text as total from ledger_entries where customer_id = ${customerId}`,
  );
  return row!.total;
}

describe.runIf(isPostgres())('concurrency on PostgreSQL', () => {
  it(`${N} identical approvals of one credit at once: exactly one ledger row, every caller gets the first result`, async () => {
    const agent = await createStaff(handle.db);
    const boss = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket, customer } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decision.state).toBe('awaiting_approval');

    const results = await race(N, () => reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true }));
    const oks = results.filter((r) => r.ok);
    expect(oks).toHaveLength(N);
    expect(oks.filter((r) => !r.result.replayed)).toHaveLength(1);
    for (const r of oks) expect(r.result.decision).toMatchObject({ id: decision.id, state: 'executed', reviewedBy: { id: boss.id } });

    const f = await footprint(handle.db, ticket.id);
    expect(f.ledger).toHaveLength(1);
    expect(f.jobs.filter((j) => j.kind === 'credit_granted')).toHaveLength(1);
    expect(f.audit.filter((a) => a.action === 'decision.approved')).toHaveLength(1);
    expect(await balanceOf(handle.db, customer.id)).toBe('50.01');
    expect(await ledgerSum(customer.id)).toBe('50.01');
  });

  it(`${N} approvals of one credit by different supervisors at once: one executes it, the rest are told who did`, async () => {
    const agent = await createStaff(handle.db);
    const bosses = await Promise.all(Array.from({ length: N }, () => createStaff(handle.db, { role: 'supervisor' })));
    const { ticket, customer } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });

    const results = await race(N, (i) =>
      reviewDecision(ctxFor(bosses[i]!), { decisionId: decision.id, approve: i % 2 === 0, reason: 'Not without the provider’s log.' }),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const state = winners[0]!.ok ? winners[0]!.result.decision.state : null;
    const verdict = state === 'executed' ? 'approved' : 'rejected';
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ code: 'conflict', message: expect.stringContaining(`was already ${verdict} by`) });
    }
    const f = await footprint(handle.db, ticket.id);
    expect(f.ledger).toHaveLength(state === 'executed' ? 1 : 0);
    expect(await ledgerSum(customer.id)).toBe(state === 'executed' ? '50.01' : '0.00');
  });

  it(`${N} proposals with different keys on one ticket at once: one executes, the rest get a clear conflict`, async () => {
    const agent = await createStaff(handle.db);
    const { ticket, customer } = await creditTicket(handle.db);
    const results = await race(N, () =>
      proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok))
      expect(r).toEqual({ ok: false, code: 'conflict', message: `T-${ticket.id} is already resolved.` });
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions).toHaveLength(1);
    expect(f.ledger).toHaveLength(1);
    expect(await balanceOf(handle.db, customer.id)).toBe('7.50');
    expect(await ledgerSum(customer.id)).toBe('7.50');
  });

  it(`${N} proposals needing approval with different keys on one ticket at once: one waits, the rest get a clear conflict`, async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const results = await race(N, () =>
      proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toEqual({ ok: false, code: 'conflict', message: `T-${ticket.id} already has a decision waiting for approval.` });
    }
    const waiting = await handle.db.select().from(decisions).where(eq(decisions.ticketId, ticket.id));
    expect(waiting.map((d) => d.state)).toEqual(['awaiting_approval']);
  });

  it(`${N} identical proposals (the same key) at once: one decision row, every caller gets the same result`, async () => {
    const agent = await createStaff(handle.db);
    const { ticket, customer } = await creditTicket(handle.db);
    const key = newKey();
    const results = await race(N, () =>
      proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: key }),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const decisionsSeen = results.map((r) => (r.ok ? r.result.decision : null));
    expect(results.filter((r) => r.ok && !r.result.replayed)).toHaveLength(1);
    for (const d of decisionsSeen) expect(d).toEqual(decisionsSeen[0]);
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions).toHaveLength(1);
    expect(f.ledger).toHaveLength(1);
    expect(f.audit).toHaveLength(2);
    expect(await ledgerSum(customer.id)).toBe('7.50');
  });

  it(`${N} credits on ${N} different tickets at once all execute, each once (deadlock victims run again)`, async () => {
    const agent = await createStaff(handle.db);
    const made = await Promise.all(Array.from({ length: N }, () => creditTicket(handle.db)));
    const results = await race(N, (i) =>
      proposeDecision(ctxFor(agent), { ticketId: made[i]!.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() }),
    );
    expect(results.filter((r) => r.ok && r.result.decision.state === 'executed')).toHaveLength(N);
    for (const { ticket, customer } of made) {
      expect(await ledgerSum(customer.id)).toBe('7.50');
      expect((await footprint(handle.db, ticket.id)).ticket.status).toBe('resolved');
    }
  });

  it('approvals racing on credits for tickets about the same order never pay more than its charge', async () => {
    const agent = await createStaff(handle.db);
    const boss = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket, customer } = await creditTicket(handle.db, { charge: '100.00', delivered: 0 });
    const others = await handle.db
      .insert(tickets)
      .values(
        Array.from({ length: 19 }, () => ({
          customerId: customer.id,
          orderId: ticket.orderId,
          claim: 'other' as const,
          openedAt: new Date(),
        })),
      )
      .returning();
    const ids = [ticket.id, ...others.map((t) => t.id)];
    const proposals: DecisionView[] = [];
    for (const id of ids) {
      proposals.push(
        (
          await proposeDecision(ctxFor(agent), {
            ticketId: id,
            outcome: 'balance_credit',
            amount: '10.00',
            reason: OVERRIDE_REASON,
            idempotencyKey: newKey(),
          })
        ).decision,
      );
    }
    // Ten fit into the charge; the approvals wait for each other on the order's row lock and the rest find no room left.
    const results = await race(proposals.length, (i) => reviewDecision(ctxFor(boss), { decisionId: proposals[i]!.id, approve: true }));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ code: 'conflict', message: expect.stringContaining('can no longer be paid: at most 0.00 USD remains') });
    }
    const [row] = await queryRows<{ total: string; n: number }>(
      handle.db,
      sql`select coalesce(sum(le.amount), 0)::numeric(14,2)::text as total, count(*)::int as n from ${ledgerEntries} le join ${tickets} t on t.id = le.ticket_id where t.order_id = ${ticket.orderId}`,
    );
    expect(row).toEqual({ total: '100.00', n: 10 });
  });
});

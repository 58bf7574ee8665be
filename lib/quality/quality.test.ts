import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { seedDecisionHistory } from '@/lib/demo/decision-history';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { currentPolicyParams } from '@/lib/policy-params';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { agentRows, getQualityReport, qualityRange, type AgentCurrencyCounts } from './metrics';
import { replayPolicy } from './replay';

const handle = setupTestDb();
const DAY_MS = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const auditCount = async () => Number((await queryRows<{ n: string }>(handle.db, sql`select count(*) as n from audit_events`))[0]!.n);

describe('policy replay', () => {
  it('lists the tickets a 3-day review window turns into untimely denials, and writes nothing but its audit event', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    const changedAt = new Date(Date.now() - 6 * DAY_MS);
    const late = await createOrderTicket(handle.db, {
      order: { statusChangedAt: changedAt },
      ticket: { openedAt: new Date(changedAt.getTime() + 5 * DAY_MS) },
    });
    const early = await createOrderTicket(handle.db, {
      order: { statusChangedAt: changedAt },
      ticket: { openedAt: new Date(changedAt.getTime() + DAY_MS) },
    });
    const before = await handle.db.select().from(tickets).where(eq(tickets.id, late.ticket.id));
    const events = await auditCount();

    const from = new Date(Date.now() - 10 * DAY_MS).toISOString().slice(0, 10);
    const same = await replayPolicy(ctx, { from, to: today() });
    expect(same.changed).toBe(0);
    expect(same.tickets).toBeGreaterThanOrEqual(2);

    const result = await replayPolicy(ctx, { from, to: today(), reviewWindowDays: '3' });
    expect(result.replayed.claimWindowDays).toBe(3);
    const change = result.list.find((c) => c.ticketId === late.ticket.id);
    expect(change).toMatchObject({ to: 'deny', reason: 'untimely' });
    expect(change!.from).not.toBe('deny');
    expect(result.list.find((c) => c.ticketId === early.ticket.id)).toBeUndefined();
    expect(result.transitions).toContainEqual(expect.objectContaining({ to: 'deny', reason: 'untimely' }));

    // Nothing written but one event per replay.
    expect(await handle.db.select().from(tickets).where(eq(tickets.id, late.ticket.id))).toEqual(before);
    expect(await auditCount()).toBe(events + 2);
    const [event] = await queryRows<{ action: string; after: { params: { claimWindowDays: number }; changed: number } }>(
      handle.db,
      sql`select action, after from audit_events order by id desc limit 1`,
    );
    expect(event).toMatchObject({ action: 'policy.replayed', after: { params: { claimWindowDays: 3 }, changed: result.changed } });
  });

  it('reads in batches (the same answer whatever the batch size) and refuses bad parameters and agents', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    const a = await replayPolicy(ctx, { reviewWindowDays: '2' }, { batchSize: 1 });
    const b = await replayPolicy(ctx, { reviewWindowDays: '2' });
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
    await expect(replayPolicy(ctx, { reviewWindowDays: '-1' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(replayPolicy(ctx, { approvalThreshold: 'lots' })).rejects.toMatchObject({ code: 'invalid' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    await expect(replayPolicy(ctxFor(agent), {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("counts a customer's earlier refund requests over each parameter set's own window", async () => {
    const ctx = ctxFor(await createStaff(handle.db, { role: 'supervisor' }));
    const { customer, ticket } = await createOrderTicket(handle.db);
    const current = await currentPolicyParams(handle.db);
    // As many earlier requests as make serial behaviour, all 40–60 days before: inside 90 days, outside 30.
    for (let i = 0; i < current.serialRefundRequests; i += 1)
      await handle.db.insert(tickets).values({
        customerId: customer.id,
        claim: 'other',
        openedAt: new Date(ticket.openedAt.getTime() - (40 + i) * DAY_MS),
        firstResponseDueAt: ticket.firstResponseDueAt,
        resolutionDueAt: ticket.resolutionDueAt,
      });
    const day = ticket.openedAt.toISOString().slice(0, 10);
    const result = await replayPolicy(ctx, { from: day, to: day }, { params: { ...current, refundRequestWindowDays: 30 } });
    const change = result.list.find((c) => c.ticketId === ticket.id);
    expect(current.refundRequestWindowDays).toBe(90);
    expect(change).toBeDefined();
    expect(change!.from).not.toBe(change!.to);
    expect(result.transitions.some((t) => t.from === 'escalate' || t.from === 'deny')).toBe(true);
  });
});

describe('decision quality', () => {
  it('counts decisions by day and outcome, overrides and credits per agent, and flags the outlier', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    await createStaff(handle.db, { role: 'agent', name: 'Quiet Agent' });
    const ctx = ctxFor(supervisor);
    // Resolved tickets with suggestions, then the demo history decides them.
    for (let i = 0; i < 40; i += 1) {
      const { ticket } = await createOrderTicket(handle.db, { evidenceFiles: 0 });
      await handle.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, ticket.id));
    }
    await handle.db.execute(
      sql`update staff_users set email = 'carlos@demo.test' where name = 'Quiet Agent' and email not like 'carlos@%'`,
    );
    const made = await seedDecisionHistory(handle.db, { seed: 3 });
    expect(made).toBeGreaterThanOrEqual(40);

    const from = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);
    const report = await getQualityReport(ctx, { from, to: today() });
    const total = report.decisionsByDay.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(made);
    expect(report.teamTotals.decisions).toBe(made);
    expect(report.agents.reduce((s, a) => s + a.decisions, 0)).toBe(made);
    const [counts] = await queryRows<{ overrides: string }>(handle.db, sql`select count(*) as overrides from decisions where is_override`);
    const credits = await queryRows<{ currency: string; total: string }>(
      handle.db,
      sql`select currency, sum(amount)::text as total from ledger_entries where kind = 'decision_credit' group by 1 order by 1`,
    );
    expect(report.teamTotals.overrides).toBe(Number(counts!.overrides));
    expect(
      report.teamTotals.credits.map((c) => ({ currency: c.currency, total: c.total })).sort((a, b) => a.currency.localeCompare(b.currency)),
    ).toEqual(credits.map((c) => ({ currency: c.currency, total: Number(c.total).toFixed(2) })));
    expect(report.timing.decision.n).toBe(made);
    // Late decisions per agent count the tickets the late list shows (the list stops at 50).
    const lateCount = report.lateByAgent.reduce((n, a) => n + a.late, 0);
    if (report.lateTickets.length < 50) expect(lateCount).toBe(report.lateTickets.length);
    else expect(lateCount).toBeGreaterThanOrEqual(50);
    for (const a of report.lateByAgent) expect(a.late).toBeLessThanOrEqual(a.withDeadline);
    expect(report.timing.decision.medianH).toBeGreaterThan(0);
    // The 'Carlos' agent overrides about half the time against about 8% for the rest.
    const carlos = report.agents.find((a) => a.email.startsWith('carlos@'))!;
    expect(carlos.overrideRate).toBeGreaterThan(report.teamTotals.overrideRate);
    expect(carlos.decisions).toBeGreaterThanOrEqual(5);
    expect(carlos.isOverrideOutlier).toBe(true);
    expect(report.agents.filter((a) => a.isOverrideOutlier).map((a) => a.staffId)).toEqual([carlos.staffId]);

    const one = await getQualityReport(ctx, { from, to: today(), agent: String(carlos.staffId) });
    expect(one.agents.map((a) => a.staffId)).toEqual([carlos.staffId]);
    await expect(getQualityReport(ctx, { from: today(), to: from })).rejects.toMatchObject({ code: 'invalid' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    await expect(getQualityReport(ctxFor(agent), {})).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('credits in two currencies', () => {
  const row = (over: Partial<AgentCurrencyCounts>): AgentCurrencyCounts => ({
    staffId: 1,
    name: 'A',
    email: 'a@test',
    currency: 'USD',
    decisions: 10,
    overrides: 0,
    credits: 0,
    creditTotal: '0',
    ...over,
  });

  it('are never added together: totals, per-decision figures and outliers stay in their currency', () => {
    const { rows, teamCredits, teamDecisions } = agentRows([
      // Ana credits much more per decision in EUR than the rest of the team does in EUR.
      row({ staffId: 1, name: 'Ana', currency: 'EUR', decisions: 10, credits: 8, creditTotal: '400.00' }),
      row({ staffId: 1, name: 'Ana', currency: 'USD', decisions: 10, credits: 1, creditTotal: '10.00' }),
      // Ben credits a lot in USD, but so does Cy: not an outlier; his EUR is modest.
      row({ staffId: 2, name: 'Ben', currency: 'EUR', decisions: 10, credits: 1, creditTotal: '20.00' }),
      row({ staffId: 2, name: 'Ben', currency: 'USD', decisions: 10, credits: 5, creditTotal: '300.00' }),
      row({ staffId: 2, name: 'Ben', currency: null, decisions: 3, overrides: 1 }),
      row({ staffId: 3, name: 'Cy', currency: 'EUR', decisions: 10, credits: 1, creditTotal: '10.00' }),
      row({ staffId: 3, name: 'Cy', currency: 'USD', decisions: 10, credits: 5, creditTotal: '300.00' }),
    ]);
    expect(teamDecisions).toBe(63);
    expect(teamCredits).toEqual([
      // Most credits first; per decision cut to whole cents.
      { currency: 'USD', decisions: 30, credits: 11, total: '610.00', perDecision: '20.33' },
      { currency: 'EUR', decisions: 30, credits: 10, total: '430.00', perDecision: '14.33' },
    ]);
    const ana = rows.find((r) => r.name === 'Ana')!;
    expect(ana.credits).toBe(9);
    expect(ana.creditsByCurrency).toEqual([
      { currency: 'USD', decisions: 10, credits: 1, total: '10.00', perDecision: '1.00', othersPerDecision: '30.00', isOutlier: false },
      { currency: 'EUR', decisions: 10, credits: 8, total: '400.00', perDecision: '40.00', othersPerDecision: '1.50', isOutlier: true },
    ]);
    expect(ana.isCreditOutlier).toBe(true);
    // Added across currencies, Ben (320.00 over 23 decisions) would be far above Cy and close to Ana.
    const ben = rows.find((r) => r.name === 'Ben')!;
    expect(ben.decisions).toBe(23);
    expect(ben.overrides).toBe(1);
    expect(ben.creditsByCurrency.map((c) => [c.currency, c.total, c.isOutlier])).toEqual([
      ['USD', '300.00', false],
      ['EUR', '20.00', false],
    ]);
    expect(ben.isCreditOutlier).toBe(false);
    expect(rows.map((r) => r.name)).toEqual(['Ana', 'Ben', 'Cy']);
  });

  it('come out of the report per currency, per agent and per day', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const agent = await createStaff(handle.db, { role: 'agent', name: 'Two Currencies' });
    const decide = async (currency: string, amount: string) => {
      const { customer, ticket } = await createOrderTicket(handle.db, { order: { currency }, evidenceFiles: 0 });
      const [d] = await queryRows<{ id: string }>(
        handle.db,
        sql`insert into decisions (ticket_id, suggested_outcome, suggested_reasons, policy_version, chosen_outcome, amount, currency,
              decided_by, state, idempotency_key, request_hash)
            values (${ticket.id}, 'balance_credit', '[]'::jsonb, '2026-06-10', 'balance_credit', ${amount}, ${currency},
              ${agent.id}, 'executed', ${`two-currencies-${ticket.id}`}, 'test')
            returning id`,
      );
      await handle.db.execute(
        sql`insert into ledger_entries (customer_id, amount, currency, kind, ticket_id, decision_id, idempotency_key, created_by)
            values (${customer.id}, ${amount}, ${currency}, 'decision_credit', ${ticket.id}, ${Number(d!.id)},
              ${`two-currencies-credit-${ticket.id}`}, ${agent.id})`,
      );
    };
    await decide('USD', '30.00');
    await decide('EUR', '20.50');
    await decide('EUR', '4.25');

    const report = await getQualityReport(ctxFor(supervisor), { agent: String(agent.id) });
    expect(report.currencies).toEqual(['EUR', 'USD']);
    expect(report.teamTotals.credits.map((c) => [c.currency, c.credits, c.total])).toEqual([
      ['EUR', 2, '24.75'],
      ['USD', 1, '30.00'],
    ]);
    expect(report.agents).toHaveLength(1);
    expect(report.agents[0]!.credits).toBe(3);
    expect(report.agents[0]!.creditsByCurrency.map((c) => [c.currency, c.decisions, c.total, c.perDecision])).toEqual([
      ['EUR', 2, '24.75', '12.37'],
      ['USD', 1, '30.00', '30.00'],
    ]);
    expect(report.creditsByDay).toEqual([
      { day: today(), currency: 'EUR', n: 2, total: '24.75' },
      { day: today(), currency: 'USD', n: 1, total: '30.00' },
    ]);
  });
});

describe('the date range', () => {
  it('refuses a range that is not made of calendar dates with a sentence naming the field, never a RangeError', () => {
    expect(() => qualityRange({ to: 'abc' })).toThrow(expect.objectContaining({ code: 'invalid', message: 'to: not a calendar date.' }));
    expect(() => qualityRange({ from: '2026-13-45', to: '2026-12-01' })).toThrow(
      expect.objectContaining({ code: 'invalid', message: 'from: not a calendar date.' }),
    );
    expect(qualityRange({ to: '2026-12-01' })).toEqual({ from: '2026-11-02', to: '2026-12-01' });
  });
});

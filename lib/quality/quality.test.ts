import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { seedDecisionHistory } from '@/lib/demo/decision-history';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { getQualityReport } from './metrics';
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
    const [counts] = await queryRows<{ overrides: string; credit: string }>(
      handle.db,
      sql`select (select count(*) from decisions where is_override) as overrides,
                 (select coalesce(sum(amount), 0)::text from ledger_entries where kind = 'decision_credit') as credit`,
    );
    expect(report.teamTotals.overrides).toBe(Number(counts!.overrides));
    expect(report.teamTotals.creditTotal).toBe(Number(counts!.credit).toFixed(2));
    expect(report.timing.decision.n).toBe(made);
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

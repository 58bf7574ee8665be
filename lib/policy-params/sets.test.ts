import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, decisions, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { listPendingApprovals, listTicketDecisions, proposeDecision } from '@/lib/decisions';
import { creditTicket, escalateTicket, newKey } from '@/lib/decisions/test-helpers';
import { DEFAULT_POLICY_PARAMS } from '@/lib/policy';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { bootstrapPolicyParams, currentPolicyParams, paramsSetVersion } from './index';
import { recomputeOpenSuggestions } from './recompute';
import { diffParams, getParamSet, listParamSets, proposeParamSet, reviewParamSet } from './sets';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

const figures = (overrides: Partial<Record<string, unknown>> = {}) => ({
  claimWindowDays: 7,
  minorVariancePercent: 2,
  serialRefundRequests: 5,
  approvalThreshold: '50.00',
  ...overrides,
});

describe('policy parameter sets', () => {
  it('are the built-in defaults of policy 2026-06-10 (version 1) until a set is approved', async () => {
    expect(await currentPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);
    expect(bootstrapPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);
    expect(paramsSetVersion(DEFAULT_POLICY_PARAMS)).toBe(1);
    expect(DEFAULT_POLICY_PARAMS).toMatchObject({ version: '2026-06-10', approvalThreshold: '50.00' });
  });

  it('never take effect without a second admin’s approval; the proposer cannot approve their own', async () => {
    const proposer = await createStaff(handle.db, { role: 'admin' });
    const second = await createStaff(handle.db, { role: 'admin' });
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const proposed = await proposeParamSet(ctxFor(proposer), {
      name: 'Longer review window',
      effectiveAt: new Date(Date.now() - 60_000).toISOString(),
      ...figures({ claimWindowDays: '10' }),
    });
    expect(proposed.version).toBe(2);
    // Proposed with an effective time already past, yet not in force: nobody approved it.
    expect(await currentPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);
    expect(await failure(reviewParamSet(ctxFor(proposer), { setId: 2, approve: true }))).toMatchObject({
      code: 'forbidden',
      message: 'You proposed this set; a second admin must approve it.',
    });
    expect(await failure(reviewParamSet(ctxFor(supervisor), { setId: 2, approve: true }))).toMatchObject({ code: 'forbidden' });
    expect(await currentPolicyParams()).toBe(DEFAULT_POLICY_PARAMS);

    const approved = await reviewParamSet(ctxFor(second), { setId: 2, approve: true });
    expect(approved).toMatchObject({ version: 2, state: 'approved' });
    const inForce = await currentPolicyParams();
    expect(inForce).toMatchObject({ version: '2026-06-10', claimWindowDays: 10 });
    expect(paramsSetVersion(inForce)).toBe(2);
    // Repeating the same verdict is a replay; another verdict is a conflict.
    await expect(reviewParamSet(ctxFor(second), { setId: 2, approve: true })).resolves.toMatchObject({ state: 'approved' });
    expect(await failure(reviewParamSet(ctxFor(second), { setId: 2, approve: false, reason: 'No.' }))).toMatchObject({ code: 'conflict' });

    const audit = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'policy_param_set'), eq(auditEvents.entityId, '2')));
    expect(audit.map((a) => a.action)).toEqual(['policy_params.proposed', 'policy_params.approved']);
    expect(audit[0]).toMatchObject({
      actorId: proposer.id,
      before: { version: 1 },
      after: { version: 2, params: { claimWindowDays: 10 } },
    });
    expect(audit[1]).toMatchObject({ actorId: second.id, before: { state: 'awaiting_approval' }, after: { state: 'approved' } });
  });

  it('count from their effective time, not from their approval', async () => {
    const [a, b] = [await createStaff(handle.db, { role: 'admin' }), await createStaff(handle.db, { role: 'admin' })];
    const at = new Date(Date.now() + 3_600_000);
    const { version } = await proposeParamSet(ctxFor(a!), {
      name: 'Next hour',
      effectiveAt: at.toISOString(),
      ...figures({ claimWindowDays: 12 }),
    });
    await reviewParamSet(ctxFor(b!), { setId: version, approve: true });
    expect((await currentPolicyParams()).claimWindowDays).toBe(10);
    expect((await currentPolicyParams(handle.db, new Date(at.getTime() + 1000))).claimWindowDays).toBe(12);
    // A rejected set never counts.
    const rejected = await proposeParamSet(ctxFor(a!), {
      name: 'Rejected',
      effectiveAt: new Date().toISOString(),
      ...figures({ claimWindowDays: 30 }),
    });
    expect(await failure(reviewParamSet(ctxFor(b!), { setId: rejected.version, approve: false }))).toMatchObject({ code: 'invalid' });
    await reviewParamSet(ctxFor(a!), { setId: rejected.version, approve: false, reason: 'Withdrawn.' });
    expect((await currentPolicyParams()).claimWindowDays).toBe(10);
    const { sets } = await listParamSets(ctxFor(a!));
    expect(sets.map((s) => [s.version, s.state, s.isInForce])).toEqual([
      [rejected.version, 'rejected', false],
      [version, 'approved', false],
      [2, 'approved', true],
      [1, 'approved', false],
    ]);
  });

  it('leave old decisions under the version they were made under, show the replay, and recompute open tickets', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const [a, b] = [await createStaff(handle.db, { role: 'admin' }), await createStaff(handle.db, { role: 'admin' })];
    const old = await creditTicket(handle.db, { charge: '20.00', delivered: 500 });
    expect(old.suggestion).toMatchObject({ outcome: 'balance_credit', amount: '10.00', requiresApproval: 'none' });
    const decided = await proposeDecision(ctxFor(agent), { ticketId: old.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decided.decision.state).toBe('executed');
    const open = await creditTicket(handle.db, { charge: '30.00', delivered: 500 });
    const before = await handle.db.select().from(tickets).where(eq(tickets.id, open.ticket.id));
    expect(before[0]!.suggestionParamsVersion).toBe(2);

    const proposed = await proposeParamSet(ctxFor(a!), {
      name: 'Lower threshold',
      effectiveAt: new Date().toISOString(),
      ...figures({ claimWindowDays: 10, approvalThreshold: '5' }),
    });
    expect(proposed.replay).toMatchObject({ days: 30, approvalChanged: expect.any(Number) });
    expect(proposed.replay.approvalChanged).toBeGreaterThanOrEqual(2);
    expect(proposed.replay.changed).toBeGreaterThanOrEqual(2);
    const detail = await getParamSet(ctxFor(b!), { setId: proposed.version });
    expect(diffParams(detail.inForce, detail.set.params)).toEqual([
      { key: 'approvalThreshold', label: 'Approval threshold', before: '50.00', after: '5.00' },
    ]);
    await reviewParamSet(ctxFor(b!), { setId: proposed.version, approve: true });
    await recomputeOpenSuggestions((await getParamSet(ctxFor(b!), { setId: proposed.version })).set.id);

    const [decision] = await handle.db.select().from(decisions).where(eq(decisions.ticketId, old.ticket.id));
    expect(decision!.policyVersion).toBe('2026-06-10');
    // Stored when it was proposed, not derived from its time: a later set changes nothing on it.
    expect(decision!.paramsVersion).toBe(2);
    const [resolved] = await handle.db.select().from(tickets).where(eq(tickets.id, old.ticket.id));
    expect(resolved).toMatchObject({ status: 'resolved', suggestionParamsVersion: 2 });
    const [recomputed] = await handle.db.select().from(tickets).where(eq(tickets.id, open.ticket.id));
    expect(recomputed).toMatchObject({ suggestionParamsVersion: proposed.version, suggestion: { requiresApproval: 'supervisor' } });
    const progress = (await getParamSet(ctxFor(b!), { setId: proposed.version })).set;
    expect(progress.recomputeDone).toBe(progress.recomputeTotal);
    expect(progress.recomputeFinishedAt).not.toBeNull();
  });

  it('store on each decision the version its suggestion was computed with, also on its audit row and approval card', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const [a, b] = [await createStaff(handle.db, { role: 'admin' }), await createStaff(handle.db, { role: 'admin' })];
    const before = paramsSetVersion(await currentPolicyParams())!;
    const open = await creditTicket(handle.db, { charge: '30.00', delivered: 500 });
    const waiting = await escalateTicket(handle.db);
    const [stored] = await handle.db.select().from(tickets).where(eq(tickets.id, open.ticket.id));
    expect(stored!.suggestionParamsVersion).toBe(before);

    // A set comes into force; the background recompute has not reached the ticket yet.
    const { version } = await proposeParamSet(ctxFor(a), {
      name: 'Higher threshold',
      effectiveAt: new Date().toISOString(),
      ...figures({ claimWindowDays: 11, approvalThreshold: '100.00' }),
    });
    await reviewParamSet(ctxFor(b), { setId: version, approve: true });
    expect(paramsSetVersion(await currentPolicyParams())).toBe(version);

    // The proposal is made under the set in force: its suggestion is recomputed in the same
    // transaction, and 15.00 is under the new threshold, so it executes at once.
    const decided = await proposeDecision(ctxFor(agent), { ticketId: open.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decided.decision).toMatchObject({ state: 'executed', amount: '15.00', paramsVersion: version, approvalReasons: [] });
    const [after] = await handle.db.select().from(tickets).where(eq(tickets.id, open.ticket.id));
    expect(after!.suggestionParamsVersion).toBe(version);
    const [row] = await handle.db.select().from(decisions).where(eq(decisions.id, decided.decision.id));
    expect(row!.paramsVersion).toBe(version);
    expect((await listTicketDecisions(ctxFor(agent), open.ticket.id))[0]).toMatchObject({ paramsVersion: version });
    const [proposedEvent] = await handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.entityType, 'decision'),
          eq(auditEvents.entityId, String(decided.decision.id)),
          eq(auditEvents.action, 'decision.proposed'),
        ),
      );
    expect(proposedEvent!.after).toMatchObject({ paramsVersion: version, suggestion: { paramsVersion: version } });

    // A waiting decision shows its version on the approval card.
    const escalation = await proposeDecision(ctxFor(agent), { ticketId: waiting.ticket.id, outcome: 'escalate', idempotencyKey: newKey() });
    expect(escalation.decision.state).toBe('awaiting_approval');
    const { items } = await listPendingApprovals(ctxFor(a));
    const card = items.find((i) => i.decision.id === escalation.decision.id);
    expect(card).toMatchObject({ decision: { paramsVersion: version }, suggestion: { paramsVersion: version } });
  });

  it('refuse a set that changes nothing, and bad figures field by field', async () => {
    const a = await createStaff(handle.db, { role: 'admin' });
    const inForce = await currentPolicyParams();
    expect(
      await failure(
        proposeParamSet(ctxFor(a), { name: 'Same', effectiveAt: new Date().toISOString(), ...figures({ ...inForce, version: undefined }) }),
      ),
    ).toMatchObject({ code: 'invalid', message: expect.stringContaining('in force already') });
    expect(
      await failure(proposeParamSet(ctxFor(a), { name: 'Bad', effectiveAt: 'soon', ...figures({ minorVariancePercent: 101 }) })),
    ).toMatchObject({ code: 'invalid', fieldErrors: { minorVariancePercent: [expect.any(String)], effectiveAt: [expect.any(String)] } });
  });
});

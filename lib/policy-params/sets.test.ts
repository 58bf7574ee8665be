import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, decisions, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { listPendingApprovals, listTicketDecisions, proposeDecision } from '@/lib/decisions';
import { creditTicket, escalateTicket, newKey, setFindings } from '@/lib/decisions/test-helpers';
import { createBareTicket, createOrderTicket } from '@/lib/tickets/test-factories';
import { DEFAULT_POLICY_PARAMS } from '@/lib/policy';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { bootstrapPolicyParams, currentPolicyParams, paramsOfSet, paramsOfVersion, paramsSetVersion } from './index';
import { runDueRecompute } from './recompute';
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
    expect(await failure(reviewParamSet(ctxFor(proposer), { setId: 2 ** 31, approve: true }))).toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('There is no parameter set with that number.'),
    });
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
    expect(await runDueRecompute(handle.db)).toMatchObject({ version: proposed.version, outcome: 'done' });

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

  it('version the refund-request window and the per-currency thresholds: differences, replay, suggestions and decisions', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const [a, b] = [await createStaff(handle.db, { role: 'admin' }), await createStaff(handle.db, { role: 'admin' })];
    const inForce = await currentPolicyParams();
    expect(inForce).toMatchObject({ refundRequestWindowDays: 90, approvalThresholds: {} });
    // Five other tickets of the same customer, opened 100 days before this one: outside a 90-day window.
    const usual = await creditTicket(handle.db, { charge: '30.00', delivered: 500 });
    for (let i = 0; i < 5; i += 1) {
      await createBareTicket(handle.db, {
        customerId: usual.customer.id,
        openedAt: new Date(usual.ticket.openedAt.getTime() - (100 + i) * 86_400_000),
      });
    }
    const euro = await createOrderTicket(handle.db, { order: { charge: '30.00', delivered: 500, status: 'partial', currency: 'EUR' } });
    expect(
      await setFindings(handle.db, euro.ticket.id, { companyFault: true, linkValid: true, targetPublic: true, targetUnchanged: true }),
    ).toMatchObject({ outcome: 'balance_credit', amount: '15.00', currency: 'EUR', requiresApproval: 'none' });
    const [usualBefore] = await handle.db.select().from(tickets).where(eq(tickets.id, usual.ticket.id));
    expect(usualBefore!.suggestion).toMatchObject({ outcome: 'balance_credit' });

    const same = {
      claimWindowDays: inForce.claimWindowDays,
      minorVariancePercent: inForce.minorVariancePercent,
      serialRefundRequests: inForce.serialRefundRequests,
      approvalThreshold: inForce.approvalThreshold,
    };
    expect(
      await failure(
        proposeParamSet(ctxFor(a), { name: 'Bad', effectiveAt: new Date().toISOString(), ...same, approvalThresholds: 'EURO 5' }),
      ),
    ).toMatchObject({ code: 'invalid', fieldErrors: { approvalThresholds: [expect.stringContaining('“EURO 5”')] } });
    expect(
      await failure(
        proposeParamSet(ctxFor(a), { name: 'Bad', effectiveAt: new Date().toISOString(), ...same, approvalThresholds: 'EUR 5, eur 6' }),
      ),
    ).toMatchObject({ code: 'invalid', fieldErrors: { approvalThresholds: ['EUR is listed twice; give each currency one threshold.'] } });
    expect(
      await failure(
        proposeParamSet(ctxFor(a), { name: 'Bad', effectiveAt: new Date().toISOString(), ...same, refundRequestWindowDays: 0 }),
      ),
    ).toMatchObject({ code: 'invalid', fieldErrors: { refundRequestWindowDays: [expect.any(String)] } });

    const proposed = await proposeParamSet(ctxFor(a), {
      name: 'Longer refund window, euro threshold',
      effectiveAt: new Date().toISOString(),
      ...same,
      refundRequestWindowDays: '120',
      approvalThresholds: 'eur 10, GBP 40.5',
    });
    // The replay counts the requests under each set's window and checks each threshold in its currency.
    expect(proposed.replay.outcomeChanged).toBeGreaterThanOrEqual(1);
    expect(proposed.replay.approvalChanged).toBeGreaterThanOrEqual(1);
    const detail = await getParamSet(ctxFor(b), { setId: proposed.version });
    expect(detail.set.params).toMatchObject({ refundRequestWindowDays: 120, approvalThresholds: { EUR: '10.00', GBP: '40.50' } });
    expect(diffParams(detail.inForce, detail.set.params)).toEqual([
      { key: 'refundRequestWindowDays', label: 'Refund-request window', before: '90', after: '120' },
      { key: 'approvalThresholds', label: 'Thresholds per currency', before: 'none', after: 'EUR 10.00, GBP 40.50' },
    ]);
    await reviewParamSet(ctxFor(b), { setId: proposed.version, approve: true });
    expect(await runDueRecompute(handle.db)).toMatchObject({ version: proposed.version, outcome: 'done' });

    const [usualAfter] = await handle.db.select().from(tickets).where(eq(tickets.id, usual.ticket.id));
    expect(usualAfter!.suggestion).toMatchObject({
      outcome: 'escalate',
      reasons: [{ code: 'serial_refunds', summary: expect.stringContaining('5 refund requests in 120 days') }],
    });
    const [euroAfter] = await handle.db.select().from(tickets).where(eq(tickets.id, euro.ticket.id));
    expect(euroAfter!.suggestion).toMatchObject({ outcome: 'balance_credit', amount: '15.00', requiresApproval: 'supervisor' });

    // 15.00 EUR is above the euro threshold; 15.00 USD is not above the one for other currencies.
    const inEuro = await proposeDecision(ctxFor(agent), { ticketId: euro.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(inEuro.decision).toMatchObject({
      state: 'awaiting_approval',
      approvalReasons: ['above_threshold'],
      paramsVersion: proposed.version,
    });
    const dollars = await creditTicket(handle.db, { charge: '30.00', delivered: 500 });
    const inDollars = await proposeDecision(ctxFor(agent), {
      ticketId: dollars.ticket.id,
      outcome: 'balance_credit',
      idempotencyKey: newKey(),
    });
    expect(inDollars.decision).toMatchObject({ state: 'executed', approvalReasons: [], paramsVersion: proposed.version });

    // A decision's set, by its stored version (the approval card labels its threshold with it).
    expect(await paramsOfVersion(handle.db, inEuro.decision.paramsVersion)).toMatchObject({ approvalThresholds: { EUR: '10.00' } });
    expect(await paramsOfVersion(handle.db, 1)).toBe(DEFAULT_POLICY_PARAMS);
    expect(await paramsOfVersion(handle.db, 99_999)).toBeNull();

    // A set stored before these figures existed reads as the policy's defaults for them.
    expect(
      paramsOfSet({
        version: 10_000,
        params: { version: '2026-06-10', claimWindowDays: 7, minorVariancePercent: 2, serialRefundRequests: 5, approvalThreshold: '50.00' },
      }),
    ).toMatchObject({ refundRequestWindowDays: 90, approvalThresholds: {} });
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

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { customers, ledgerEntries, staffUsers, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { AppError } from '@/lib/errors';
import { getDecisionContext, listPendingApprovals, listTicketDecisions, proposeDecision, reviewDecision } from './index';
import {
  balanceOf,
  cashRefundTicket,
  chargebackTicket,
  creditTicket,
  denyTicket,
  escalateTicket,
  footprint,
  newKey,
  refillTicket,
  reprocessTicket,
  requestInfoTicket,
} from './test-helpers';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as AppError,
  );

const staff = () => createStaff(handle.db);
const supervisor = () => createStaff(handle.db, { role: 'supervisor' });
const admin = () => createStaff(handle.db, { role: 'admin' });
const OVERRIDE_REASON = 'The customer sent a screenshot of the provider error log.';

describe('taking the suggestion', () => {
  it('a balance credit under the threshold executes at once: one ledger row, credit_granted and customer_reply jobs, a staff reply, the ticket resolved, audited', async () => {
    const agent = await staff();
    const { ticket, customer, suggestion } = await creditTicket(handle.db);
    expect(suggestion).toMatchObject({ outcome: 'balance_credit', amount: '7.50', currency: 'USD', requiresApproval: 'none' });

    const { decision, replayed } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      idempotencyKey: newKey(),
    });
    expect(replayed).toBe(false);
    expect(decision).toMatchObject({
      state: 'executed',
      outcome: 'balance_credit',
      amount: '7.50',
      currency: 'USD',
      isOverride: false,
      approvalReasons: [],
      suggestedOutcome: 'balance_credit',
      proposedBy: { id: agent.id, name: agent.name },
      reviewedBy: null,
    });
    expect(decision.reply).toContain('7.50 USD');
    expect(decision.reply).toContain('The problem was on our side');
    expect(decision.reply).not.toContain('policy:');

    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('resolved');
    expect(f.ledger).toHaveLength(1);
    expect(f.ledger[0]).toMatchObject({
      kind: 'decision_credit',
      amount: '7.50',
      currency: 'USD',
      ticketId: ticket.id,
      decisionId: decision.id,
      customerId: customer.id,
      createdBy: agent.id,
    });
    expect(f.ledger[0]!.idempotencyKey).toBe(f.decisions[0]!.idempotencyKey);
    expect(f.jobs.map((j) => j.kind).sort()).toEqual(['credit_granted', 'customer_reply']);
    expect(f.jobs.find((j) => j.kind === 'credit_granted')!.payload).toMatchObject({
      amount: '7.50',
      currency: 'USD',
      customerExternalId: customer.externalId,
      decisionId: decision.id,
    });
    const replies = f.messages.filter((m) => m.staffId === agent.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ isInternal: false, body: decision.reply });
    expect(f.audit.map((a) => a.action).sort()).toEqual(['decision.executed', 'decision.proposed']);
    expect(await balanceOf(handle.db, customer.id)).toBe('7.50');
  });

  it('a balance credit of exactly 50.00 needs no approval; 50.01 waits for a supervisor', async () => {
    const agent = await staff();
    const at = await creditTicket(handle.db, { charge: '100.00', delivered: 500 });
    expect(at.suggestion).toMatchObject({ outcome: 'balance_credit', amount: '50.00' });
    const first = await proposeDecision(ctxFor(agent), {
      ticketId: at.ticket.id,
      outcome: 'balance_credit',
      amount: '50.00',
      idempotencyKey: newKey(),
    });
    expect(first.decision).toMatchObject({ state: 'executed', approvalReasons: [] });

    const above = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    expect(above.suggestion).toMatchObject({ outcome: 'balance_credit', amount: '50.01', requiresApproval: 'supervisor' });
    const second = await proposeDecision(ctxFor(agent), { ticketId: above.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(second.decision).toMatchObject({
      state: 'awaiting_approval',
      amount: '50.01',
      isOverride: false,
      approvalReasons: ['above_threshold'],
    });
    const f = await footprint(handle.db, above.ticket.id);
    expect(f.ticket.status).toBe('awaiting_approval');
    expect(f.ledger).toHaveLength(0);
    expect(f.jobs).toHaveLength(0);
    expect(f.audit.map((a) => a.action)).toEqual(['decision.proposed']);

    const boss = await supervisor();
    const approved = await reviewDecision(ctxFor(boss), { decisionId: second.decision.id, approve: true });
    expect(approved.decision).toMatchObject({ state: 'executed', reviewedBy: { id: boss.id } });
    const after = await footprint(handle.db, above.ticket.id);
    expect(after.ticket.status).toBe('resolved');
    expect(after.ledger).toHaveLength(1);
    expect(after.ledger[0]).toMatchObject({ amount: '50.01', createdBy: boss.id });
    expect(after.audit.map((a) => a.action).sort()).toEqual(['decision.approved', 'decision.executed', 'decision.proposed']);
    expect(await balanceOf(handle.db, above.customer.id)).toBe('50.01');
  });

  it('reprocess and refill enqueue their job with the order number, reply, and resolve the ticket', async () => {
    const agent = await staff();
    for (const [make, outcome] of [
      [reprocessTicket, 'reprocess'],
      [refillTicket, 'refill'],
    ] as const) {
      const { ticket, order, suggestion } = await make(handle.db);
      expect(suggestion.outcome).toBe(outcome);
      const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome, idempotencyKey: newKey() });
      expect(decision.state).toBe('executed');
      const f = await footprint(handle.db, ticket.id);
      expect(f.ticket.status).toBe('resolved');
      expect(f.ledger).toHaveLength(0);
      expect(f.jobs.map((j) => j.kind).sort()).toEqual(['customer_reply', outcome].sort());
      expect(f.jobs.find((j) => j.kind === outcome)!.payload).toMatchObject({
        orderNumber: order.externalId,
        ticketId: ticket.id,
        decisionId: decision.id,
      });
    }
  });

  it('deny sends the reply and resolves the ticket', async () => {
    const agent = await staff();
    const { ticket } = await denyTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'deny',
      reply: 'Sorry, the profile was private.',
      idempotencyKey: newKey(),
    });
    expect(decision).toMatchObject({ state: 'executed', reply: 'Sorry, the profile was private.' });
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('resolved');
    expect(f.jobs.map((j) => j.kind)).toEqual(['customer_reply']);
    expect(f.jobs[0]!.payload).toMatchObject({ message: 'Sorry, the profile was private.' });
    expect(f.messages.filter((m) => m.staffId === agent.id).map((m) => m.body)).toEqual(['Sorry, the profile was private.']);
  });

  it('request_info lists exactly what is missing, in words, and waits for the customer', async () => {
    const agent = await staff();
    const { ticket, suggestion } = await requestInfoTicket(handle.db);
    expect(suggestion).toMatchObject({ outcome: 'request_info' });
    expect([...suggestion.missingInfo].sort()).toEqual(['evidence', 'explanation']);
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'request_info', idempotencyKey: newKey() });
    expect(decision.state).toBe('executed');
    expect(decision.reply).toContain('- a short description of what went wrong');
    expect(decision.reply).toContain('- a screenshot or other proof of the problem');
    expect(decision.reply).not.toContain('order number');
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('waiting_customer');
    expect(f.jobs.map((j) => j.kind)).toEqual(['customer_reply']);
  });

  it('escalation waits for a supervisor; approved, the ticket is escalated and unassigned', async () => {
    const agent = await staff();
    const { ticket } = await escalateTicket(handle.db);
    await handle.db.update(tickets).set({ assigneeId: agent.id }).where(eq(tickets.id, ticket.id));
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'escalate', idempotencyKey: newKey() });
    expect(decision).toMatchObject({ state: 'awaiting_approval', isOverride: false, approvalReasons: ['escalation'] });
    await reviewDecision(ctxFor(await supervisor()), { decisionId: decision.id, approve: true });
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket).toMatchObject({ status: 'escalated', assigneeId: null });
    expect(f.ledger).toHaveLength(0);
  });

  it('a suspension waits for a supervisor; approved, the customer is suspended and the panel told', async () => {
    const agent = await staff();
    const { ticket, customer } = await chargebackTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() });
    expect(decision).toMatchObject({
      state: 'awaiting_approval',
      accountAction: 'suspend',
      isOverride: false,
      approvalReasons: ['suspension'],
    });
    expect((await handle.db.select().from(customers).where(eq(customers.id, customer.id)))[0]!.isSuspended).toBe(false);
    await reviewDecision(ctxFor(await admin()), { decisionId: decision.id, approve: true });
    expect((await handle.db.select().from(customers).where(eq(customers.id, customer.id)))[0]!.isSuspended).toBe(true);
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('resolved');
    expect(f.jobs.map((j) => j.kind).sort()).toEqual(['account_suspended', 'customer_reply']);
  });

  it('a cash refund always waits; approved, it is recorded as a customer_reply job with the amount and no ledger row', async () => {
    const agent = await staff();
    const { ticket, customer, suggestion } = await cashRefundTicket(handle.db, { amount: '20.00' });
    expect(suggestion).toMatchObject({ outcome: 'original_method_refund', amount: '20.00', requiresApproval: 'supervisor' });
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'original_method_refund',
      idempotencyKey: newKey(),
    });
    expect(decision).toMatchObject({ state: 'awaiting_approval', amount: '20.00', approvalReasons: ['cash_refund'] });
    await reviewDecision(ctxFor(await supervisor()), { decisionId: decision.id, approve: true });
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('resolved');
    expect(f.ledger).toHaveLength(0);
    expect(f.jobs.map((j) => j.kind)).toEqual(['customer_reply']);
    expect(f.jobs[0]!.payload).toMatchObject({ amount: '20.00', currency: 'USD' });
    expect(await balanceOf(handle.db, customer.id)).toBe('0.00');
  });
});

describe('overrides', () => {
  it('another outcome without a reason of at least 15 characters is refused, naming reason', async () => {
    const agent = await staff();
    const { ticket } = await denyTicket(handle.db);
    for (const reason of [undefined, 'too short']) {
      const error = await failure(
        proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'reprocess', reason, idempotencyKey: newKey() }),
      );
      expect(error).toMatchObject({ code: 'invalid', fieldErrors: { reason: [expect.stringContaining('15 characters')] } });
    }
    expect((await footprint(handle.db, ticket.id)).decisions).toHaveLength(0);
  });

  it('another amount is an override and waits for a supervisor, even when smaller', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      amount: '5',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    expect(decision).toMatchObject({
      state: 'awaiting_approval',
      amount: '5.00',
      isOverride: true,
      overrideReason: OVERRIDE_REASON,
      approvalReasons: ['override'],
    });
    // The same amount written differently is no override.
    const other = await creditTicket(handle.db);
    const same = await proposeDecision(ctxFor(agent), {
      ticketId: other.ticket.id,
      outcome: 'balance_credit',
      amount: '7.5',
      idempotencyKey: newKey(),
    });
    expect(same.decision).toMatchObject({ state: 'executed', isOverride: false });
  });

  it('an agent cannot credit more than the order’s charge minus what was already credited for it', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    const error = await failure(
      proposeDecision(ctxFor(agent), {
        ticketId: ticket.id,
        outcome: 'balance_credit',
        amount: '12.51',
        reason: OVERRIDE_REASON,
        idempotencyKey: newKey(),
      }),
    );
    expect(error.code).toBe('invalid');
    expect(error.fieldErrors).toHaveProperty('amount');
    expect(error.message).toContain('At most 12.50 USD');

    // A second ticket about the same order: 7.50 already credited leaves 5.00.
    await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const [second] = await handle.db
      .insert(tickets)
      .values({ customerId: ticket.customerId, orderId: ticket.orderId, claim: 'other', openedAt: new Date() })
      .returning();
    const over = await failure(
      proposeDecision(ctxFor(agent), {
        ticketId: second!.id,
        outcome: 'balance_credit',
        amount: '5.01',
        reason: OVERRIDE_REASON,
        idempotencyKey: newKey(),
      }),
    );
    expect(over).toMatchObject({ code: 'invalid', fieldErrors: { amount: [expect.stringContaining('At most 5.00 USD')] } });
    expect(over.message).toContain('minus 7.50 USD already paid');
    const ok = await proposeDecision(ctxFor(agent), {
      ticketId: second!.id,
      outcome: 'balance_credit',
      amount: '5.00',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    expect(ok.decision.state).toBe('awaiting_approval');
  });

  it('an approval re-checks the room left: a credit paid meanwhile on the same order makes it a conflict', async () => {
    const agent = await staff();
    const boss = await supervisor();
    const { ticket } = await creditTicket(handle.db, { charge: '80.00', delivered: 0 });
    const [second] = await handle.db
      .insert(tickets)
      .values({ customerId: ticket.customerId, orderId: ticket.orderId, claim: 'other', openedAt: new Date() })
      .returning();
    const a = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      amount: '60.00',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    const b = await proposeDecision(ctxFor(agent), {
      ticketId: second!.id,
      outcome: 'balance_credit',
      amount: '60.00',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    await reviewDecision(ctxFor(boss), { decisionId: a.decision.id, approve: true });
    const error = await failure(reviewDecision(ctxFor(boss), { decisionId: b.decision.id, approve: true }));
    expect(error).toMatchObject({ code: 'conflict' });
    expect(error.message).toContain('at most 20.00 USD remains');
  });

  it('with a `verify` suggestion every decision is an override', async () => {
    const agent = await staff();
    const { createOrderTicket } = await import('@/lib/tickets/test-factories');
    const { ticket } = await createOrderTicket(handle.db);
    expect(ticket.id).toBeGreaterThan(0);
    const error = await failure(proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() }));
    expect(error.fieldErrors).toHaveProperty('reason');
    expect(error.message).toContain('verify the facts first');
  });
});

describe('approvals', () => {
  it('an agent cannot approve', async () => {
    const agent = await staff();
    const other = await staff();
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const error = await failure(reviewDecision(ctxFor(other), { decisionId: decision.id, approve: true }));
    expect(error.code).toBe('forbidden');
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(0);
  });

  it('a supervisor’s own proposal waits for another supervisor, and they cannot approve it themselves', async () => {
    const boss = await supervisor();
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(boss), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decision.state).toBe('awaiting_approval');
    const error = await failure(reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('another supervisor or admin');
    const approved = await reviewDecision(ctxFor(await supervisor()), { decisionId: decision.id, approve: true });
    expect(approved.decision.state).toBe('executed');
  });

  it('a user deactivated between propose and approve is refused mid-session', async () => {
    const agent = await staff();
    const boss = await supervisor();
    const ctx = ctxFor(boss);
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, boss.id));
    const error = await failure(reviewDecision(ctx, { decisionId: decision.id, approve: true }));
    expect(error.code).toBe('unauthenticated');
    // The agent, deactivated too, can no longer propose.
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, agent.id));
    const other = await creditTicket(handle.db);
    expect(
      (await failure(proposeDecision(ctxFor(agent), { ticketId: other.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() })))
        .code,
    ).toBe('unauthenticated');
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(0);
  });

  it('a rejection needs a reason, reopens the ticket, and shows who and why in the history', async () => {
    const agent = await staff();
    const boss = await supervisor();
    const { ticket } = await denyTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'reprocess',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    expect(decision).toMatchObject({ state: 'awaiting_approval', isOverride: true, approvalReasons: ['override'] });
    const noReason = await failure(reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: false, reason: 'no' }));
    expect(noReason).toMatchObject({ code: 'invalid', fieldErrors: { reason: [expect.stringContaining('5 characters')] } });

    const rejected = await reviewDecision(ctxFor(boss), {
      decisionId: decision.id,
      approve: false,
      reason: 'The profile is private; deny stands.',
    });
    expect(rejected.decision).toMatchObject({
      state: 'rejected',
      reviewedBy: { id: boss.id, name: boss.name },
      reviewReason: 'The profile is private; deny stands.',
    });
    const f = await footprint(handle.db, ticket.id);
    expect(f.ticket.status).toBe('open');
    expect(f.jobs).toHaveLength(0);
    expect(f.messages.filter((m) => m.staffId === boss.id)).toMatchObject([{ isInternal: true }]);
    expect(f.audit.map((a) => a.action).sort()).toEqual(['decision.proposed', 'decision.rejected']);

    const history = await listTicketDecisions(ctxFor(agent), ticket.id);
    expect(history).toMatchObject([{ id: decision.id, state: 'rejected', reviewReason: 'The profile is private; deny stands.' }]);
    // Approving it afterwards is a clear conflict; rejecting it again by the same person is a replay.
    const late = await failure(reviewDecision(ctxFor(await supervisor()), { decisionId: decision.id, approve: true }));
    expect(late).toMatchObject({ code: 'conflict', message: expect.stringContaining(`already rejected by ${boss.name}`) });
    const again = await reviewDecision(ctxFor(boss), {
      decisionId: decision.id,
      approve: false,
      reason: 'The profile is private; deny stands.',
    });
    expect(again.replayed).toBe(true);
    // The agent can now propose again.
    const next = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() });
    expect(next.decision.state).toBe('executed');
  });

  it('a ticket resolved meanwhile by other means cannot have its waiting decision approved, only rejected', async () => {
    const agent = await staff();
    const boss = await supervisor();
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    await handle.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, ticket.id));
    const error = await failure(reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true }));
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('was resolved meanwhile') });
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(0);
    expect(
      (await reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: false, reason: 'Resolved elsewhere.' })).decision.state,
    ).toBe('rejected');
    expect((await footprint(handle.db, ticket.id)).ticket.status).toBe('resolved');
  });

  it('lists what waits, oldest first, with the facts, the suggestion and the proposal', async () => {
    const agent = await staff();
    const boss = await supervisor();
    const first = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const second = await cashRefundTicket(handle.db);
    const a = await proposeDecision(ctxFor(agent), { ticketId: first.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const b = await proposeDecision(ctxFor(agent), {
      ticketId: second.ticket.id,
      outcome: 'original_method_refund',
      idempotencyKey: newKey(),
    });
    const { items, total } = await listPendingApprovals(ctxFor(boss));
    const ids = items.map((i) => i.decision.id);
    expect(ids.indexOf(a.decision.id)).toBeLessThan(ids.indexOf(b.decision.id));
    expect(total).toBeGreaterThanOrEqual(2);
    const item = items.find((i) => i.decision.id === a.decision.id)!;
    expect(item).toMatchObject({
      ticket: { id: first.ticket.id, claim: 'not_delivered' },
      customer: { id: first.customer.id, username: first.customer.username },
      order: { externalId: first.order.externalId, charge: '100.02' },
      payment: null,
      suggestion: {
        outcome: 'balance_credit',
        amount: '50.01',
        currency: 'USD',
        reasons: [expect.objectContaining({ code: 'company_fault' })],
      },
      decision: { outcome: 'balance_credit', amount: '50.01', proposedBy: { id: agent.id } },
    });
    const cash = items.find((i) => i.decision.id === b.decision.id)!;
    expect(cash.payment).toMatchObject({ method: 'card', isDuplicate: true, isCredited: false });
    expect(cash.order).toBeNull();
    expect((await failure(listPendingApprovals(ctxFor(agent)))).code).toBe('forbidden');
  });
});

describe('refusals', () => {
  it('a resolved ticket, a pending decision and an unknown ticket are refused clearly', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const resolved = await failure(proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() }));
    expect(resolved).toMatchObject({ code: 'conflict', message: `T-${ticket.id} is already resolved.` });

    const waiting = await escalateTicket(handle.db);
    await proposeDecision(ctxFor(agent), { ticketId: waiting.ticket.id, outcome: 'escalate', idempotencyKey: newKey() });
    const pending = await failure(
      proposeDecision(ctxFor(agent), { ticketId: waiting.ticket.id, outcome: 'escalate', idempotencyKey: newKey() }),
    );
    expect(pending).toMatchObject({ code: 'conflict', message: `T-${waiting.ticket.id} already has a decision waiting for approval.` });

    expect((await failure(proposeDecision(ctxFor(agent), { ticketId: 987_654_321, outcome: 'deny', idempotencyKey: newKey() }))).code).toBe(
      'not_found',
    );
    expect((await failure(reviewDecision(ctxFor(await supervisor()), { decisionId: 987_654_321, approve: true }))).code).toBe('not_found');
  });

  it('a second credit on a reopened ticket hits the one-credit-per-ticket index and becomes a clear conflict', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    await handle.db.update(tickets).set({ status: 'open' }).where(eq(tickets.id, ticket.id));
    // Another amount is an override: it waits, and approving it is where the index holds.
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      amount: '1.00',
      reason: OVERRIDE_REASON,
      idempotencyKey: newKey(),
    });
    const error = await failure(reviewDecision(ctxFor(await supervisor()), { decisionId: decision.id, approve: true }));
    expect(error).toMatchObject({
      code: 'conflict',
      message: `T-${ticket.id} already has an executed balance credit; a ticket gets one credit at most.`,
    });
    const f = await footprint(handle.db, ticket.id);
    expect(f.ledger).toHaveLength(1);
    expect(f.decisions.find((d) => d.id === decision.id)!.state).toBe('awaiting_approval');
  });

  it('bad input names the field: amount format, amount on a non-paying outcome, unknown outcome, missing key', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ outcome: 'balance_credit', amount: '7.505' }, 'amount'],
      [{ outcome: 'balance_credit', amount: '0.00' }, 'amount'],
      [{ outcome: 'balance_credit', amount: 7.5 }, 'amount'],
      [{ outcome: 'balance_credit', amount: '-1' }, 'amount'],
      [{ outcome: 'deny', amount: '1.00' }, 'amount'],
      [{ outcome: 'verify' }, 'outcome'],
      [{ outcome: 'deny', idempotencyKey: 'short' }, 'idempotencyKey'],
      [{ outcome: 'deny', idempotencyKey: undefined }, 'idempotencyKey'],
      [{ outcome: 'deny', extra: 1 }, 'extra'],
    ];
    for (const [input, field] of cases) {
      const error = await failure(proposeDecision(ctxFor(agent), { ticketId: ticket.id, idempotencyKey: newKey(), ...input }));
      expect(error.code, JSON.stringify(input)).toBe('invalid');
      expect(Object.keys(error.fieldErrors ?? {}), JSON.stringify(input)).toContain(field);
    }
  });
});

describe('idempotency', () => {
  it('the same key and request returns the first result without a second row or audit; another request with it is a conflict', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    const key = newKey();
    const first = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: key });
    const again = await proposeDecision(ctxFor(agent), {
      ticketId: String(ticket.id),
      outcome: 'balance_credit',
      amount: '',
      idempotencyKey: key,
    });
    expect(again.replayed).toBe(true);
    expect(again.decision).toEqual(first.decision);
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions).toHaveLength(1);
    expect(f.ledger).toHaveLength(1);
    expect(f.audit).toHaveLength(2);

    const different = await failure(proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: key }));
    expect(different).toMatchObject({ code: 'conflict', message: 'This Idempotency-Key was already used for a different request.' });
    const elsewhere = await creditTicket(handle.db);
    const otherTicket = await failure(
      proposeDecision(ctxFor(agent), { ticketId: elsewhere.ticket.id, outcome: 'balance_credit', idempotencyKey: key }),
    );
    expect(otherTicket).toMatchObject({ code: 'conflict', message: 'This Idempotency-Key was already used for a different request.' });
    const otherUser = await failure(
      proposeDecision(ctxFor(await staff()), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: key }),
    );
    expect(otherUser.code).toBe('conflict');
    expect(await handle.db.select().from(ledgerEntries).where(eq(ledgerEntries.ticketId, elsewhere.ticket.id))).toHaveLength(0);
  });
});

describe('getDecisionContext', () => {
  it('gives the suggestion, the room left, drafts per outcome, the history and what is unavailable', async () => {
    const agent = await staff();
    const { ticket } = await creditTicket(handle.db);
    const context = await getDecisionContext(ctxFor(agent), ticket.id);
    expect(context).toMatchObject({
      ticket: { id: ticket.id, status: 'open' },
      suggestedOutcome: 'balance_credit',
      suggested: { outcome: 'balance_credit', amount: '7.50' },
      credit: { kind: 'order', total: '12.50', alreadyPaid: '0.00', remaining: '12.50', currency: 'USD' },
      approvalThreshold: '50.00',
      history: [],
      pending: null,
      blockedReason: null,
    });
    expect(context.drafts.balance_credit).toContain('{{amount}}');
    expect(context.drafts.deny).toContain(`T-${ticket.id}`);
    expect(context.unavailable).toEqual({});

    await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const after = await getDecisionContext(ctxFor(agent), ticket.id);
    expect(after.history).toHaveLength(1);
    expect(after.credit).toMatchObject({ alreadyPaid: '7.50', remaining: '5.00' });
    expect(after.blockedReason).toContain('resolved');

    const cash = await cashRefundTicket(handle.db);
    const noOrder = await getDecisionContext(ctxFor(agent), cash.ticket.id);
    expect(noOrder.unavailable).toMatchObject({ reprocess: expect.any(String), refill: expect.any(String) });
    expect(noOrder.credit).toMatchObject({ kind: 'payment', total: '25.00' });
  });
});

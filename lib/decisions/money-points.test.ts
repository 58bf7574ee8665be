/**
 * The money points of "The desk on day one" and "Hardening": a cancel is a real step settled by the
 * panel's answer; the credit room subtracts the panel's own refunds and the approval card carries the
 * facts; a supervisor decides an escalated ticket; claims protect tickets; split credits are counted
 * per person over a rolling window (race-free on PostgreSQL).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setDbHandle, type DbHandle } from '@/db';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, decisions, ledgerEntries, orderEvents, orders, providerJobs, ticketMessages, tickets } from '@/db/schema';
import { createTestDb, isPostgres } from '@/db/testing';
import type { ApiKeyCtx } from '@/lib/auth/actor';
import { getCustomerLedger, requestManualCredit, requestReversal } from '@/lib/credits';
import { AppError } from '@/lib/errors';
import { authenticateApiKey, createApiKey, ORDER_EVENTS_SCOPE } from '@/lib/api-keys';
import { recordOrderEvent } from '@/lib/intake/order-events';
import { startFakePanel } from '@/lib/provider/fake-panel';
import { runWorkerOnce } from '@/lib/provider/worker';
import { readDeliveryConfig } from '@/lib/provider/config';
import { saveFindings } from '@/lib/tickets/findings';
import { addTicketMessage } from '@/lib/tickets/messages';
import { assignTicket, claimTicket, takeOverTicket } from '@/lib/tickets/claim';
import { createCustomer, createOrderTicket } from '@/lib/tickets/test-factories';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { getDecisionContext, listPendingApprovals, proposeDecision, reviewDecision } from './index';
import { creditTicket, escalateTicket, footprint, newKey } from './test-helpers';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
  setDbHandle(handle);
});
afterAll(() => handle.close());
afterEach(() => {
  delete process.env.DECISION_CREDIT_DAILY_LIMIT;
  delete process.env.MANUAL_CREDIT_PER_ADMIN_LIMIT;
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as AppError,
  );
const agent = () => createStaff(handle.db);
const supervisor = () => createStaff(handle.db, { role: 'supervisor' });
const admin = () => createStaff(handle.db, { role: 'admin' });

let keys = 0;
async function panelCtx(): Promise<ApiKeyCtx> {
  const key = await createApiKey(handle.db, { name: `panel-money-${(keys += 1)}`, scopes: [ORDER_EVENTS_SCOPE] });
  return authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, 'orders.events.write', { via: 'api' });
}

/** A cancel request on an order the panel has not started: the suggestion is to cancel it and credit the charge. */
async function cancelTicket(charge = '12.50') {
  const made = await createOrderTicket(handle.db, {
    order: { status: 'submitted', delivered: 0, charge },
    ticket: { claim: 'cancel_request', requestedRemedy: 'cancel', explanation: 'Please cancel, I ordered the wrong link' },
  });
  return made;
}

const cancelJobOf = async (ticketId: number) =>
  (
    await handle.db
      .select()
      .from(providerJobs)
      .where(and(eq(providerJobs.ticketId, ticketId), eq(providerJobs.kind, 'cancel')))
  )[0];

describe('1. a cancel is a real step, settled by the panel', () => {
  it('sends a cancel and waits: no credit, no reply, nothing told; the panel’s Canceled answer resolves it once (refunded by the panel)', async () => {
    const a = await agent();
    const { ticket, order } = await cancelTicket();
    const { decision } = await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decision).toMatchObject({ state: 'awaiting_panel', amount: '12.50' });

    let f = await footprint(handle.db, ticket.id);
    expect(f.ledger).toHaveLength(0);
    expect(f.jobs.map((j) => j.kind)).toEqual(['cancel']);
    expect(f.jobs[0]!.payload).toMatchObject({ orderNumber: order.externalId, amount: '12.50', currency: 'USD' });
    expect(f.messages.filter((m) => !m.isInternal)).toHaveLength(0);
    expect(f.ticket.status).toBe('open');
    const context = await getDecisionContext(ctxFor(a), ticket.id);
    expect(context.blockedReason).toMatch(/asked to cancel order/);
    expect(context.credit?.remaining).toBe('0.00'); // the cancel in flight holds the charge
    expect((await failure(proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() }))).code).toBe(
      'conflict',
    );

    const job = await cancelJobOf(ticket.id);
    await recordOrderEvent(await panelCtx(), {
      orderNumber: order.externalId,
      eventId: `${job!.eventId}:cancel_result`,
      kind: 'cancel_result',
      at: new Date().toISOString(),
      data: { status: 'Canceled', requestEventId: job!.eventId, refunded: '12.50', currency: 'USD' },
    });
    f = await footprint(handle.db, ticket.id);
    expect(f.decisions[0]).toMatchObject({ state: 'executed' });
    expect(f.ticket.status).toBe('resolved');
    expect(f.ledger).toHaveLength(0); // the panel moved the money, never both
    expect(f.jobs.map((j) => j.kind).sort()).toEqual(['cancel', 'customer_reply']);
    expect(f.messages.filter((m) => !m.isInternal).map((m) => m.body)).toEqual([decision.reply]);
    expect((await handle.db.select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe('canceled');
    expect(f.audit.map((e) => e.action)).toEqual(['decision.proposed', 'decision.cancel_requested', 'decision.executed']);
  });

  it('a refused cancel (the order started) puts the ticket back in the queue with the new facts; nothing credited or told', async () => {
    const a = await agent();
    const { ticket, order } = await cancelTicket();
    await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const job = await cancelJobOf(ticket.id);
    await recordOrderEvent(await panelCtx(), {
      orderNumber: order.externalId,
      eventId: `${job!.eventId}:cancel_result`,
      kind: 'cancel_result',
      at: new Date().toISOString(),
      data: { status: 'Rejected', requestEventId: job!.eventId, message: 'The order has already started.', orderStatus: 'processing' },
    });
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions[0]).toMatchObject({ state: 'rejected' });
    expect(f.decisions[0]!.reviewReason).toMatch(/did not cancel order .*already started/);
    expect(f.ticket.status).toBe('open');
    expect(f.ticket.suggestedOutcome).toBe('deny'); // started_order, on the new facts
    expect(f.ledger).toHaveLength(0);
    expect(f.jobs.map((j) => j.kind)).toEqual(['cancel']);
    expect(f.messages.filter((m) => !m.isInternal)).toHaveLength(0);
    expect(f.messages.filter((m) => m.isInternal).map((m) => m.body)[0]).toMatch(/nothing was credited and the customer was not told/);
    expect((await handle.db.select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe('processing');
    // Back in the queue: a new decision can be made.
    const again = await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() });
    expect(again.decision.state).toBe('executed');
  });

  it('end to end through the outbox worker and the fake panel (its side of the protocol)', async () => {
    const a = await agent();
    const { ticket, order } = await cancelTicket();
    const ctx = await panelCtx();
    const panel = await startFakePanel({
      secret: 'money-points-test-secret-0123456789',
      followUpDelayMs: 1,
      log: () => {},
      postEvent: async (orderNumber, event) => {
        await recordOrderEvent(ctx, { orderNumber, ...event });
        return 201;
      },
    });
    try {
      await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
      const config = readDeliveryConfig({ PANEL_WEBHOOK_URL: panel.url, PANEL_WEBHOOK_SECRET: 'money-points-test-secret-0123456789' });
      while ((await runWorkerOnce(handle.db, config)).claimed > 0);
      await panel.idle();
      const f = await footprint(handle.db, ticket.id);
      expect(f.decisions[0]!.state).toBe('executed');
      expect(f.ticket.status).toBe('resolved');
      const events = await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
      expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['cancel_requested', 'cancel_result']));
      const context = await getDecisionContext(ctxFor(a), ticket.id);
      expect(context.credit).toMatchObject({ panelRefunded: '12.50', remaining: '0.00' });
    } finally {
      await panel.close();
    }
  });

  it('an approval of a cancel after the order started is a conflict, not a plain credit', async () => {
    const s = await supervisor();
    const s2 = await supervisor();
    const { ticket, order } = await cancelTicket('60.00');
    const { decision } = await proposeDecision(ctxFor(s), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(decision.state).toBe('awaiting_approval'); // above the threshold
    await handle.db.update(orders).set({ status: 'processing' }).where(eq(orders.id, order.id));
    const error = await failure(reviewDecision(ctxFor(s2), { decisionId: decision.id, approve: true }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/can no longer be cancelled/);
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(0);
  });
});

describe('2. every ledger movement reaches the panel', () => {
  it('a manual credit and its reversal enqueue credit_granted and credit_reversed, shown on the customer’s ledger', async () => {
    const adm = await admin();
    const customer = await createCustomer(handle.db);
    const credit = await requestManualCredit(ctxFor(adm), {
      customerId: customer.id,
      amount: '10.00',
      currency: 'USD',
      reasonCode: 'goodwill',
      note: 'Sorry for the delay.',
      idempotencyKey: newKey(),
    });
    const reversal = await requestReversal(ctxFor(adm), {
      ledgerEntryId: credit.ledgerEntryId!,
      reasonCode: 'correction',
      note: 'Wrong customer.',
      idempotencyKey: newKey(),
    });
    const jobs = await handle.db.select().from(providerJobs).where(eq(providerJobs.ledgerEntryId, credit.ledgerEntryId!));
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([['credit_granted', 'pending']]);
    expect(jobs[0]!.payload).toMatchObject({
      customerExternalId: customer.externalId,
      amount: '10.00',
      ledgerEntryId: credit.ledgerEntryId,
    });
    const back = await handle.db.select().from(providerJobs).where(eq(providerJobs.ledgerEntryId, reversal.ledgerEntryId!));
    expect(back.map((j) => j.kind)).toEqual(['credit_reversed']);
    expect(back[0]!.payload).toMatchObject({ reversesLedgerEntryId: credit.ledgerEntryId, amount: '10.00' });

    const ledger = await getCustomerLedger(ctxFor(adm), { customerId: customer.id });
    expect(ledger.entries.map((e) => [e.kind, e.delivery?.kind, e.delivery?.state])).toEqual([
      ['reversal', 'credit_reversed', 'pending'],
      ['manual_credit', 'credit_granted', 'pending'],
    ]);
  });

  it('a ticket’s credit_granted job names its ledger entry', async () => {
    const a = await agent();
    const { ticket } = await creditTicket(handle.db);
    await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    const f = await footprint(handle.db, ticket.id);
    expect(f.jobs.find((j) => j.kind === 'credit_granted')!.ledgerEntryId).toBe(f.ledger[0]!.id);
  });
});

describe('3. approvals cannot pay twice', () => {
  it('the room subtracts what the panel refunded; the approval card carries findings, refund events and earlier credits', async () => {
    const a = await agent();
    const s = await supervisor();
    // A partial order the panel already refunded 5.00 for; the company's fault confirmed.
    const { ticket, order, customer } = await creditTicket(handle.db, { charge: '12.50', delivered: 400 });
    await handle.db.insert(orderEvents).values({
      orderId: order.id,
      kind: 'status_changed',
      at: new Date(order.statusChangedAt.getTime() + 1000),
      data: { to: 'partial', refunded: '5.00' },
    });
    await handle.db.insert(ledgerEntries).values({
      customerId: customer.id,
      amount: '1.00',
      currency: 'USD',
      kind: 'manual_credit',
      idempotencyKey: newKey(),
      createdBy: a.id,
    });
    const context = await getDecisionContext(ctxFor(a), ticket.id);
    expect(context.credit).toMatchObject({ total: '12.50', panelRefunded: '5.00', remaining: '7.50' });
    const refused = await failure(
      proposeDecision(ctxFor(a), {
        ticketId: ticket.id,
        outcome: 'balance_credit',
        amount: '8.00',
        reason: 'The customer says the rest never came.',
        idempotencyKey: newKey(),
      }),
    );
    expect(refused.code).toBe('invalid');
    expect(refused.message).toMatch(/5.00 USD the panel already refunded/);

    const { decision } = await proposeDecision(ctxFor(a), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      amount: '7.00',
      reason: 'Paying a little less than what is left after the panel’s refund.',
      idempotencyKey: newKey(),
    });
    expect(decision.state).toBe('awaiting_approval');
    const { items } = await listPendingApprovals(ctxFor(s));
    const item = items.find((i) => i.decision.id === decision.id)!;
    expect(item.findings).toMatchObject({ companyFault: true, linkValid: true });
    expect(item.refundEvents).toEqual([expect.objectContaining({ kind: 'status_changed', refunded: '5.00' })]);
    expect(item.earlierCredits).toEqual([expect.objectContaining({ kind: 'manual_credit', amount: '1.00', isSameOrder: false })]);
    expect(item.room).toMatchObject({ panelRefunded: '5.00', remaining: '7.50' });
  });

  it('a cancel the panel refunded leaves nothing to approve on another ticket about the same order', async () => {
    const a = await agent();
    const s = await supervisor();
    const { ticket, order, customer } = await createOrderTicket(handle.db, { order: { status: 'canceled', delivered: 0, charge: '9.00' } });
    await handle.db.insert(orderEvents).values({
      orderId: order.id,
      kind: 'cancel_result',
      at: new Date(order.statusChangedAt.getTime() - 1000),
      data: { status: 'Canceled', refunded: '9.00' },
    });
    await handle.db.transaction((tx) => refreshSuggestion(tx, ticket.id));
    const error = await failure(
      proposeDecision(ctxFor(a), {
        ticketId: ticket.id,
        outcome: 'balance_credit',
        amount: '9.00',
        reason: 'Customer insists nothing came back to the balance.',
        idempotencyKey: newKey(),
      }),
    );
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/At most 0.00 USD/);
    void s;
    void customer;
  });
});

describe('4. a supervisor decides an escalated ticket', () => {
  it('after the escalation is approved, the supervisor’s own choice executes; an above-threshold credit still waits', async () => {
    const a = await agent();
    const s1 = await supervisor();
    const s2 = await supervisor();
    const { ticket } = await escalateTicket(handle.db);
    const esc = await proposeDecision(ctxFor(a), { ticketId: ticket.id, outcome: 'escalate', idempotencyKey: newKey() });
    await reviewDecision(ctxFor(s1), { decisionId: esc.decision.id, approve: true });
    expect((await footprint(handle.db, ticket.id)).ticket.status).toBe('escalated');

    const context = await getDecisionContext(ctxFor(s2), ticket.id);
    expect(context.decidesEscalated).toBe(true);
    const big = await proposeDecision(ctxFor(s2), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      amount: '12.50',
      reason: 'Statutory claim accepted as goodwill after review.',
      idempotencyKey: newKey(),
    });
    // 12.50 is under the threshold: it is the supervisor's decision, no override for another supervisor.
    expect(big.decision).toMatchObject({ state: 'executed', isOverride: true, approvalReasons: [] });
  });

  it('the same supervisor choice on a ticket that is not escalated still needs another supervisor', async () => {
    const s = await supervisor();
    const { ticket } = await creditTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(s), {
      ticketId: ticket.id,
      outcome: 'deny',
      reason: 'The screenshots were edited, the delivery is fine.',
      idempotencyKey: newKey(),
    });
    expect(decision).toMatchObject({ state: 'awaiting_approval', approvalReasons: ['override'] });
  });
});

describe('11 / 7. a claim protects a ticket', () => {
  it('another agent is refused (decision, reply, note, findings) until they take it over; the first agent is told', async () => {
    const first = await createStaff(handle.db, { name: 'Agent First' });
    const second = await createStaff(handle.db, { name: 'Agent Second' });
    const { ticket } = await creditTicket(handle.db);
    await claimTicket(ctxFor(first), { ticketId: ticket.id });

    const refusals = await Promise.all([
      failure(proposeDecision(ctxFor(second), { ticketId: ticket.id, outcome: 'deny', reason: 'x'.repeat(20), idempotencyKey: newKey() })),
      failure(addTicketMessage(ctxFor(second), { ticketId: ticket.id, body: 'Denied.', isInternal: false })),
      failure(addTicketMessage(ctxFor(second), { ticketId: ticket.id, body: 'Looked at it.', isInternal: true })),
      failure(
        saveFindings(ctxFor(second), {
          ticketId: ticket.id,
          findings: {
            linkValid: true,
            targetPublic: true,
            targetUnchanged: true,
            duplicateOrderSameTarget: false,
            otherProvidersUsed: false,
            platformAction: false,
            companyFault: false,
          },
        }),
      ),
    ]);
    for (const error of refusals) {
      expect(error.code).toBe('conflict');
      expect(error.message).toBe(
        `T-${ticket.id} is claimed by Agent First. Take it over first (Agent First will be told), or ask a supervisor to reassign it.`,
      );
    }
    let f = await footprint(handle.db, ticket.id);
    expect(f.decisions).toHaveLength(0);
    expect(f.messages).toHaveLength(0);
    expect((await getDecisionContext(ctxFor(second), ticket.id)).claimedByOther).toMatchObject({ id: first.id });

    const taken = await takeOverTicket(ctxFor(second), { ticketId: ticket.id });
    expect(taken).toMatchObject({ assigneeId: second.id, previous: { id: first.id, name: 'Agent First' } });
    f = await footprint(handle.db, ticket.id);
    expect(f.ticket.assigneeId).toBe(second.id);
    expect(f.messages.map((m) => [m.isInternal, m.body])).toEqual([[true, `Agent First: Agent Second took over T-${ticket.id} from you.`]]);
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'ticket.taken_over'), eq(auditEvents.entityId, String(ticket.id))));
    expect(audit).toMatchObject({ before: { assigneeId: first.id }, after: { assigneeId: second.id } });

    const { decision } = await proposeDecision(ctxFor(second), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      idempotencyKey: newKey(),
    });
    expect(decision.state).toBe('executed');
    // Now the first agent is the one refused.
    expect((await failure(addTicketMessage(ctxFor(first), { ticketId: ticket.id, body: 'Hm', isInternal: true }))).code).toBe('conflict');
  });

  it('a supervisor reassigns a claimed ticket; agents cannot', async () => {
    const first = await agent();
    const second = await agent();
    const s = await supervisor();
    const { ticket } = await creditTicket(handle.db);
    await claimTicket(ctxFor(first), { ticketId: ticket.id });
    expect((await failure(assignTicket(ctxFor(second), { ticketId: ticket.id, assigneeId: second.id }))).code).toBe('forbidden');
    await assignTicket(ctxFor(s), { ticketId: ticket.id, assigneeId: second.id });
    expect((await handle.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!.assigneeId).toBe(second.id);
  });
});

describe('5. four-eyes cannot be split', () => {
  const manual = (customerId: number, amount: string) => ({
    customerId,
    amount,
    currency: 'USD',
    reasonCode: 'goodwill',
    note: 'Goodwill for the outage.',
    idempotencyKey: newKey(),
  });

  it('5 × 50.00 by one admin to one customer: the second already waits for a second admin', async () => {
    const adm = await admin();
    const customer = await createCustomer(handle.db);
    const first = await requestManualCredit(ctxFor(adm), manual(customer.id, '50.00'));
    expect(first.state).toBe('executed');
    const second = await requestManualCredit(ctxFor(adm), manual(customer.id, '50.00'));
    expect(second.state).toBe('awaiting_approval');
    expect(second.approvalReason).toMatch(/You have credited this customer 50.00 USD in the last 24 hours/);
    // Another admin is counted on their own.
    const other = await requestManualCredit(ctxFor(await admin()), manual(customer.id, '20.00'));
    expect(other.state).toBe('executed');
  });

  it('an admin’s total to all customers over the window has its limit too', async () => {
    process.env.MANUAL_CREDIT_PER_ADMIN_LIMIT = '100.00';
    const adm = await admin();
    const [c1, c2, c3] = [await createCustomer(handle.db), await createCustomer(handle.db), await createCustomer(handle.db)];
    expect((await requestManualCredit(ctxFor(adm), manual(c1.id, '50.00'))).state).toBe('executed');
    expect((await requestManualCredit(ctxFor(adm), manual(c2.id, '50.00'))).state).toBe('executed');
    const third = await requestManualCredit(ctxFor(adm), manual(c3.id, '10.00'));
    expect(third.state).toBe('awaiting_approval');
    expect(third.approvalReason).toMatch(/above the 100.00 USD one admin may credit alone/);
  });

  it('an agent’s decision credits above the daily limit wait for a supervisor; the decision bar shows the use', async () => {
    process.env.DECISION_CREDIT_DAILY_LIMIT = '10.00';
    const a = await agent();
    const t1 = await creditTicket(handle.db); // 7.50 each
    const t2 = await creditTicket(handle.db);
    const one = await proposeDecision(ctxFor(a), { ticketId: t1.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(one.decision.state).toBe('executed');
    const context = await getDecisionContext(ctxFor(a), t2.ticket.id);
    expect(context.dailyCredit).toMatchObject({ used: '7.50', limit: '10.00', remaining: '2.50', windowHours: 24 });
    const two = await proposeDecision(ctxFor(a), { ticketId: t2.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
    expect(two.decision).toMatchObject({ state: 'awaiting_approval', approvalReasons: ['daily_limit'] });
  });

  it.runIf(isPostgres())('parallel requests by the same person cannot both slip under a limit (PostgreSQL)', async () => {
    process.env.DECISION_CREDIT_DAILY_LIMIT = '10.00';
    const a = await agent();
    const tickets3 = await Promise.all([creditTicket(handle.db), creditTicket(handle.db), creditTicket(handle.db)]);
    const results = await Promise.all(
      tickets3.map((t) => proposeDecision(ctxFor(a), { ticketId: t.ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() })),
    );
    expect(results.map((r) => r.decision.state).sort()).toEqual(['awaiting_approval', 'awaiting_approval', 'executed']);

    const adm = await admin();
    const customer = await createCustomer(handle.db);
    const manuals = await Promise.all(Array.from({ length: 4 }, () => requestManualCredit(ctxFor(adm), manual(customer.id, '30.00'))));
    expect(manuals.filter((m) => m.state === 'executed')).toHaveLength(1);
    const executed = await handle.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.decidedBy, a.id), eq(decisions.state, 'executed')));
    expect(executed).toHaveLength(1);
    void ticketMessages;
  });
});

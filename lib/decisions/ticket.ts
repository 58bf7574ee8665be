/** The ticket a decision is taken on: its summary, its row lock, its waiting decision, its races. */
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { customers, decisions, orders, payments, staffUsers, tickets } from '@/db/schema';
import { IDEMPOTENCY_CONFLICT } from '@/lib/command';
import { AppError } from '@/lib/errors';

/** The ticket, its customer and its order / payment: the facts a decision is taken on. */
export function selectTicketSummary(db: Db | Tx, ticketId: number) {
  return db
    .select({
      id: tickets.id,
      status: tickets.status,
      claim: tickets.claim,
      assigneeId: tickets.assigneeId,
      assigneeName: staffUsers.name,
      customerId: tickets.customerId,
      orderId: tickets.orderId,
      paymentId: tickets.paymentId,
      orderNumberGiven: tickets.orderNumberGiven,
      customerExternalId: customers.externalId,
      username: customers.username,
      isSuspended: customers.isSuspended,
      orderNumber: orders.externalId,
      orderStatus: orders.status,
      orderCharge: orders.charge,
      orderCurrency: orders.currency,
      paymentExternalId: payments.externalId,
      paymentAmount: payments.amount,
      paymentCurrency: payments.currency,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(payments, eq(payments.id, tickets.paymentId))
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId));
}

/** The ticket summary, with the ticket row locked for this transaction. */
export async function lockTicket(tx: Tx, ticketId: number) {
  const [row] = await selectTicketSummary(tx, ticketId).for('update', { of: tickets });
  if (!row) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  return row;
}
export type LockedTicket = Awaited<ReturnType<typeof lockTicket>>;

/**
 * The ticket's decision waiting for approval, if any. A statement of its own, after the ticket's
 * lock: a subquery in the locking statement would read the snapshot taken before the lock was
 * granted and miss a proposal committed meanwhile.
 */
export async function pendingDecisionId(tx: Db | Tx, ticketId: number): Promise<number | null> {
  const [row] = await tx
    .select({ id: decisions.id })
    .from(decisions)
    .where(sql`${decisions.ticketId} = ${ticketId} and ${decisions.state} = 'awaiting_approval'`)
    .limit(1);
  return row?.id ?? null;
}

/**
 * The ticket's decision whose cancel the panel has not answered yet, if any (a statement of its own
 * after the ticket's lock, like `pendingDecisionId`).
 */
export async function awaitingPanelDecisionId(tx: Db | Tx, ticketId: number): Promise<number | null> {
  const [row] = await tx
    .select({ id: decisions.id })
    .from(decisions)
    .where(sql`${decisions.ticketId} = ${ticketId} and ${decisions.state} = 'awaiting_panel'`)
    .limit(1);
  return row?.id ?? null;
}

/**
 * Whether executing this outcome on this ticket is a cancel: a balance credit on a cancel request
 * for an order the panel has not started (`submitted`). The panel is told to cancel, and the panel
 * refunds its own charge when it has; the desk writes no credit of its own (never both).
 */
export function isCancelStep(outcome: string, ticket: { claim: string; orderStatus: string | null }): boolean {
  return outcome === 'balance_credit' && ticket.claim === 'cancel_request' && ticket.orderStatus === 'submitted';
}

/** Whether a decision was proposed as a cancel (the policy's `cancel_before_start` reading was its basis). */
export function wasProposedAsCancel(decision: { chosenOutcome: string; suggestedReasons: unknown }, ticket: { claim: string }): boolean {
  const reasons = Array.isArray(decision.suggestedReasons) ? (decision.suggestedReasons as { code?: string }[]) : [];
  return (
    decision.chosenOutcome === 'balance_credit' &&
    ticket.claim === 'cancel_request' &&
    reasons.some((r) => r.code === 'cancel_before_start')
  );
}

/**
 * Unique violations that reach the caller are races the locks did not cover (or a key reused
 * elsewhere): each becomes a conflict with a sentence saying which rule held.
 */
export function decisionConflict(violation: string, ticketId: number | null): string {
  const t = ticketId === null ? 'This ticket' : `T-${ticketId}`;
  if (violation.includes('ledger_entries_one_credit_per_ticket'))
    return `${t} already has an executed balance credit; a ticket gets one credit at most.`;
  if (violation.includes('decisions_one_pending_per_ticket')) return `${t} already has a decision waiting for approval.`;
  if (violation.includes('idempotency_key')) return IDEMPOTENCY_CONFLICT;
  return `${t} changed at the same moment; reload and try again.`;
}

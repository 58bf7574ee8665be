/** The ticket a decision is taken on: its summary, its row lock, its waiting decision, its races. */
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { customers, decisions, orders, payments, tickets } from '@/db/schema';
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
      customerId: tickets.customerId,
      orderId: tickets.orderId,
      paymentId: tickets.paymentId,
      orderNumberGiven: tickets.orderNumberGiven,
      customerExternalId: customers.externalId,
      username: customers.username,
      isSuspended: customers.isSuspended,
      orderNumber: orders.externalId,
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

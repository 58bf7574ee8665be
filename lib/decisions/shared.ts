/** Pieces the decision core functions share: the decision's view, the ticket lock, error mapping. */
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { pgError, type Db, type Tx } from '@/db';
import { customers, decisions, orders, payments, staffUsers, tickets } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { decisionSchema, type Decision, type Reason } from '@/lib/policy';
import { APPROVAL_REASONS, type AccountAction, type ApprovalReason, type DecidableOutcome } from '@/lib/validation/decisions';

export type DecisionState = (typeof decisions.state.enumValues)[number];

/** A decision as the desk and the API show it. */
export interface DecisionView {
  id: number;
  ticketId: number;
  state: DecisionState;
  outcome: DecidableOutcome;
  amount: string | null;
  currency: string | null;
  accountAction: AccountAction;
  isOverride: boolean;
  overrideReason: string | null;
  /** Why a supervisor had to (or has to) approve it; empty: it needed no approval. */
  approvalReasons: ApprovalReason[];
  reply: string | null;
  suggestedOutcome: string;
  suggestedReasons: Reason[];
  policyVersion: string;
  proposedBy: { id: number; name: string };
  /** Who approved or rejected it. */
  reviewedBy: { id: number; name: string } | null;
  /** Why it was rejected (or the approver's note). */
  reviewReason: string | null;
  createdAt: Date;
  /** When it was executed or rejected. */
  decidedAt: Date | null;
}

const proposer = alias(staffUsers, 'proposer');
const reviewer = alias(staffUsers, 'reviewer');

export const DECISION_VIEW_COLUMNS = {
  id: decisions.id,
  ticketId: decisions.ticketId,
  state: decisions.state,
  outcome: decisions.chosenOutcome,
  amount: decisions.amount,
  currency: decisions.currency,
  accountAction: decisions.accountAction,
  isOverride: decisions.isOverride,
  overrideReason: decisions.overrideReason,
  approvalReason: decisions.approvalReason,
  reply: decisions.reply,
  suggestedOutcome: decisions.suggestedOutcome,
  suggestedReasons: decisions.suggestedReasons,
  policyVersion: decisions.policyVersion,
  proposedById: decisions.decidedBy,
  proposedByName: proposer.name,
  reviewedById: decisions.approvedBy,
  reviewedByName: reviewer.name,
  reviewReason: decisions.reviewReason,
  createdAt: decisions.createdAt,
  decidedAt: decisions.decidedAt,
};

const viewQuery = (db: Db | Tx) =>
  db
    .select(DECISION_VIEW_COLUMNS)
    .from(decisions)
    .innerJoin(proposer, eq(proposer.id, decisions.decidedBy))
    .leftJoin(reviewer, eq(reviewer.id, decisions.approvedBy));
type ViewRow = Awaited<ReturnType<typeof viewQuery>>[number];

export const parseApprovalReasons = (stored: string | null): ApprovalReason[] =>
  (stored ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ApprovalReason => (APPROVAL_REASONS as readonly string[]).includes(s));

export function toView(row: ViewRow): DecisionView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    state: row.state,
    outcome: row.outcome as DecidableOutcome,
    amount: row.amount,
    currency: row.currency,
    accountAction: row.accountAction as AccountAction,
    isOverride: row.isOverride,
    overrideReason: row.overrideReason,
    approvalReasons: parseApprovalReasons(row.approvalReason),
    reply: row.reply,
    suggestedOutcome: row.suggestedOutcome,
    suggestedReasons: Array.isArray(row.suggestedReasons) ? (row.suggestedReasons as Reason[]) : [],
    policyVersion: row.policyVersion,
    proposedBy: { id: row.proposedById, name: row.proposedByName ?? `staff ${row.proposedById}` },
    reviewedBy: row.reviewedById === null ? null : { id: row.reviewedById, name: row.reviewedByName ?? `staff ${row.reviewedById}` },
    reviewReason: row.reviewReason,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

/** The decisions matching `where`, oldest first, as views. */
export async function selectDecisionViews(db: Db | Tx, where: SQL | undefined, limit?: number): Promise<DecisionView[]> {
  const query = viewQuery(db).where(where).orderBy(asc(decisions.createdAt), asc(decisions.id));
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map(toView);
}

export async function decisionView(db: Db | Tx, decisionId: number): Promise<DecisionView> {
  const [view] = await selectDecisionViews(db, eq(decisions.id, decisionId));
  if (!view) throw new AppError('not_found', `There is no decision ${decisionId}.`);
  return view;
}

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

/** The stored policy suggestion, or null when there is none or another policy version wrote it. */
export function readStoredSuggestion(stored: unknown): Decision | null {
  if (stored == null) return null;
  const parsed = decisionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** SQLSTATEs after which the whole transaction may simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs a whole transaction, again (up to `attempts` times in all) when PostgreSQL aborted it as a
 * deadlock victim or for a serialization failure. Safe: the aborted attempt left nothing behind,
 * and proposals are idempotent by their key anyway.
 */
export async function retryTransaction<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code = pgError(error)?.code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * attempt));
    }
  }
}

export const IDEMPOTENCY_CONFLICT = 'This Idempotency-Key was already used for a different request.';

/**
 * Unique violations that reach the caller are races the locks did not cover (or a key reused
 * elsewhere): each becomes a `conflict` with a sentence saying which rule held.
 */
export function mapWriteError(error: unknown, ticketId: number | null): unknown {
  const pg = pgError(error);
  if (pg?.code !== '23505') return error;
  const t = ticketId === null ? 'This ticket' : `T-${ticketId}`;
  if (pg.message.includes('ledger_entries_one_credit_per_ticket')) {
    return new AppError('conflict', `${t} already has an executed balance credit; a ticket gets one credit at most.`);
  }
  if (pg.message.includes('decisions_one_pending_per_ticket')) {
    return new AppError('conflict', `${t} already has a decision waiting for approval.`);
  }
  if (pg.message.includes('idempotency_key')) return new AppError('conflict', IDEMPOTENCY_CONFLICT);
  return new AppError('conflict', `${t} changed at the same moment; reload and try again.`);
}

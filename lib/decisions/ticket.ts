/** The ticket a decision is taken on: its summary, its row lock, its waiting decision, its races. */
import { sql, type SQL } from 'drizzle-orm';
import { builtOnce, queryRows, type Db, type Tx } from '@/db';
import type { orderStatus, ticketClaim, TicketStatus } from '@/db/schema';
import { authorizeStaff, authorizeStaffFrom, sessionUserJson, type Ctx, type SessionUserJson, type StaffActor } from '@/lib/auth/actor';
import type { Permission } from '@/lib/auth/permissions';
import { IDEMPOTENCY_CONFLICT, type KeyedRequest } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { paramsInForceJson, paramsOfInForce, type PolicyParams } from '@/lib/policy-params';

type TicketClaim = (typeof ticketClaim.enumValues)[number];
type OrderStatus = (typeof orderStatus.enumValues)[number];

/**
 * The ticket, its customer and its order / payment: the facts a decision is taken on; with the
 * ticket's stored suggestion (raw, for `storedSuggestion`) and the parameter set version that
 * computed it.
 */
export interface TicketSummary {
  id: number;
  status: TicketStatus;
  claim: TicketClaim;
  assigneeId: number | null;
  assigneeName: string | null;
  customerId: number;
  orderId: number | null;
  paymentId: number | null;
  orderNumberGiven: string | null;
  storedSuggestion: unknown;
  suggestionParamsVersion: number | null;
  customerExternalId: string;
  username: string;
  isSuspended: boolean;
  orderNumber: string | null;
  orderStatus: OrderStatus | null;
  orderCharge: string | null;
  orderCurrency: string | null;
  paymentExternalId: string | null;
  paymentAmount: string | null;
  paymentCurrency: string | null;
}
export type LockedTicket = TicketSummary;

type Id = string | number | null;
type SummaryRow = Omit<TicketSummary, 'id' | 'assigneeId' | 'customerId' | 'orderId' | 'paymentId'> & {
  id: Id;
  assigneeId: Id;
  customerId: Id;
  orderId: Id;
  paymentId: Id;
  /** The session's user when `userId` is given (`sessionUserJson`), else null. */
  sessionUser: SessionUserJson | null;
};
type SummaryValues = { ticketId: number; userId: number | null; sessionId: string | null };

/** The summary's statement, its text built once; `forUpdate`: with the ticket's row lock. */
const summaryStatement = (forUpdate: boolean) =>
  builtOnce<SummaryRow, SummaryValues>(
    () => sql`select t.id, t.status, t.claim, t.assignee_id as "assigneeId", a.name as "assigneeName", t.customer_id as "customerId",
          t.order_id as "orderId", t.payment_id as "paymentId", t.order_number_given as "orderNumberGiven",
          t.suggestion as "storedSuggestion", t.suggestion_params_version as "suggestionParamsVersion",
          c.external_id as "customerExternalId", c.username, c.is_suspended as "isSuspended",
          o.external_id as "orderNumber", o.status as "orderStatus", o.charge as "orderCharge", o.currency as "orderCurrency",
          p.external_id as "paymentExternalId", p.amount as "paymentAmount", p.currency as "paymentCurrency",
          ${sessionUserJson(sql.placeholder('userId'), sql.placeholder('sessionId'))} as "sessionUser"
        from tickets t join customers c on c.id = t.customer_id
          left join orders o on o.id = t.order_id
          left join payments p on p.id = t.payment_id
          left join staff_users a on a.id = t.assignee_id
        where t.id = ${sql.placeholder('ticketId')}::bigint
        ${forUpdate ? sql`for update of t` : sql``}`,
  );
const readSummary = summaryStatement(false);
const lockSummary = summaryStatement(true);

const toId = (value: Id) => (value == null ? null : Number(value));
function summaryOf({ sessionUser, ...row }: SummaryRow): TicketSummary {
  return {
    ...row,
    id: Number(row.id),
    assigneeId: toId(row.assigneeId),
    customerId: Number(row.customerId),
    orderId: toId(row.orderId),
    paymentId: toId(row.paymentId),
  };
}

/** The ticket summary (empty when there is no such ticket). */
export async function selectTicketSummary(db: Db | Tx, ticketId: number): Promise<TicketSummary[]> {
  return (await readSummary(db, { ticketId, userId: null, sessionId: null })).map(summaryOf);
}

/** The ticket summary, with the ticket row locked for this transaction (its own columns as the lock read them). */
export async function lockTicket(tx: Tx, ticketId: number): Promise<LockedTicket> {
  const [row] = await lockSummary(tx, { ticketId, userId: null, sessionId: null });
  if (!row) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  return summaryOf(row);
}

/**
 * The actor's check (`authorizeStaff`) and `lockTicket` in one statement: the session's user is
 * read along with the ticket. The ticket's row may thus be locked a moment for a caller who is then
 * refused; the refusal rolls the transaction back at once. No such ticket: the actor is checked on
 * its own first, so a refused caller learns nothing about tickets.
 */
export async function lockTicketAs(
  tx: Tx,
  ctx: Ctx,
  permission: Permission,
  ticketId: number,
): Promise<{ actor: StaffActor; ticket: LockedTicket }> {
  if (ctx.kind !== 'staff') return { actor: await authorizeStaff(tx, ctx, permission), ticket: await lockTicket(tx, ticketId) };
  const [row] = await lockSummary(tx, { ticketId, userId: ctx.userId, sessionId: ctx.sessionId ?? null });
  if (!row) {
    await authorizeStaff(tx, ctx, permission);
    throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  }
  return { actor: authorizeStaffFrom(row.sessionUser, ctx, permission), ticket: summaryOf(row) };
}

/** What a proposal reads right after the ticket's lock (`readAfterLock`). */
export interface AfterLock {
  /** The earlier decision made with the request's idempotency key, if any. */
  earlier: KeyedRequest | undefined;
  /** The ticket's decision waiting for approval, if any. */
  pendingId: number | null;
  /** The ticket's decision whose cancel the panel has not answered yet, if any. */
  panelId: number | null;
  /** The policy parameters in force at `at`. */
  params: PolicyParams;
  /** Whether `lock` found its row and locked it (and then took `thenLock`). */
  locked: boolean;
}

/**
 * The earlier use of the idempotency key, the ticket's waiting decisions and the parameters in
 * force, in one statement sent after the ticket's lock was granted: a subquery in the locking
 * statement would read the snapshot taken before the lock and miss a proposal committed meanwhile.
 * The same statement then takes `lock` (a `select … for update` of one row) and, once it holds that
 * row, `thenLock` (an expression such as `personCreditsLock`): what they protect must be read by a
 * later statement, whose snapshot is taken after both.
 */
export async function readAfterLock(
  tx: Tx,
  {
    ticketId,
    idempotencyKey,
    at,
    lock,
    thenLock,
  }: { ticketId: number; idempotencyKey: string; at: Date; lock: SQL | null; thenLock: SQL | null },
): Promise<AfterLock> {
  const [row] = await queryRows<{
    earlier_id: Id;
    earlier_hash: string | null;
    earlier_by: Id;
    pending_id: Id;
    panel_id: Id;
    in_force: { version: number; params: unknown } | null;
    locked: string | null;
  }>(
    tx,
    sql`select k.id as earlier_id, k.request_hash as earlier_hash, k.decided_by as earlier_by,
          (select id from decisions where ticket_id = ${ticketId} and state = 'awaiting_approval' limit 1) as pending_id,
          (select id from decisions where ticket_id = ${ticketId} and state = 'awaiting_panel' limit 1) as panel_id,
          ${paramsInForceJson(at)} as in_force,
          ${lock ? sql`(select ${thenLock ? sql`${thenLock}::text` : sql`''`} from (${lock}) l)` : sql`null`} as locked
        from (select 1) one left join decisions k on k.idempotency_key = ${idempotencyKey}`,
  );
  const id = (value: Id | undefined) => (value == null ? null : Number(value));
  return {
    earlier:
      row?.earlier_id == null ? undefined : { id: id(row.earlier_id)!, requestHash: row.earlier_hash!, requestedBy: id(row.earlier_by)! },
    pendingId: id(row?.pending_id),
    panelId: id(row?.panel_id),
    params: paramsOfInForce(row?.in_force ?? null),
    locked: row?.locked != null,
  };
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

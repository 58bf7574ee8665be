/** Reading decisions: the decision bar's context, a ticket's history, the approvals list. */
import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/db';
import {
  customers,
  decisions,
  ledgerEntries,
  orderEvents,
  orders,
  payments,
  providerJobs,
  services,
  ticketFindings,
  tickets,
} from '@/db/schema';
import { roleHas } from '@/lib/auth/permissions';
import { FINDING_NAMES, type FindingName } from '@/lib/policy';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { CUSTOMER_BALANCES, CUSTOMER_COLUMNS } from '@/lib/customers/columns';
import { AppError } from '@/lib/errors';
import type { Decision } from '@/lib/policy';
import { creditLimitsOf, policyParamsOfRender } from '@/lib/policy-params';
import { approvalThresholdFor } from '@/lib/policy/params';
import { storedSuggestion, ticketSuggestion } from '@/lib/tickets/suggestion';
import { DECIDABLE_OUTCOMES, decidesEscalated, type DecidableOutcome, type SuggestedChoice } from '@/lib/validation/decisions';
import { parseInput } from '@/lib/validation/parse';
import { ticketIdSchema } from '@/lib/validation/tickets';
import { creditBasis, creditRoom, paidOnSql, roomOf, type CreditRoom } from './credit-room';
import { dailyUsedSql, dailyUseOf, type DailyCreditUse } from './limits';
import { suggestedChoiceOf } from './proposal-rules';
import { draftReply } from './reply';
import { selectTicketSummary } from './ticket';
import { readStoredSuggestion, selectDecisionViews, type DecisionView } from './view';

export interface DecisionContext {
  ticket: { id: number; status: string; claim: string; hasOrder: boolean };
  actor: { id: number; name: string; role: string };
  /** The policy's suggestion on the ticket's current facts (what a proposal is compared with). */
  suggestion: Decision | null;
  suggested: SuggestedChoice | null;
  /** The suggested outcome, when it is one the bar offers (not `verify`). */
  suggestedOutcome: DecidableOutcome | null;
  /** Room left on the ticket's order or payment for credits and cash refunds; null: nothing to pay against. */
  credit: CreditRoom | null;
  approvalThreshold: string;
  /** The signed-in person's balance credits over the rolling window against their daily limit (above it a supervisor approves). */
  dailyCredit: DailyCreditUse;
  /** A supervisor deciding an escalated ticket: their choice is no override for another supervisor. */
  decidesEscalated: boolean;
  /** Who has claimed the ticket, when it is someone else: acting needs a take-over first. */
  claimedByOther: { id: number; name: string } | null;
  /** Oldest first. */
  history: DecisionView[];
  pending: DecisionView | null;
  /** Why no decision can be proposed now (resolved, or one waits for approval); null: the bar is open. */
  blockedReason: string | null;
  /** A drafted customer reply per outcome, `{{amount}}` where the amount goes. */
  drafts: Record<DecidableOutcome, string>;
  /** Outcomes this ticket cannot take, with the reason. */
  unavailable: Partial<Record<DecidableOutcome, string>>;
  /**
   * A cancel waiting for the panel whose delivery failed for good: it never reached the panel.
   * `canWithdraw`: the signed-in person may withdraw it (supervisors and admins).
   */
  stuckCancel: { decisionId: number; jobId: number; attempts: number; lastError: string | null; canWithdraw: boolean } | null;
}

/**
 * Everything the decision bar needs for one ticket (any staff role may read it). Plain reads, no
 * transaction (each statement reads committed data, as it would in one): the history beside the
 * ticket's summary, then the room on its order or payment with the person's credits in one statement.
 */
export async function getDecisionContext(ctx: Ctx, ticketIdInput: unknown): Promise<DecisionContext> {
  const ticketId = parseInput(ticketIdSchema, ticketIdInput);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.read');
  const inForce = policyParamsOfRender(db);
  const reads = Promise.all([selectDecisionViews(db, eq(decisions.ticketId, ticketId)), inForce]);
  reads.catch(() => {}); // awaited below, unless the ticket does not exist
  const [ticket] = await selectTicketSummary(db, ticketId);
  if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  const basis = creditBasis(ticket);
  const [[history, params], suggestion, [credit, dailyCredit]] = await Promise.all([
    reads,
    // The stored suggestion (read with the summary), the same one the rest of the ticket page shows.
    storedSuggestion(ticket.storedSuggestion) ?? db.transaction((tx) => ticketSuggestion(tx, ticketId)),
    // The room left on the order or payment and the person's credits within the window, in one statement.
    inForce.then(async (read): Promise<[CreditRoom | null, DailyCreditUse]> => {
      const limits = creditLimitsOf(read);
      const [row] = await queryRows<{ paid: string; panel: string; used: string }>(
        db,
        sql`select ${basis ? sql`${paidOnSql(basis)}, ` : sql``}${dailyUsedSql(actor.id, limits)}`,
      );
      return [basis ? roomOf(basis, row) : null, dailyUseOf(row?.used, limits)];
    }),
  ]);
  const pending = history.find((d) => d.state === 'awaiting_approval') ?? null;
  const atPanel = history.find((d) => d.state === 'awaiting_panel') ?? null;
  const t = `T-${ticketId}`;
  const [failedCancel] = atPanel
    ? await db
        .select({ id: providerJobs.id, attempts: providerJobs.attempts, lastError: providerJobs.lastError })
        .from(providerJobs)
        .where(and(eq(providerJobs.decisionId, atPanel.id), eq(providerJobs.kind, 'cancel'), eq(providerJobs.state, 'failed')))
    : [];
  const stuckCancel =
    atPanel && failedCancel
      ? {
          decisionId: atPanel.id,
          jobId: failedCancel.id,
          attempts: failedCancel.attempts,
          lastError: failedCancel.lastError,
          canWithdraw: roleHas(actor.role, 'decisions.review'),
        }
      : null;
  const claimedByOther =
    ticket.assigneeId !== null && ticket.assigneeId !== actor.id
      ? { id: ticket.assigneeId, name: ticket.assigneeName ?? 'someone else' }
      : null;
  const blockedReason =
    ticket.status === 'resolved'
      ? `${t} is resolved; no further decision can be made on it.`
      : pending
        ? `${t} already has a decision waiting for approval (proposed by ${pending.proposedBy.name}). A supervisor approves or rejects it on the Approvals page.`
        : stuckCancel
          ? `The cancel of order ${ticket.orderNumber ?? ''} (decision ${stuckCancel.decisionId}) never reached the panel: its delivery failed for good after ${stuckCancel.attempts} attempts${stuckCancel.lastError ? ` (last error: ${stuckCancel.lastError})` : ''}. Nothing was credited and the customer was not told. An admin can send it again (Deliveries → Retry), or a supervisor or admin can withdraw it, which puts ${t} back in the queue.`
          : atPanel
            ? `The panel has been asked to cancel order ${ticket.orderNumber ?? ''} (decision ${atPanel.id}). Its answer settles ${t}: cancelled and refunded by the panel, or back in the queue with the order’s new status.`
            : claimedByOther
              ? `${t} is claimed by ${claimedByOther.name}. Take it over first (${claimedByOther.name} will be told), or ask a supervisor to reassign it.`
              : null;
  const unavailable: DecisionContext['unavailable'] = {};
  if (ticket.orderId === null) unavailable.reprocess = unavailable.refill = `${t} has no order.`;
  if (!basis) unavailable.balance_credit = unavailable.original_method_refund = `${t} has no order or payment to pay against.`;
  if (ticket.status === 'escalated') unavailable.escalate = `${t} is already escalated.`;
  const drafts = Object.fromEntries(
    DECIDABLE_OUTCOMES.map((outcome) => [
      outcome,
      draftReply({
        ticketId,
        username: ticket.username,
        orderNumber: ticket.orderNumber ?? ticket.orderNumberGiven,
        agentName: actor.name,
        outcome,
        suggestion,
      }),
    ]),
  ) as Record<DecidableOutcome, string>;
  const suggestedOutcome =
    suggestion && (DECIDABLE_OUTCOMES as readonly string[]).includes(suggestion.outcome) ? (suggestion.outcome as DecidableOutcome) : null;
  return {
    ticket: { id: ticket.id, status: ticket.status, claim: ticket.claim, hasOrder: ticket.orderId !== null },
    actor: { id: actor.id, name: actor.name, role: actor.role },
    suggestion,
    suggested: suggestedChoiceOf(suggestion),
    suggestedOutcome,
    credit,
    approvalThreshold: approvalThresholdFor(params, ticket.orderCurrency ?? ticket.paymentCurrency),
    dailyCredit,
    decidesEscalated: decidesEscalated(ticket.status, actor.role),
    claimedByOther,
    history,
    pending,
    blockedReason,
    drafts,
    unavailable,
    stuckCancel,
  };
}

/** A ticket's decisions, oldest first. */
export async function listTicketDecisions(ctx: Ctx, ticketIdInput: unknown): Promise<DecisionView[]> {
  const ticketId = parseInput(ticketIdSchema, ticketIdInput);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');
  const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  return selectDecisionViews(db, eq(decisions.ticketId, ticketId));
}

export const APPROVALS_PAGE_SIZE = 200;

/**
 * What waits for approval, oldest first, with the facts a supervisor weighs: the ticket, the
 * customer, the order and payment, the stored suggestion, and the proposal itself.
 */
export async function listPendingApprovals(ctx: Ctx) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'decisions.review');
  const [page, [counted]] = await Promise.all([
    selectDecisionViews(db, eq(decisions.state, 'awaiting_approval'), APPROVALS_PAGE_SIZE),
    db.select({ n: count() }).from(decisions).where(eq(decisions.state, 'awaiting_approval')),
  ]);
  if (page.length === 0) return { items: [], total: 0 };
  const rows = await db
    .select({
      ticket: {
        id: tickets.id,
        claim: tickets.claim,
        status: tickets.status,
        requestedRemedy: tickets.requestedRemedy,
        explanation: tickets.explanation,
        openedAt: tickets.openedAt,
        suggestion: tickets.suggestion,
      },
      customer: { ...CUSTOMER_COLUMNS, balances: CUSTOMER_BALANCES },
      order: {
        id: orders.id,
        externalId: orders.externalId,
        status: orders.status,
        quantity: orders.quantity,
        delivered: orders.delivered,
        charge: orders.charge,
        currency: orders.currency,
        link: orders.link,
        serviceName: services.name,
      },
      payment: {
        id: payments.id,
        externalId: payments.externalId,
        method: payments.method,
        amount: payments.amount,
        currency: payments.currency,
        paidAt: payments.paidAt,
        isCredited: payments.isCredited,
        // null without a payment, so the left-joined object reads as absent.
        isDuplicate: sql<boolean | null>`case when ${payments.id} is null then null else ${payments.duplicateOf} is not null end`,
        isOvercharged: payments.isOvercharged,
      },
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(services, eq(services.id, orders.serviceId))
    .leftJoin(payments, eq(payments.id, tickets.paymentId))
    .where(
      inArray(
        tickets.id,
        page.map((d) => d.ticketId),
      ),
    )
    .orderBy(asc(tickets.id));
  const byTicket = new Map(rows.map((r) => [r.ticket.id, r]));
  const facts = await approvalFacts(db, rows);
  const items = page.flatMap((decision) => {
    const row = byTicket.get(decision.ticketId);
    if (!row) return [];
    const stored = readStoredSuggestion(row.ticket.suggestion);
    const { suggestion: _stored, ...ticket } = row.ticket;
    void _stored;
    return [
      {
        decision,
        ticket,
        customer: row.customer,
        // Left-joined objects mixing tables come back with null fields rather than null: absent when the key is null.
        order: row.order?.id != null ? row.order : null,
        payment: row.payment?.id != null ? row.payment : null,
        ...facts.of(row.ticket.id, row.customer.id, row.order?.id ?? null),
        // The suggestion the proposal was measured against; the amount from the stored one when it is the same outcome.
        suggestion: {
          outcome: decision.suggestedOutcome,
          amount: stored && stored.outcome === decision.suggestedOutcome ? stored.amount : null,
          currency: stored && stored.outcome === decision.suggestedOutcome ? stored.currency : null,
          reasons: decision.suggestedReasons,
          policyVersion: decision.policyVersion,
          paramsVersion: decision.paramsVersion,
        },
      },
    ];
  });
  return { items, total: counted?.n ?? items.length };
}
export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>['items'][number];

/** An order event that moved money on the panel's side or answered a cancel. */
export interface OrderRefundEvent {
  id: number;
  kind: string;
  at: Date;
  /** The panel's word (`Canceled`, `Rejected`, the new status). */
  status: string | null;
  /** What the panel refunded to the balance with it, if anything. */
  refunded: string | null;
}

/** A credit or cash refund the customer already had from the desk. */
export interface EarlierCredit {
  kind: 'decision_credit' | 'manual_credit' | 'reversal' | 'cash_refund';
  /** Signed (reversals negative). */
  amount: string;
  currency: string;
  at: Date;
  ticketId: number | null;
  /** True when it was paid for the same order as this ticket's. */
  isSameOrder: boolean;
}

const EARLIER_CREDITS_SHOWN = 20;

/**
 * The facts an approval rests on beyond the ticket's own row, for every ticket on the page at once:
 * the findings recorded, the order's refund and cancel events, the customer's earlier credits and
 * cash refunds (those on the same order marked), and the room left on the order or payment (which
 * subtracts what the panel already refunded).
 */
async function approvalFacts(
  db: Awaited<ReturnType<typeof getDb>>,
  rows: { ticket: { id: number }; customer: { id: number }; order: { id: number | null } | null; payment: { id: number | null } | null }[],
) {
  const ticketIds = rows.map((r) => r.ticket.id);
  const customerIds = [...new Set(rows.map((r) => r.customer.id))];
  const orderIds = [...new Set(rows.flatMap((r) => (r.order?.id != null ? [r.order.id] : [])))];
  const [findingRows, eventRows, ledgerRows, cashRows, summaries] = await Promise.all([
    db.select().from(ticketFindings).where(inArray(ticketFindings.ticketId, ticketIds)),
    orderIds.length
      ? db
          .select({ id: orderEvents.id, orderId: orderEvents.orderId, kind: orderEvents.kind, at: orderEvents.at, data: orderEvents.data })
          .from(orderEvents)
          .where(
            and(
              inArray(orderEvents.orderId, orderIds),
              or(inArray(orderEvents.kind, ['cancel_requested', 'cancel_result']), sql`${orderEvents.data} ? 'refunded'`),
            ),
          )
          .orderBy(asc(orderEvents.at), asc(orderEvents.id))
      : Promise.resolve([]),
    db
      .select({
        customerId: ledgerEntries.customerId,
        kind: ledgerEntries.kind,
        amount: ledgerEntries.amount,
        currency: ledgerEntries.currency,
        at: ledgerEntries.createdAt,
        ticketId: ledgerEntries.ticketId,
        orderId: tickets.orderId,
      })
      .from(ledgerEntries)
      .leftJoin(tickets, eq(tickets.id, ledgerEntries.ticketId))
      .where(inArray(ledgerEntries.customerId, customerIds))
      .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id)),
    db
      .select({
        customerId: tickets.customerId,
        amount: decisions.amount,
        currency: decisions.currency,
        at: decisions.decidedAt,
        ticketId: decisions.ticketId,
        orderId: tickets.orderId,
      })
      .from(decisions)
      .innerJoin(tickets, eq(tickets.id, decisions.ticketId))
      .where(
        and(
          inArray(tickets.customerId, customerIds),
          eq(decisions.state, 'executed'),
          eq(decisions.chosenOutcome, 'original_method_refund'),
        ),
      ),
    Promise.all(ticketIds.map((id) => selectTicketSummary(db, id).then(([t]) => t))),
  ]);
  const rooms = new Map(
    await Promise.all(summaries.flatMap((t) => (t ? [creditRoom(db, t, { lock: false }).then((room) => [t.id, room] as const)] : []))),
  );
  const findingsOf = new Map(
    findingRows.map((f) => [f.ticketId, Object.fromEntries(FINDING_NAMES.map((n) => [n, f[n]])) as Record<FindingName, boolean | null>]),
  );
  return {
    of(ticketId: number, customerId: number, orderId: number | null) {
      const refundEvents: OrderRefundEvent[] = eventRows
        .filter((e) => e.orderId === orderId)
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          at: e.at,
          status: typeof e.data.status === 'string' ? e.data.status : typeof e.data.to === 'string' ? e.data.to : null,
          refunded: typeof e.data.refunded === 'string' ? e.data.refunded : null,
        }));
      const earlierCredits: EarlierCredit[] = [
        ...ledgerRows
          .filter((l) => l.customerId === customerId && l.ticketId !== ticketId)
          .map((l) => ({
            kind: l.kind,
            amount: l.amount,
            currency: l.currency,
            at: l.at,
            ticketId: l.ticketId,
            isSameOrder: orderId !== null && l.orderId === orderId,
          })),
        ...cashRows
          .filter((c) => c.customerId === customerId && c.ticketId !== ticketId && c.amount !== null)
          .map((c) => ({
            kind: 'cash_refund' as const,
            amount: c.amount!,
            currency: c.currency ?? '',
            at: c.at ?? new Date(0),
            ticketId: c.ticketId,
            isSameOrder: orderId !== null && c.orderId === orderId,
          })),
      ]
        .sort((a, b) => b.at.getTime() - a.at.getTime())
        .slice(0, EARLIER_CREDITS_SHOWN);
      return { findings: findingsOf.get(ticketId) ?? null, refundEvents, earlierCredits, room: rooms.get(ticketId) ?? null };
    },
  };
}

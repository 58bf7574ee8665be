/** Reading decisions: the decision bar's context, a ticket's history, the approvals list. */
import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { customers, decisions, orders, payments, services, tickets } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { CUSTOMER_BALANCES, CUSTOMER_COLUMNS } from '@/lib/customers/columns';
import { AppError } from '@/lib/errors';
import type { Decision } from '@/lib/policy';
import { currentPolicyParams } from '@/lib/policy-params';
import { ticketSuggestion } from '@/lib/tickets/suggestion';
import { DECIDABLE_OUTCOMES, type DecidableOutcome, type SuggestedChoice } from '@/lib/validation/decisions';
import { parseInput } from '@/lib/validation/parse';
import { ticketIdSchema } from '@/lib/validation/tickets';
import { creditBasis, creditRoom, type CreditRoom } from './credit-room';
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
  /** Oldest first. */
  history: DecisionView[];
  pending: DecisionView | null;
  /** Why no decision can be proposed now (resolved, or one waits for approval); null: the bar is open. */
  blockedReason: string | null;
  /** A drafted customer reply per outcome, `{{amount}}` where the amount goes. */
  drafts: Record<DecidableOutcome, string>;
  /** Outcomes this ticket cannot take, with the reason. */
  unavailable: Partial<Record<DecidableOutcome, string>>;
}

/** Everything the decision bar needs for one ticket (any staff role may read it). */
export async function getDecisionContext(ctx: Ctx, ticketIdInput: unknown): Promise<DecisionContext> {
  const ticketId = parseInput(ticketIdSchema, ticketIdInput);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.read');
  return db.transaction(async (tx) => {
    const [ticket] = await selectTicketSummary(tx, ticketId);
    if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
    const [suggestion, history, credit, params] = await Promise.all([
      // The stored suggestion, the same one the rest of the ticket page shows.
      ticketSuggestion(tx, ticketId),
      selectDecisionViews(tx, eq(decisions.ticketId, ticketId)),
      creditRoom(tx, ticket, { lock: false }),
      currentPolicyParams(tx),
    ]);
    const pending = history.find((d) => d.state === 'awaiting_approval') ?? null;
    const t = `T-${ticketId}`;
    const blockedReason =
      ticket.status === 'resolved'
        ? `${t} is resolved; no further decision can be made on it.`
        : pending
          ? `${t} already has a decision waiting for approval (proposed by ${pending.proposedBy.name}). A supervisor approves or rejects it on the Approvals page.`
          : null;
    const unavailable: DecisionContext['unavailable'] = {};
    if (ticket.orderId === null) unavailable.reprocess = unavailable.refill = `${t} has no order.`;
    if (!creditBasis(ticket))
      unavailable.balance_credit = unavailable.original_method_refund = `${t} has no order or payment to pay against.`;
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
      suggestion && (DECIDABLE_OUTCOMES as readonly string[]).includes(suggestion.outcome)
        ? (suggestion.outcome as DecidableOutcome)
        : null;
    return {
      ticket: { id: ticket.id, status: ticket.status, claim: ticket.claim, hasOrder: ticket.orderId !== null },
      actor: { id: actor.id, name: actor.name, role: actor.role },
      suggestion,
      suggested: suggestedChoiceOf(suggestion),
      suggestedOutcome,
      credit,
      approvalThreshold: params.approvalThreshold,
      history,
      pending,
      blockedReason,
      drafts,
      unavailable,
    };
  });
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
        // The suggestion the proposal was measured against; the amount from the stored one when it is the same outcome.
        suggestion: {
          outcome: decision.suggestedOutcome,
          amount: stored && stored.outcome === decision.suggestedOutcome ? stored.amount : null,
          currency: stored && stored.outcome === decision.suggestedOutcome ? stored.currency : null,
          reasons: decision.suggestedReasons,
          policyVersion: decision.policyVersion,
        },
      },
    ];
  });
  return { items, total: counted?.n ?? items.length };
}
export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>['items'][number];

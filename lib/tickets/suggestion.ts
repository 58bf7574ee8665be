import { and, count, eq, gte, lt, ne } from 'drizzle-orm';
import type { Tx } from '@/db';
import { customers, evidence, orders, payments, services, ticketFindings, tickets } from '@/db/schema';
import { checkPolicy, decisionSchema, eligibilityDeadline, type Decision, type PolicyParams } from '@/lib/policy';
import { bootstrapPolicyParams, currentPolicyParams, paramsSetVersion } from '@/lib/policy-params';
import { toPolicyInput, type TicketFacts } from './policy-input';

const DAY_MS = 86_400_000;

/**
 * The columns derived from a ticket's facts under the policy parameters `params`: the policy
 * suggestion, the deadline, the amount at stake. Callers pass `currentPolicyParams(tx)`; only the
 * seeds' `annotate` hooks, which run before there is a database to read them from, omit them.
 */
export function suggestFor(facts: TicketFacts, now: Date, params: PolicyParams = bootstrapPolicyParams()) {
  const input = toPolicyInput(facts, now);
  const decision = checkPolicy(input, params);
  const deadline = eligibilityDeadline(input, params);
  return {
    suggestedOutcome: decision.outcome,
    suggestedAmount: decision.amount,
    suggestion: decision,
    eligibilityDeadline: deadline ? new Date(deadline) : null,
    amountAtStake: facts.order?.charge ?? facts.payment?.amount ?? null,
  };
}

/**
 * Everything the policy check reads about one ticket, from the database. `refundRequestWindowDays`
 * is the parameter set's window for counting the customer's refund requests (90 in policy 2026-06-10).
 */
export async function loadTicketFacts(
  tx: Tx,
  ticketId: number,
  refundRequestWindowDays: number = bootstrapPolicyParams().refundRequestWindowDays,
): Promise<TicketFacts | null> {
  const [row] = await tx
    .select({ ticket: tickets, order: orders, service: services, payment: payments, customer: customers, findings: ticketFindings })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(services, eq(services.id, orders.serviceId))
    .leftJoin(payments, eq(payments.id, tickets.paymentId))
    .leftJoin(ticketFindings, eq(ticketFindings.ticketId, tickets.id))
    .where(eq(tickets.id, ticketId));
  if (!row) return null;
  const { ticket } = row;
  const [[requests], [files]] = await Promise.all([
    // Refund requests in the window (90 days by default) before this one was opened (this one not counted).
    tx
      .select({ n: count() })
      .from(tickets)
      .where(
        and(
          eq(tickets.customerId, ticket.customerId),
          ne(tickets.id, ticket.id),
          gte(tickets.openedAt, new Date(ticket.openedAt.getTime() - refundRequestWindowDays * DAY_MS)),
          lt(tickets.openedAt, ticket.openedAt),
        ),
      ),
    tx.select({ n: count() }).from(evidence).where(eq(evidence.ticketId, ticket.id)),
  ]);
  return {
    ticket,
    order: row.order && row.service ? { ...row.order, service: row.service } : null,
    payment: row.payment,
    customer: row.customer,
    refundRequests90d: requests?.n ?? 0,
    evidenceCount: files?.n ?? 0,
    findings: row.findings,
  };
}

/** Re-runs the policy check for a ticket whose facts changed and stores the result on it. */
export async function refreshSuggestion(tx: Tx, ticketId: number, now = new Date()): Promise<Decision | null> {
  const params = await currentPolicyParams(tx);
  const facts = await loadTicketFacts(tx, ticketId, params.refundRequestWindowDays);
  if (!facts) return null;
  const suggestion = suggestFor(facts, now, params);
  await tx
    .update(tickets)
    .set({ ...suggestion, suggestionParamsVersion: paramsSetVersion(params), updatedAt: now })
    .where(eq(tickets.id, ticketId));
  return suggestion.suggestion;
}

/**
 * The one suggestion of a ticket: what every panel shows (header, suggestion, decision bar, queue)
 * and what a proposal is measured against. It is the stored one; only when there is none yet, or
 * another policy version wrote it, is it computed now and stored, so all readers agree: the ticket's
 * row is locked first, so two readers at once (the ticket page reads its panels in parallel) take
 * turns, and the second finds the first one's suggestion stored.
 */
export async function ticketSuggestion(tx: Tx, ticketId: number, now = new Date()): Promise<Decision | null> {
  const [row] = await tx.select({ suggestion: tickets.suggestion }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
  if (!row) return null;
  return storedSuggestion(row.suggestion) ?? refreshSuggestion(tx, ticketId, now);
}

/** A ticket's stored suggestion (`tickets.suggestion`) as read; null when there is none or it does not parse (another policy version wrote it). */
export function storedSuggestion(stored: unknown): Decision | null {
  const parsed = stored == null ? null : decisionSchema.safeParse(stored);
  return parsed?.success ? parsed.data : null;
}

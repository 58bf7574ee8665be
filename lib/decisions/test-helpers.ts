/**
 * Ticket scenarios for the decision tests, built with the ticket factories: each call makes new,
 * unique rows, and the stored suggestion is what the scenario's name says.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db';
import { auditEvents, customers, decisions, ledgerEntries, providerJobs, ticketFindings, ticketMessages, tickets } from '@/db/schema';
import { customerBalances } from '@/lib/ledger';
import { createCustomer, createEvidenceRow, createOrderTicket, createPayment } from '@/lib/tickets/test-factories';
import { refreshSuggestion } from '@/lib/tickets/suggestion';

const HOUR_MS = 3_600_000;

export const newKey = () => `test-${randomUUID()}`;

type Findings = Partial<
  Record<
    | 'linkValid'
    | 'targetPublic'
    | 'targetUnchanged'
    | 'duplicateOrderSameTarget'
    | 'otherProvidersUsed'
    | 'platformAction'
    | 'companyFault',
    boolean | null
  >
>;

/** Records findings on a ticket and stores the new suggestion. */
export async function setFindings(db: Db, ticketId: number, findings: Findings) {
  await db
    .insert(ticketFindings)
    .values({ ticketId, ...findings })
    .onConflictDoUpdate({ target: ticketFindings.ticketId, set: findings });
  return db.transaction((tx) => refreshSuggestion(tx, ticketId));
}

/**
 * A `not_delivered` claim on an order with `delivered` of 1000 done, the company's fault confirmed:
 * the suggestion is a balance credit of charge × (1000 − delivered) / 1000.
 */
export async function creditTicket(db: Db, { charge = '12.50', delivered = 400 }: { charge?: string; delivered?: number } = {}) {
  const made = await createOrderTicket(db, { order: { charge, delivered, status: 'partial' } });
  const suggestion = await setFindings(db, made.ticket.id, {
    companyFault: true,
    linkValid: true,
    targetPublic: true,
    targetUnchanged: true,
  });
  return { ...made, suggestion: suggestion! };
}

/** Nothing delivered, not completed, the company's fault: the suggestion is `reprocess`. */
export async function reprocessTicket(db: Db) {
  const made = await createOrderTicket(db, { order: { delivered: 0, status: 'processing' } });
  const suggestion = await setFindings(db, made.ticket.id, { companyFault: true });
  return { ...made, suggestion: suggestion! };
}

/** A drop within the refill window on a public, unchanged target: the suggestion is `refill`. */
export async function refillTicket(db: Db) {
  const made = await createOrderTicket(db, {
    order: { delivered: 1000, status: 'completed' },
    ticket: { claim: 'drop', requestedRemedy: 'refill' },
  });
  const suggestion = await setFindings(db, made.ticket.id, { targetPublic: true, targetUnchanged: true, linkValid: true });
  return { ...made, suggestion: suggestion! };
}

/** A private target: the suggestion is `deny` (target_private). */
export async function denyTicket(db: Db) {
  const made = await createOrderTicket(db);
  const suggestion = await setFindings(db, made.ticket.id, { targetPublic: false });
  return { ...made, suggestion: suggestion! };
}

/** No explanation and no evidence: the suggestion is `request_info` (explanation, evidence). */
export async function requestInfoTicket(db: Db) {
  const made = await createOrderTicket(db, { ticket: { explanation: null }, evidenceFiles: 0 });
  const [row] = await db.select({ suggestion: tickets.suggestion }).from(tickets).where(eq(tickets.id, made.ticket.id));
  return { ...made, suggestion: row!.suggestion as { outcome: string; missingInfo: string[] } };
}

/** The customer invokes a statutory right: the suggestion is `escalate`. */
export async function escalateTicket(db: Db) {
  const made = await createOrderTicket(db, { ticket: { isMandatoryLawClaimed: true } });
  return made;
}

/** The customer has a chargeback open: the suggestion is `deny` with `accountAction: suspend`. */
export async function chargebackTicket(db: Db) {
  const made = await createOrderTicket(db);
  await db.update(customers).set({ hasChargebackOpen: true }).where(eq(customers.id, made.customer.id));
  await db.transaction((tx) => refreshSuggestion(tx, made.ticket.id));
  return made;
}

/**
 * A duplicate card payment never credited, nothing spent, the processor allows a refund and the
 * company's fault confirmed: the suggestion is a cash refund of the payment (needs a supervisor).
 */
export async function cashRefundTicket(db: Db, { amount = '25.00' }: { amount?: string } = {}) {
  const customer = await createCustomer(db);
  const original = await createPayment(db, customer.id, { amount });
  const payment = await createPayment(db, customer.id, {
    amount,
    duplicateOf: original.id,
    isCredited: false,
    processorAllowsRefund: true,
  });
  const [ticket] = await db
    .insert(tickets)
    .values({
      customerId: customer.id,
      paymentId: payment.id,
      claim: 'duplicate_payment',
      requestedRemedy: 'original_method_refund',
      explanation: 'I was charged twice for the same top-up',
      openedAt: new Date(payment.paidAt.getTime() + 2 * HOUR_MS),
    })
    .returning();
  await createEvidenceRow(db, ticket!.id);
  const suggestion = await setFindings(db, ticket!.id, { companyFault: true });
  return { customer, payment, ticket: ticket!, suggestion: suggestion! };
}

/** Everything a decision left behind on a ticket. */
export async function footprint(db: Db, ticketId: number) {
  const ds = await db.select().from(decisions).where(eq(decisions.ticketId, ticketId));
  const ledger = await db.select().from(ledgerEntries).where(eq(ledgerEntries.ticketId, ticketId));
  const jobs = await db.select().from(providerJobs).where(eq(providerJobs.ticketId, ticketId));
  const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId));
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
  const audit = ds.length
    ? await db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityType, 'decision'),
            inArray(
              auditEvents.entityId,
              ds.map((d) => String(d.id)),
            ),
          ),
        )
    : [];
  return { decisions: ds, ledger, jobs, messages, ticket: ticket!, audit };
}

/** The customer's balance in one currency as PostgreSQL sums it ("0.00" when there is none). */
export async function balanceOf(db: Db, customerId: number, currency = 'USD') {
  return (await customerBalances(db, customerId)).find((b) => b.currency === currency)?.balance ?? '0.00';
}

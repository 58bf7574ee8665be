import { asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb, withGenericPlans, type Db, type Tx } from '@/db';
import {
  customers,
  evidence,
  orderEvents,
  orders,
  payments,
  services,
  staffUsers,
  ticketFindings,
  ticketMessages,
  tickets,
} from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { CUSTOMER_BALANCES, CUSTOMER_COLUMNS } from '@/lib/customers/columns';
import { findReuse } from '@/lib/evidence/reuse';
import { AppError } from '@/lib/errors';
import { policyParamsOfRender } from '@/lib/policy-params';
import { decisionSchema, FINDING_NAMES, type Decision } from '@/lib/policy';
import { parseInput } from '@/lib/validation/parse';
import { ticketSuggestion } from './suggestion';
import { ticketIdSchema, type Findings } from '@/lib/validation/tickets';

const assignee = alias(staffUsers, 'assignee');
const findingsAuthor = alias(staffUsers, 'findings_author');
const originalPayment = alias(payments, 'original_payment');
const author = alias(staffUsers, 'author');

export type { Balance } from '@/lib/customers/columns';

/** How many of the customer's other tickets the ticket page lists. */
export const OTHER_TICKETS_SHOWN = 10;

/** Where evidence files are served from (the route checks the staff session and role). */
export const evidenceUrl = (id: number) => `/api/evidence/${id}`;
export const evidenceThumbnailUrl = (id: number) => `/api/evidence/${id}/thumbnail`;

/** The ticket, its customer, order and payment in one query, by primary keys. */
function mainQuery(db: Db | Tx, ticketId: number, windowDays: number) {
  return db
    .select({
      ticket: {
        id: tickets.id,
        externalId: tickets.externalId,
        claim: tickets.claim,
        requestedRemedy: tickets.requestedRemedy,
        orderNumberGiven: tickets.orderNumberGiven,
        targetLinkGiven: tickets.targetLinkGiven,
        explanation: tickets.explanation,
        isMandatoryLawClaimed: tickets.isMandatoryLawClaimed,
        isChargebackThreatened: tickets.isChargebackThreatened,
        isResellerDownstreamDispute: tickets.isResellerDownstreamDispute,
        status: tickets.status,
        openedAt: tickets.openedAt,
        eligibilityDeadline: tickets.eligibilityDeadline,
        suggestedOutcome: tickets.suggestedOutcome,
        suggestedAmount: tickets.suggestedAmount,
        suggestion: tickets.suggestion,
        firstResponseDueAt: tickets.firstResponseDueAt,
        resolutionDueAt: tickets.resolutionDueAt,
        firstRespondedAt: tickets.firstRespondedAt,
        slaDueAt: tickets.slaDueAt,
        suggestionParamsVersion: tickets.suggestionParamsVersion,
        updatedAt: tickets.updatedAt,
      },
      assignee: { id: assignee.id, name: assignee.name, email: assignee.email },
      customer: CUSTOMER_COLUMNS,
      balances: CUSTOMER_BALANCES,
      // As the policy counts them: the customer's other tickets opened in the window (parameter
      // `refundRequestWindowDays` of the set in force, 90 days by default) before this one.
      refundRequests90d: sql<number>`(
        select count(*)::int from tickets t2
        where t2.customer_id = ${tickets.customerId}
          and t2.id <> ${tickets.id}
          and t2.opened_at >= ${tickets.openedAt} - make_interval(hours => ${windowDays * 24})
          and t2.opened_at < ${tickets.openedAt}
      )`,
      order: {
        id: orders.id,
        externalId: orders.externalId,
        link: orders.link,
        quantity: orders.quantity,
        startCount: orders.startCount,
        delivered: orders.delivered,
        charge: orders.charge,
        currency: orders.currency,
        status: orders.status,
        statusChangedAt: orders.statusChangedAt,
        createdAt: orders.createdAt,
      },
      service: {
        id: services.id,
        externalId: services.externalId,
        name: services.name,
        platform: services.platform,
        category: services.category,
        ratePer1000: services.ratePer1000,
        currency: services.currency,
        refillDays: services.refillDays,
        reviewWindowDays: services.reviewWindowDays,
        isCancelAllowed: services.isCancelAllowed,
      },
      payment: {
        id: payments.id,
        externalId: payments.externalId,
        method: payments.method,
        processor: payments.processor,
        transactionId: payments.transactionId,
        amount: payments.amount,
        currency: payments.currency,
        paidAt: payments.paidAt,
        isCredited: payments.isCredited,
        duplicateOf: payments.duplicateOf,
        isOvercharged: payments.isOvercharged,
        processorAllowsRefund: payments.processorAllowsRefund,
        isBalanceSpent: payments.isBalanceSpent,
      },
      duplicateOfExternalId: originalPayment.externalId,
      // Drizzle reads a left-joined object as absent when its first column is null: key first.
      findings: {
        ticketId: ticketFindings.ticketId,
        linkValid: ticketFindings.linkValid,
        targetPublic: ticketFindings.targetPublic,
        targetUnchanged: ticketFindings.targetUnchanged,
        duplicateOrderSameTarget: ticketFindings.duplicateOrderSameTarget,
        otherProvidersUsed: ticketFindings.otherProvidersUsed,
        platformAction: ticketFindings.platformAction,
        companyFault: ticketFindings.companyFault,
        updatedAt: ticketFindings.updatedAt,
      },
      findingsAuthor: { id: findingsAuthor.id, name: findingsAuthor.name },
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(services, eq(services.id, orders.serviceId))
    .leftJoin(payments, eq(payments.id, tickets.paymentId))
    .leftJoin(originalPayment, eq(originalPayment.id, payments.duplicateOf))
    .leftJoin(ticketFindings, eq(ticketFindings.ticketId, tickets.id))
    .leftJoin(findingsAuthor, eq(findingsAuthor.id, ticketFindings.updatedBy))
    .where(eq(tickets.id, ticketId));
}

function readSuggestion(stored: unknown): { suggestion: Decision | null; isSuggestionUnreadable: boolean } {
  if (stored == null) return { suggestion: null, isSuggestionUnreadable: false };
  const parsed = decisionSchema.safeParse(stored);
  return parsed.success ? { suggestion: parsed.data, isSuggestionUnreadable: false } : { suggestion: null, isSuggestionUnreadable: true };
}

/**
 * Everything the ticket page shows about one ticket: header facts, the customer with their balance,
 * the order with its service and timeline, the payment, evidence, findings, the stored policy
 * suggestion and the conversation. Any staff role may read any ticket (agents triage everything).
 *
 * Five queries after the actor check, four of them at once, each by primary key or a
 * (ticket_id | order_id, time) index: no per-row queries, whatever the ticket holds.
 */
export async function getTicketDetail(ctx: Ctx, ticketIdInput: unknown) {
  const ticketId = parseInput(ticketIdSchema, ticketIdInput);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');

  const params = await policyParamsOfRender(db);
  // One connection, the five statements sent together (one round trip, not five connections' worth of
  // socket writes and wake-ups), each a lookup by key or along a (ticket_id | order_id, time) index:
  // the same plan whatever the ticket, so it is kept rather than made each time.
  const [[first], events, files, messages, otherTickets] = await withGenericPlans(db, (tx) =>
    Promise.all([
      mainQuery(tx, ticketId, params.refundRequestWindowDays),
      tx
        .select({ id: orderEvents.id, kind: orderEvents.kind, at: orderEvents.at, data: orderEvents.data })
        .from(orderEvents)
        .where(sql`${orderEvents.orderId} = (select ${tickets.orderId} from ${tickets} where ${tickets.id} = ${ticketId})`)
        .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
      tx
        .select({
          id: evidence.id,
          sha256: evidence.sha256,
          mimeType: evidence.mimeType,
          sizeBytes: evidence.sizeBytes,
          width: evidence.width,
          height: evidence.height,
          perceptualHash: evidence.perceptualHash,
          originalName: evidence.originalName,
          uploadedAt: evidence.uploadedAt,
          uploadedBy: evidence.uploadedBy,
          hasThumbnail: sql<boolean>`${evidence.thumbnailKey} is not null`,
          hasPhash: sql<boolean>`${evidence.phash} is not null`,
        })
        .from(evidence)
        .where(eq(evidence.ticketId, ticketId))
        .orderBy(asc(evidence.uploadedAt), asc(evidence.id)),
      tx
        .select({
          id: ticketMessages.id,
          body: ticketMessages.body,
          isInternal: ticketMessages.isInternal,
          createdAt: ticketMessages.createdAt,
          author: { id: author.id, name: author.name, role: author.role },
        })
        .from(ticketMessages)
        .leftJoin(author, eq(author.id, ticketMessages.staffId))
        .where(eq(ticketMessages.ticketId, ticketId))
        .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
      // The customer's other tickets, newest first, with the outcome of their latest decision
      // (tickets_customer_idx, decisions_ticket_idx).
      tx
        .select({
          id: tickets.id,
          claim: tickets.claim,
          status: tickets.status,
          openedAt: tickets.openedAt,
          orderNumber: orders.externalId,
          outcome: sql<
            string | null
          >`(select d.chosen_outcome::text from decisions d where d.ticket_id = ${tickets.id} and d.state <> 'rejected' order by d.id desc limit 1)`,
          outcomeState: sql<
            string | null
          >`(select d.state::text from decisions d where d.ticket_id = ${tickets.id} and d.state <> 'rejected' order by d.id desc limit 1)`,
        })
        .from(tickets)
        .leftJoin(orders, eq(orders.id, tickets.orderId))
        .where(
          sql`${tickets.customerId} = (select t0.customer_id from ${tickets} t0 where t0.id = ${ticketId}) and ${tickets.id} <> ${ticketId}`,
        )
        .orderBy(desc(tickets.openedAt), desc(tickets.id))
        .limit(OTHER_TICKETS_SHOWN + 1),
    ]),
  );
  if (!first) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
  let row = first;
  if (readSuggestion(row.ticket.suggestion).suggestion === null) {
    // No stored suggestion yet (or another policy version's): store it now, so every panel of the
    // page — header, suggestion, decision bar — reads the same one (lib/tickets/suggestion.ts).
    await db.transaction((tx) => ticketSuggestion(tx, ticketId));
    [row = first] = await mainQuery(db, ticketId, params.refundRequestWindowDays);
  }

  const { suggestion: stored, ...ticket } = row.ticket;
  const findings = row.findings;
  return {
    ticket,
    assignee: row.assignee,
    customer: {
      ...row.customer,
      balances: row.balances,
      refundRequests90d: Number(row.refundRequests90d),
      /** The window that count covers, and from how many the policy calls it serial (the set in force). */
      refundRequestWindowDays: params.refundRequestWindowDays,
      serialRefundRequests: params.serialRefundRequests,
    },
    order: row.order && row.service ? { ...row.order, service: row.service } : null,
    timeline: events,
    payment: row.payment ? { ...row.payment, duplicateOfExternalId: row.duplicateOfExternalId } : null,
    evidence: await Promise.all(
      files.map(async ({ hasThumbnail, hasPhash, ...f }) => ({
        ...f,
        url: evidenceUrl(f.id),
        thumbnailUrl: hasThumbnail ? evidenceThumbnailUrl(f.id) : null,
        isCustomerUpload: f.uploadedBy === null,
        // Near-identical evidence on other customers' tickets (lib/evidence/reuse.ts): by index, then confirmed on the pixels.
        reuse: hasPhash ? await findReuse(db, f.id) : [],
      })),
    ),
    findings: findings
      ? {
          values: Object.fromEntries(FINDING_NAMES.map((name) => [name, findings[name] ?? null])) as Findings,
          updatedAt: findings.updatedAt,
          updatedBy: row.findingsAuthor,
        }
      : null,
    ...readSuggestion(stored),
    messages: messages.map((m) => ({ ...m, isFromCustomer: m.author === null && !m.isInternal })),
    otherTickets: otherTickets.slice(0, OTHER_TICKETS_SHOWN),
    hasMoreOtherTickets: otherTickets.length > OTHER_TICKETS_SHOWN,
  };
}

export type TicketDetail = Awaited<ReturnType<typeof getTicketDetail>>;

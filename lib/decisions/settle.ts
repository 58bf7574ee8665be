/**
 * The panel's answer to a cancel (see the README's webhook section): the `cancel_result` order event
 * settles the decision that asked for it, in the intake's transaction (which holds the order's row
 * lock and has already applied the event to the order).
 *
 * - `Canceled`: the panel cancelled the order and refunded its charge to the balance itself. The
 *   decision becomes `executed`, the ticket `resolved`, and only now the reply ("it is canceled") is
 *   added to the conversation and sent (`customer_reply`). The desk writes no ledger row: the money
 *   moved once, on the panel's side, and the credit room counts the refund the event reports.
 * - anything else (`Rejected`: the order had started): the decision becomes `rejected` with the
 *   panel's reason, the ticket goes back to `open` with an internal note, nothing was credited and
 *   the customer was told nothing. The intake recomputes the suggestion on the order's new facts.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { decisions, providerJobs, ticketMessages, tickets } from '@/db/schema';
import { record, type AuditActor } from '@/lib/audit';
import type { Origin } from '@/lib/audit';
import { notifyTicketChanged } from '@/lib/live/notify';
import { enqueueProviderJob } from '@/lib/provider/outbox';
import { PANEL_REFUSAL_PREFIX } from '@/lib/validation/decisions';
import { lockTicket } from './ticket';

export interface CancelAnswer {
  orderId: number;
  orderNumber: string;
  /** The webhook's event id the panel answers (`data.requestEventId`), when it names one. */
  requestEventId: string | null;
  /** The panel's word: `Canceled` confirms; anything else refuses. */
  status: string;
  message: string | null;
  refunded: string | null;
}

/** The decisions a cancel answer settles: the one whose cancel job it names, else every cancel waiting on the order. */
async function waitingCancels(tx: Tx, answer: CancelAnswer): Promise<{ id: number; ticketId: number }[]> {
  if (answer.requestEventId) {
    const [job] = await tx
      .select({ id: decisions.id, ticketId: decisions.ticketId })
      .from(providerJobs)
      .innerJoin(decisions, eq(decisions.id, providerJobs.decisionId))
      .where(and(eq(providerJobs.eventId, answer.requestEventId), eq(providerJobs.kind, 'cancel')));
    if (job) return [job];
  }
  return tx
    .select({ id: decisions.id, ticketId: decisions.ticketId })
    .from(decisions)
    .innerJoin(tickets, eq(tickets.id, decisions.ticketId))
    .where(and(eq(tickets.orderId, answer.orderId), eq(decisions.state, 'awaiting_panel')))
    .orderBy(decisions.id);
}

export const isCancelConfirmed = (status: string) => /^cancell?ed$/i.test(status.trim());

/** Settles the cancels this answer is about; returns the tickets it settled. */
export async function settleCancel(tx: Tx, answer: CancelAnswer, by: { actor: AuditActor; origin: Origin }): Promise<number[]> {
  const settled: number[] = [];
  for (const found of await waitingCancels(tx, answer)) {
    const ticket = await lockTicket(tx, found.ticketId);
    const [decision] = await tx.select().from(decisions).where(eq(decisions.id, found.id)).for('update');
    if (!decision || decision.state !== 'awaiting_panel') continue;
    const now = new Date();
    const t = `T-${ticket.id}`;
    if (isCancelConfirmed(answer.status)) {
      await tx.update(decisions).set({ state: 'executed' }).where(eq(decisions.id, decision.id));
      let messageId: number | null = null;
      let jobId: number | null = null;
      if (decision.reply) {
        const [message] = await tx
          .insert(ticketMessages)
          .values({ ticketId: ticket.id, staffId: decision.decidedBy, isInternal: false, body: decision.reply, createdAt: now })
          .returning({ id: ticketMessages.id });
        messageId = message!.id;
        const job = await enqueueProviderJob(tx, {
          kind: 'customer_reply',
          ticketId: ticket.id,
          decisionId: decision.id,
          payload: {
            ticketId: ticket.id,
            decisionId: decision.id,
            customerExternalId: ticket.customerExternalId,
            orderNumber: answer.orderNumber,
            message: decision.reply,
          },
        });
        jobId = job.id;
      }
      await tx.update(tickets).set({ status: 'resolved', updatedAt: now }).where(eq(tickets.id, ticket.id));
      await record(tx, {
        actor: by.actor,
        action: 'decision.executed',
        entityType: 'decision',
        entityId: decision.id,
        before: { ticketId: ticket.id, state: 'awaiting_panel', ticketStatus: ticket.status },
        after: {
          ticketId: ticket.id,
          state: 'executed',
          outcome: decision.chosenOutcome,
          ticketStatus: 'resolved',
          cancelConfirmed: true,
          refundedByPanel: answer.refunded,
          currency: decision.currency,
          ledgerEntryId: null,
          messageId,
          jobs: jobId ? [{ id: jobId, kind: 'customer_reply' }] : [],
        },
        reason: `The panel cancelled order ${answer.orderNumber} and refunded its charge.`,
        origin: by.origin,
      });
    } else {
      const why = `${PANEL_REFUSAL_PREFIX} order ${answer.orderNumber}${answer.message ? `: ${answer.message}` : ` (${answer.status})`}`;
      await tx
        .update(decisions)
        .set({ state: 'rejected', reviewReason: why.slice(0, 2000) })
        .where(eq(decisions.id, decision.id));
      const statusAfter = ticket.status === 'resolved' ? 'resolved' : 'open';
      await tx.update(tickets).set({ status: statusAfter, updatedAt: now }).where(eq(tickets.id, ticket.id));
      await tx.insert(ticketMessages).values({
        ticketId: ticket.id,
        staffId: null,
        isInternal: true,
        body: `${why}. Decision ${decision.id} was not carried out: nothing was credited and the customer was not told. ${t} is back in the queue with the order’s new status.`,
        createdAt: now,
      });
      await record(tx, {
        actor: by.actor,
        action: 'decision.cancel_refused',
        entityType: 'decision',
        entityId: decision.id,
        before: { ticketId: ticket.id, state: 'awaiting_panel', ticketStatus: ticket.status },
        after: { ticketId: ticket.id, state: 'rejected', ticketStatus: statusAfter, panelStatus: answer.status },
        reason: why,
        origin: by.origin,
      });
    }
    await notifyTicketChanged(tx, { id: ticket.id, kind: 'updated' });
    settled.push(ticket.id);
  }
  return settled;
}

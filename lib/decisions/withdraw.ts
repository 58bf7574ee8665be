/**
 * A cancel that never reached the panel: its `cancel` job failed for good (every attempt refused or
 * unanswered), so the decision would wait `awaiting_panel` forever. A supervisor or admin either
 * sends it again (Deliveries → Retry) or withdraws it here: the job becomes `withdrawn` (never sent
 * again), the decision `rejected` with the reason, the ticket goes back to the queue with an internal
 * note and a suggestion on its current facts. Nothing was credited and the customer was told
 * nothing, so nothing needs undoing.
 */
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { decisions, providerJobs, ticketMessages, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notifyStaff, notifyTicketChanged } from '@/lib/live/notify';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { parseInput } from '@/lib/validation/parse';
import { withdrawCancelSchema } from '@/lib/validation/decisions';
import { lockTicket } from './ticket';

export async function withdrawCancel(ctx: Ctx, input: unknown) {
  const { decisionId, reason } = parseInput(withdrawCancelSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'decisions.review');
    const [found] = await tx.select({ ticketId: decisions.ticketId }).from(decisions).where(eq(decisions.id, decisionId));
    if (!found) throw new AppError('not_found', `There is no decision ${decisionId}.`);
    const ticket = await lockTicket(tx, found.ticketId);
    const [decision] = await tx.select().from(decisions).where(eq(decisions.id, decisionId)).for('update');
    const t = `T-${ticket.id}`;
    if (decision!.state !== 'awaiting_panel') {
      throw new AppError(
        'conflict',
        `Decision ${decisionId} on ${t} is not waiting for the panel (it is ${decision!.state.replace('_', ' ')}).`,
      );
    }
    const [job] = await tx
      .select()
      .from(providerJobs)
      .where(and(eq(providerJobs.decisionId, decisionId), eq(providerJobs.kind, 'cancel')))
      .for('update');
    if (!job || job.state !== 'failed') {
      throw new AppError(
        'conflict',
        job?.state === 'delivered'
          ? `The cancel of decision ${decisionId} reached the panel; its answer settles ${t}.`
          : `The cancel of decision ${decisionId} is still being sent to the panel; withdraw it only once its delivery has failed for good.`,
      );
    }
    const now = new Date();
    const why = `Cancel withdrawn by ${actor.name}: it never reached the panel (${job.attempts} attempts; last error: ${job.lastError ?? 'none recorded'}). ${reason}`;
    await tx.update(providerJobs).set({ state: 'withdrawn', nextAttemptAt: now }).where(eq(providerJobs.id, job.id));
    await tx
      .update(decisions)
      .set({ state: 'rejected', approvedBy: actor.id, reviewReason: why.slice(0, 2000), decidedAt: now })
      .where(eq(decisions.id, decisionId));
    const statusAfter = ticket.status === 'resolved' ? 'resolved' : 'open';
    await tx.update(tickets).set({ status: statusAfter, updatedAt: now }).where(eq(tickets.id, ticket.id));
    await tx.insert(ticketMessages).values({
      ticketId: ticket.id,
      staffId: actor.id,
      isInternal: true,
      body: `${why} Decision ${decisionId} was not carried out: nothing was credited and the customer was not told. ${t} is back in the queue.`,
      createdAt: now,
    });
    await refreshSuggestion(tx, ticket.id, now);
    await record(tx, {
      actor: auditActor(actor),
      action: 'decision.cancel_retracted',
      entityType: 'decision',
      entityId: decisionId,
      before: { ticketId: ticket.id, state: 'awaiting_panel', ticketStatus: ticket.status, jobState: job.state },
      after: { ticketId: ticket.id, state: 'rejected', ticketStatus: statusAfter, jobId: job.id, jobState: 'withdrawn' },
      reason,
      origin: ctx.origin,
    });
    await notifyTicketChanged(tx, { id: ticket.id, kind: 'updated' });
    if (decision!.decidedBy !== actor.id) {
      await notifyStaff(tx, {
        staffId: decision!.decidedBy,
        ticketId: ticket.id,
        text: `${actor.name} withdrew your cancel on ${t}: it never reached the panel. ${t} is back in the queue.`,
      });
    }
    return { decisionId, ticketId: ticket.id, jobId: job.id };
  });
}

/**
 * A supervisor's (or admin's) approval or rejection of a decision waiting for one. Approval executes
 * the decision in the same transaction; nobody reviews their own proposal.
 */
import { eq } from 'drizzle-orm';
import { decisions, ticketMessages, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record, recordMany } from '@/lib/audit';
import { reviewStep, runCommand } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { notifyStaff, notifyTicketChanged } from '@/lib/live/notify';
import { OUTCOME_LABEL } from '@/lib/labels';
import { amountCents, isPayingOutcome, reviewDecisionSchema } from '@/lib/validation/decisions';
import { parseInput } from '@/lib/validation/parse';
import { creditRoom, describeRoom, money } from './credit-room';
import { executeDecision, executionAuditRows } from './execute';
import type { DecisionResult, FaultOptions } from './propose';
import { decisionConflict, isCancelStep, lockTicket, wasProposedAsCancel } from './ticket';
import { decisionView } from './view';

const VERDICT_WORD = { executed: 'approved', rejected: 'rejected' } as const;

/**
 * Approves (executes) or rejects a decision that waits for approval. Repeating the same verdict by
 * the same reviewer returns the first result; anything else on a decided decision is a conflict.
 */
export async function reviewDecision(ctx: Ctx, input: unknown, options: FaultOptions = {}): Promise<DecisionResult> {
  const r = parseInput(reviewDecisionSchema, input);
  let ticketId: number | null = null;
  return runCommand(
    async (tx) => {
      const actor = await authorizeStaff(tx, ctx, 'decisions.review');
      const [found] = await tx.select({ ticketId: decisions.ticketId }).from(decisions).where(eq(decisions.id, r.decisionId));
      if (!found) throw new AppError('not_found', `There is no decision ${r.decisionId}.`);
      ticketId = found.ticketId;
      // Same lock order as proposals: the ticket first, then its decision.
      const ticket = await lockTicket(tx, found.ticketId);
      const [decision] = await tx.select().from(decisions).where(eq(decisions.id, r.decisionId)).for('update');
      if (!decision) throw new AppError('not_found', `There is no decision ${r.decisionId}.`);
      const t = `T-${ticket.id}`;

      // Nobody reviews their own proposal, not even to withdraw it; the same verdict again is a replay.
      const step = reviewStep(
        // An approved cancel waiting for the panel was approved: for the review rule it is decided as `executed`.
        {
          state: decision.state === 'awaiting_panel' ? 'executed' : decision.state,
          requestedBy: decision.decidedBy,
          reviewedBy: decision.approvedBy,
        },
        { actorId: actor.id, approve: r.approve },
        { ownMayReject: false, replaysSameVerdict: true },
      );
      if (step === 'replay') return { decision: await decisionView(tx, decision.id), replayed: true };
      if (step === 'already_decided') {
        const view = await decisionView(tx, decision.id);
        if (decision.state === 'executed' && decision.approvedBy === null) {
          throw new AppError('conflict', `Decision ${decision.id} on ${t} needed no approval; it was executed when it was proposed.`);
        }
        const verdict = decision.state === 'rejected' || decision.state === 'executed' ? VERDICT_WORD[decision.state] : 'decided';
        throw new AppError(
          'conflict',
          `Decision ${decision.id} on ${t} was already ${verdict} by ${view.reviewedBy?.name ?? 'someone else'}.`,
        );
      }
      if (step === 'own_request') {
        throw new AppError(
          'forbidden',
          `You proposed decision ${decision.id} on ${t}, so another supervisor or admin must approve or reject it.`,
        );
      }

      const now = new Date();
      if (!r.approve) {
        const [rejected] = await tx
          .update(decisions)
          .set({ state: 'rejected', approvedBy: actor.id, reviewReason: r.reason!, decidedAt: now })
          .where(eq(decisions.id, decision.id))
          .returning();
        // Back to the open queue, unless its status was changed meanwhile by other means.
        const statusAfter = ticket.status === 'awaiting_approval' ? 'open' : ticket.status;
        if (statusAfter !== ticket.status)
          await tx.update(tickets).set({ status: statusAfter, updatedAt: now }).where(eq(tickets.id, ticket.id));
        await tx.insert(ticketMessages).values({
          ticketId: ticket.id,
          staffId: actor.id,
          isInternal: true,
          body: `Decision ${decision.id} rejected by ${actor.name}: ${r.reason!}`,
          createdAt: now,
        });
        await notifyTicketChanged(tx, { id: ticket.id, kind: 'updated' });
        await notifyStaff(tx, {
          staffId: decision.decidedBy,
          ticketId: ticket.id,
          text: `${actor.name} rejected your proposal on ${t} (${OUTCOME_LABEL[decision.chosenOutcome]}): ${r.reason!}`,
        });
        await record(tx, {
          actor: auditActor(actor),
          action: 'decision.rejected',
          entityType: 'decision',
          entityId: decision.id,
          before: { state: decision.state, ticketStatus: ticket.status },
          after: { state: rejected!.state, ticketStatus: statusAfter, idempotencyKey: r.idempotencyKey ?? null },
          reason: r.reason!,
          origin: ctx.origin,
        });
        await options.hooks?.beforeCommit?.(tx);
        return { decision: await decisionView(tx, decision.id), replayed: false };
      }

      if (ticket.status === 'resolved') {
        throw new AppError('conflict', `${t} was resolved meanwhile, so decision ${decision.id} can no longer be executed. Reject it.`);
      }
      if (wasProposedAsCancel(decision, ticket) && ticket.orderStatus !== 'submitted') {
        throw new AppError(
          'conflict',
          `Order ${ticket.orderNumber} is ${ticket.orderStatus ?? 'gone'} now, so it can no longer be cancelled as decision ${decision.id} proposes. Reject it so a decision can be made on the new facts.`,
        );
      }
      if (isPayingOutcome(decision.chosenOutcome) && decision.amount) {
        // Other credits for the same order or payment may have been paid since the proposal.
        const room = await creditRoom(tx, ticket, { lock: true });
        if (!room) throw new AppError('conflict', `${t} no longer has an order or payment to pay against.`);
        if (amountCents(decision.amount) > amountCents(room.remaining)) {
          throw new AppError(
            'conflict',
            `Decision ${decision.id} can no longer be paid: at most ${money(room.remaining, room.currency)} remains on ${t} (${describeRoom(room)}). Reject it so a new amount can be proposed.`,
          );
        }
      }

      const [approved] = await tx
        .update(decisions)
        .set({
          state: isCancelStep(decision.chosenOutcome, ticket) ? 'awaiting_panel' : 'executed',
          approvedBy: actor.id,
          reviewReason: r.reason ?? null,
          decidedAt: now,
        })
        .where(eq(decisions.id, decision.id))
        .returning();
      const effects = await executeDecision(tx, { decision: approved!, ticket, executor: actor, now }, options.hooks);
      await recordMany(tx, [
        {
          actor: auditActor(actor),
          action: 'decision.approved',
          entityType: 'decision',
          entityId: decision.id,
          before: { state: decision.state },
          after: { state: approved!.state, approvalReasons: decision.approvalReason, idempotencyKey: r.idempotencyKey ?? null },
          reason: r.reason ?? null,
          origin: ctx.origin,
        },
        ...executionAuditRows(ctx, actor, approved!, ticket.customerId, effects),
      ]);
      await notifyStaff(tx, {
        staffId: decision.decidedBy,
        ticketId: ticket.id,
        text: `${actor.name} approved your proposal on ${t}: ${OUTCOME_LABEL[decision.chosenOutcome]}${
          decision.amount ? ` ${money(decision.amount, decision.currency)}` : ''
        }${approved!.state === 'awaiting_panel' ? ' (the cancel is sent to the panel)' : ''}.`,
      });
      await options.hooks?.beforeCommit?.(tx);
      return { decision: await decisionView(tx, decision.id), replayed: false };
    },
    { uniqueConflict: (violation) => decisionConflict(violation, ticketId) },
  );
}

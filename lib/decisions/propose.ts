/**
 * Proposing a decision on a ticket: held to the proposal rules (`proposal-rules.ts`) against the
 * policy suggestion, executed at once when it needs nobody else, otherwise left waiting for a
 * supervisor. One command (`lib/command`), the ticket's row locked first; idempotent by the
 * request's Idempotency-Key.
 */
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '@/db';
import { decisions, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type StaffActor, type Ctx } from '@/lib/auth/actor';
import { recordMany, type AuditInput } from '@/lib/audit';
import { IDEMPOTENCY_CONFLICT, lockPersonCredits, personCreditsLock, replayOf, requestHash, runCommand } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { BUILT_IN_VERSION, creditLimitsOf, paramsSetVersion } from '@/lib/policy-params';
import { checkClaim } from '@/lib/tickets/claim';
import type { Decision } from '@/lib/policy';
import { approvalThresholdFor } from '@/lib/policy/params';
import { refreshSuggestion, storedSuggestion } from '@/lib/tickets/suggestion';
import {
  approvalReasonLabels,
  approvalReasonsFor,
  decidesEscalated,
  fillDraft,
  isPayingOutcome,
  proposeDecisionSchema,
} from '@/lib/validation/decisions';
import { parseInput } from '@/lib/validation/parse';
import { creditBasis, lockBasisSql, paidOnSql, roomOf, type CreditRoom } from './credit-room';
import { executeDecision, executionAuditRows, type ExecuteHooks, type ExecutionEffects } from './execute';
import {
  checkCancelAmount,
  checkReplyGiven,
  checkTicketTakesProposal,
  choiceAgainst,
  paymentOf,
  suggestedChoiceOf,
} from './proposal-rules';
import { draftReply } from './reply';
import { dailyUseOf, dailyUsedSql } from './limits';
import { decisionConflict, isCancelStep, lockTicket, readAfterLock } from './ticket';
import { decisionView, viewOfRow, type DecisionView } from './view';

export interface DecisionResult {
  decision: DecisionView;
  /** True when this is a repeat of an earlier request with the same Idempotency-Key (nothing new was written). */
  replayed: boolean;
}

export interface FaultOptions {
  /** Fault injection for tests; no transport passes it (`index.ts` exports the functions without it). */
  hooks?: ExecuteHooks;
}

/** An earlier decision made with this key: the same request by the same person is a replay; anything else a conflict. */
async function replayByKey(tx: Tx, idempotencyKey: string, request: { hash: string; actorId: number }): Promise<DecisionView | null> {
  const [earlier] = await tx
    .select({ id: decisions.id, requestHash: decisions.requestHash, requestedBy: decisions.decidedBy })
    .from(decisions)
    .where(eq(decisions.idempotencyKey, idempotencyKey));
  return replayOf(earlier, request, (id) => decisionView(tx, id));
}

/** The `decision.proposed` audit row (written after the effects, with the execution's rows). */
function proposalAuditRow(
  ctx: Ctx,
  actor: StaffActor,
  proposal: { view: DecisionView; ticketStatus: string; suggestion: Decision; threshold: string },
): AuditInput {
  const { ticketId, state, outcome, amount, currency, accountAction, isOverride, approvalReasons, reply, overrideReason, paramsVersion } =
    proposal.view;
  const { suggestion } = proposal;
  const labels = approvalReasonLabels(proposal.threshold);
  return {
    actor: auditActor(actor),
    action: 'decision.proposed',
    entityType: 'decision',
    entityId: proposal.view.id,
    before: { ticketId, ticketStatus: proposal.ticketStatus },
    after: {
      ticketId,
      state,
      outcome,
      amount,
      currency,
      accountAction,
      isOverride,
      approvalReasons,
      reply,
      paramsVersion,
      approvalNeeded: approvalReasons.map((r) => labels[r]),
      suggestion: {
        outcome: suggestion.outcome,
        amount: suggestion.amount,
        currency: suggestion.currency,
        policyVersion: suggestion.policyVersion,
        paramsVersion,
      },
    },
    reason: overrideReason,
    origin: ctx.origin,
  };
}

/**
 * Proposes a decision (see README.md): executes it at once when it needs no approval, otherwise
 * leaves it `awaiting_approval` and the ticket in the supervisors' approvals list.
 */
export async function proposeDecision(ctx: Ctx, input: unknown, options: FaultOptions = {}): Promise<DecisionResult> {
  const p = parseInput(proposeDecisionSchema, input);
  const hash = requestHash({
    ticketId: p.ticketId,
    outcome: p.outcome,
    amount: p.amount ?? null,
    reason: p.reason ?? null,
    reply: p.reply ?? null,
    accountAction: p.accountAction ?? null,
  });
  return runCommand(
    async (tx) => {
      const actor = await authorizeStaff(tx, ctx, 'tickets.work');
      // The ticket's row lock serialises every proposal and review on this ticket.
      const ticket = await lockTicket(tx, p.ticketId);
      const now = new Date();
      // The order (payment) row stays locked until commit: credits on it take turns. A balance
      // credit then takes its proposer's daily-limit lock (`lockPersonCredits`: this person's
      // credits take turns, so two parallel proposals cannot both slip under the limit). Both are
      // taken, in that order, by the statement that reads what the ticket's lock does not cover;
      // the room and the day's use are read by the next one, after both locks.
      const basis = isPayingOutcome(p.outcome) ? creditBasis(ticket) : null;
      const takesPersonLock = p.outcome === 'balance_credit';
      const { earlier, pendingId, panelId, params, locked } = await readAfterLock(tx, {
        ticketId: ticket.id,
        idempotencyKey: p.idempotencyKey,
        at: now,
        lock: basis ? lockBasisSql(basis) : null,
        thenLock: takesPersonLock ? personCreditsLock('decision', actor.id) : null,
      });
      if (basis && takesPersonLock && !locked) await lockPersonCredits(tx, 'decision', actor.id);
      const replay = await replayOf(earlier, { hash, actorId: actor.id }, (id) => decisionView(tx, id));
      if (replay) return { decision: replay, replayed: true };

      checkClaim(ticket, actor);
      checkTicketTakesProposal(ticket, pendingId, p.outcome);
      if (panelId !== null) {
        throw new AppError(
          'conflict',
          `T-${ticket.id} is waiting for the panel to answer the cancel of order ${ticket.orderNumber ?? ''} (decision ${panelId}); its answer decides the ticket.`,
        );
      }
      // Measured against the stored suggestion (as the lock read it): the one the agent saw on the
      // ticket page… unless there is none, or it was computed under a parameter set no longer in
      // force (the background recompute has not reached this ticket yet): a decision is made under
      // the set in force, so the suggestion, the threshold and the stored version are one set's.
      const paramsVersion = paramsSetVersion(params) ?? BUILT_IN_VERSION;
      let suggestion = storedSuggestion(ticket.storedSuggestion);
      if (!suggestion || (ticket.suggestionParamsVersion ?? BUILT_IN_VERSION) !== paramsVersion) {
        suggestion = (await refreshSuggestion(tx, ticket.id, now)) ?? suggestion;
      }
      if (!suggestion) throw new AppError('not_found', `There is no ticket T-${ticket.id}.`);
      const { accountAction, isOverride } = choiceAgainst(suggestion, p);

      const limits = takesPersonLock ? creditLimitsOf(params) : null;
      let room: CreditRoom | null = null;
      let dailyRemaining: string | null = null;
      if (basis) {
        const [row] = await queryRows<{ paid: string; panel: string; used?: string }>(
          tx,
          sql`select ${paidOnSql(basis)}${limits ? sql`, ${dailyUsedSql(actor.id, limits)}` : sql``}`,
        );
        room = roomOf(basis, row);
        if (limits) dailyRemaining = dailyUseOf(row?.used, limits).remaining;
      }
      const { amount, currency } = paymentOf(ticket.id, p, suggestion, isOverride, room);
      if (isCancelStep(p.outcome, ticket)) checkCancelAmount(ticket, amount);
      checkReplyGiven(p, suggestion);
      const reply =
        p.reply ??
        fillDraft(
          draftReply({
            ticketId: ticket.id,
            username: ticket.username,
            orderNumber: ticket.orderNumber ?? ticket.orderNumberGiven,
            agentName: actor.name,
            outcome: p.outcome,
            suggestion,
          }),
          amount,
          currency,
        );

      // The threshold in the payment's currency (the default one for outcomes that pay nothing).
      const threshold = approvalThresholdFor(params, currency);
      const approvalReasons = approvalReasonsFor(
        { outcome: p.outcome, amount, accountAction, isOverride },
        suggestedChoiceOf(suggestion),
        threshold,
        { decidesEscalated: decidesEscalated(ticket.status, actor.role), dailyRemaining },
      );
      const needsApproval = approvalReasons.length > 0;
      const isCancel = !needsApproval && isCancelStep(p.outcome, ticket);
      const [row] = await tx
        .insert(decisions)
        .values({
          ticketId: ticket.id,
          suggestedOutcome: suggestion.outcome,
          suggestedReasons: suggestion.reasons,
          policyVersion: suggestion.policyVersion,
          paramsVersion,
          chosenOutcome: p.outcome,
          amount,
          currency,
          isOverride,
          overrideReason: isOverride ? (p.reason ?? null) : null,
          accountAction,
          approvalReason: needsApproval ? approvalReasons.join(',') : null,
          reply,
          decidedBy: actor.id,
          state: needsApproval ? 'awaiting_approval' : isCancel ? 'awaiting_panel' : 'executed',
          idempotencyKey: p.idempotencyKey,
          requestHash: hash,
          createdAt: now,
          decidedAt: needsApproval ? null : now,
        })
        .onConflictDoNothing({ target: decisions.idempotencyKey })
        .returning();
      if (!row) {
        // The key was taken meanwhile by a request on another ticket (ours is locked).
        const other = await replayByKey(tx, p.idempotencyKey, { hash, actorId: actor.id });
        if (other) return { decision: other, replayed: true };
        throw new AppError('conflict', IDEMPOTENCY_CONFLICT);
      }

      let effects: ExecutionEffects | null = null;
      if (needsApproval) {
        await tx.update(tickets).set({ status: 'awaiting_approval', updatedAt: now }).where(eq(tickets.id, ticket.id));
        await notifyTicketChanged(tx, { id: ticket.id, kind: 'updated' });
      } else {
        effects = await executeDecision(tx, { decision: row, ticket, executor: actor, now }, options.hooks);
      }

      const view = viewOfRow(row, { proposedBy: actor.name, reviewedBy: null });
      await recordMany(tx, [
        proposalAuditRow(ctx, actor, { view, ticketStatus: ticket.status, suggestion, threshold }),
        ...(effects ? executionAuditRows(ctx, actor, row, ticket.customerId, effects) : []),
      ]);
      await options.hooks?.beforeCommit?.(tx);

      return { decision: view, replayed: false };
    },
    { uniqueConflict: (violation) => decisionConflict(violation, p.ticketId) },
  );
}

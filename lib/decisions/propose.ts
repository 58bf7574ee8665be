/**
 * Proposing a decision on a ticket: validated against the policy suggestion, executed at once when
 * it needs nobody else, otherwise left waiting for a supervisor. One transaction, the ticket's row
 * locked first; idempotent by the request's Idempotency-Key.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb, type Tx } from '@/db';
import { decisions, tickets } from '@/db/schema';
import { AREA_ROLES, auditActor, requireActor, type Actor, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import type { Decision } from '@/lib/policy';
import { currentPolicyParams } from '@/lib/policy-params';
import { loadTicketFacts, suggestFor } from '@/lib/tickets/suggestion';
import {
  OVERRIDE_REASON_MIN,
  amountCents,
  approvalReasonLabels,
  approvalReasonsFor,
  fillDraft,
  isOverrideOf,
  isPayingOutcome,
  proposeDecisionSchema,
  sameAmount,
  type DecidableOutcome,
  type SuggestedChoice,
} from '@/lib/validation/decisions';
import { parseInput } from '@/lib/validation/parse';
import { creditRoom, describeRoom, money } from './credit-room';
import { executeDecision, type ExecuteHooks, type ExecutionEffects } from './execute';
import { draftReply } from './reply';
import {
  IDEMPOTENCY_CONFLICT,
  decisionView,
  retryTransaction,
  lockTicket,
  mapWriteError,
  pendingDecisionId,
  type DecisionView,
  type LockedTicket,
} from './shared';

export interface DecisionResult {
  decision: DecisionView;
  /** True when this is a repeat of an earlier request with the same Idempotency-Key (nothing new was written). */
  replayed: boolean;
}

export interface CoreOptions {
  /** Fault injection for tests; no transport passes it. */
  hooks?: ExecuteHooks;
}

const OUTCOME_WORDS: Record<string, string> = {
  deny: 'deny',
  request_info: 'request information',
  verify: 'verify the facts first',
  reprocess: 'reprocess',
  refill: 'refill',
  balance_credit: 'a balance credit',
  original_method_refund: 'a cash refund',
  escalate: 'escalate',
};

export const suggestedChoiceOf = (s: Decision | null): SuggestedChoice | null =>
  s && { outcome: s.outcome, amount: s.amount, accountAction: s.accountAction, requiresApproval: s.requiresApproval };

/** The suggestion in words: "a balance credit of 7.50 USD". */
export function describeSuggestion(s: Decision | null): string {
  if (!s) return 'nothing yet';
  return `${OUTCOME_WORDS[s.outcome] ?? s.outcome}${s.amount ? ` of ${money(s.amount, s.currency)}` : ''}`;
}

/** SHA-256 of the canonical JSON (sorted keys) of the normalized request. */
export function hashRequest(request: Record<string, string | number | boolean | null>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(
      Object.keys(request)
        .sort()
        .map((k) => [k, request[k]]),
    ),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

const invalid = (field: string, message: string) => new AppError('invalid', `${field}: ${message}`, { [field]: [message] });

/** An earlier decision made with this key: the same request by the same person is a replay; anything else a conflict. */
async function replayOf(tx: Tx, idempotencyKey: string, requestHash: string, actorId: number): Promise<DecisionView | null> {
  const [existing] = await tx
    .select({ id: decisions.id, requestHash: decisions.requestHash, decidedBy: decisions.decidedBy })
    .from(decisions)
    .where(eq(decisions.idempotencyKey, idempotencyKey));
  if (!existing) return null;
  if (existing.requestHash !== requestHash || existing.decidedBy !== actorId) throw new AppError('conflict', IDEMPOTENCY_CONFLICT);
  return decisionView(tx, existing.id);
}

/** Writes the audit rows of an execution (kept last, so the audit chain's lock is held only until commit). */
export async function recordExecution(
  tx: Tx,
  ctx: Ctx,
  actor: Actor,
  decision: typeof decisions.$inferSelect,
  customerId: number,
  effects: ExecutionEffects,
) {
  await record(tx, {
    actor: auditActor(actor),
    action: 'decision.executed',
    entityType: 'decision',
    entityId: decision.id,
    before: { ticketId: decision.ticketId, ticketStatus: effects.ticketStatus.before },
    after: {
      ticketId: decision.ticketId,
      outcome: decision.chosenOutcome,
      amount: decision.amount,
      currency: decision.currency,
      ticketStatus: effects.ticketStatus.after,
      ledgerEntryId: effects.ledgerEntryId,
      jobs: effects.jobs,
      messageId: effects.messageId,
      isAccountSuspended: effects.isAccountSuspended,
      isUnassigned: effects.isUnassigned,
    },
    origin: ctx.origin,
  });
  if (effects.isAccountSuspended) {
    await record(tx, {
      actor: auditActor(actor),
      action: 'customer.suspended',
      entityType: 'customer',
      entityId: customerId,
      before: { isSuspended: false },
      after: { isSuspended: true },
      reason: `Decision ${decision.id} on T-${decision.ticketId}`,
      origin: ctx.origin,
    });
  }
}

/** Refusals of an outcome this ticket cannot take. */
function checkOutcomeFits(ticket: LockedTicket, outcome: DecidableOutcome) {
  if ((outcome === 'reprocess' || outcome === 'refill') && ticket.orderId === null) {
    throw invalid('outcome', `T-${ticket.id} has no order to ${outcome}.`);
  }
  if (outcome === 'escalate' && ticket.status === 'escalated') {
    throw new AppError('conflict', `T-${ticket.id} is already escalated; a supervisor decides it from here.`);
  }
}

/**
 * Proposes a decision (see README.md): executes it at once when it needs no approval, otherwise
 * leaves it `awaiting_approval` and the ticket in the supervisors' approvals list.
 */
export async function proposeDecisionWith(ctx: Ctx, input: unknown, options: CoreOptions = {}): Promise<DecisionResult> {
  const p = parseInput(proposeDecisionSchema, input);
  const requestHash = hashRequest({
    ticketId: p.ticketId,
    outcome: p.outcome,
    amount: p.amount ?? null,
    reason: p.reason ?? null,
    reply: p.reply ?? null,
    accountAction: p.accountAction ?? null,
  });
  const db = await getDb();
  try {
    return await retryTransaction(() =>
      db.transaction(async (tx) => {
        const actor = await requireActor(tx, ctx, AREA_ROLES.tickets);
        // The ticket's row lock serialises every proposal and review on this ticket.
        const ticket = await lockTicket(tx, p.ticketId);
        // Independent reads, each a statement of its own after the lock, sent together.
        const [replay, pendingId, facts, params] = await Promise.all([
          replayOf(tx, p.idempotencyKey, requestHash, actor.id),
          pendingDecisionId(tx, ticket.id),
          loadTicketFacts(tx, ticket.id),
          currentPolicyParams(tx),
        ]);
        if (replay) return { decision: replay, replayed: true };

        const t = `T-${ticket.id}`;
        if (ticket.status === 'resolved') throw new AppError('conflict', `${t} is already resolved.`);
        if (pendingId !== null) throw new AppError('conflict', `${t} already has a decision waiting for approval.`);
        checkOutcomeFits(ticket, p.outcome);

        const now = new Date();
        if (!facts) throw new AppError('not_found', `There is no ticket ${t}.`);
        const suggestion = suggestFor(facts, now, params).suggestion;
        const suggested = suggestedChoiceOf(suggestion);
        const accountAction = p.accountAction ?? suggestion.accountAction;
        const isOverride = isOverrideOf(suggested, { outcome: p.outcome, amount: p.amount ?? null, accountAction });

        if (isOverride && (p.reason ?? '').length < OVERRIDE_REASON_MIN) {
          throw invalid(
            'reason',
            `This departs from the suggestion (${describeSuggestion(suggestion)}), so it needs a written reason of at least ${OVERRIDE_REASON_MIN} characters.`,
          );
        }

        let amount: string | null = null;
        let currency: string | null = null;
        if (isPayingOutcome(p.outcome)) {
          const room = await creditRoom(tx, ticket, { lock: true });
          if (!room) throw invalid('amount', `${t} has no order or payment, so there is nothing to credit or refund.`);
          amount = p.amount ?? (suggestion.outcome === p.outcome ? suggestion.amount : null);
          if (!amount)
            throw invalid('amount', `Give the amount: the suggestion (${describeSuggestion(suggestion)}) names none for this outcome.`);
          currency = room.currency;
          const suggestedCap = !isOverride && suggestion.amount ? suggestion.amount : null;
          const cap = suggestedCap && amountCents(suggestedCap) < amountCents(room.remaining) ? suggestedCap : room.remaining;
          if (amountCents(amount) > amountCents(cap)) {
            const why = sameAmount(cap, suggestedCap) ? `the policy allows ${money(cap, currency)}` : describeRoom(room);
            throw invalid('amount', `At most ${money(cap, currency)} can be paid on ${t} (${why}); ${money(amount, currency)} is more.`);
          }
        }

        if (p.outcome === 'request_info' && !p.reply && (p.outcome !== suggestion.outcome || suggestion.missingInfo.length === 0)) {
          throw invalid('reply', 'Write the reply: say exactly what the customer must send (the policy names nothing missing here).');
        }
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

        const approvalReasons = approvalReasonsFor(
          { outcome: p.outcome, amount, accountAction, isOverride },
          suggested,
          params.approvalThreshold,
        );
        const needsApproval = approvalReasons.length > 0;
        const [row] = await tx
          .insert(decisions)
          .values({
            ticketId: ticket.id,
            suggestedOutcome: suggestion.outcome,
            suggestedReasons: suggestion.reasons,
            policyVersion: suggestion.policyVersion,
            chosenOutcome: p.outcome,
            amount,
            currency,
            isOverride,
            overrideReason: isOverride ? (p.reason ?? null) : null,
            accountAction,
            approvalReason: needsApproval ? approvalReasons.join(',') : null,
            reply,
            decidedBy: actor.id,
            state: needsApproval ? 'awaiting_approval' : 'executed',
            idempotencyKey: p.idempotencyKey,
            requestHash,
            createdAt: now,
            decidedAt: needsApproval ? null : now,
          })
          .onConflictDoNothing({ target: decisions.idempotencyKey })
          .returning();
        if (!row) {
          // The key was taken meanwhile by a request on another ticket (ours is locked).
          const other = await replayOf(tx, p.idempotencyKey, requestHash, actor.id);
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

        await record(tx, {
          actor: auditActor(actor),
          action: 'decision.proposed',
          entityType: 'decision',
          entityId: row.id,
          before: { ticketId: ticket.id, ticketStatus: ticket.status },
          after: {
            ticketId: ticket.id,
            state: row.state,
            outcome: row.chosenOutcome,
            amount,
            currency,
            accountAction,
            isOverride,
            approvalReasons,
            approvalNeeded: needsApproval ? approvalReasons.map((r) => approvalReasonLabels(params.approvalThreshold)[r]) : [],
            suggestion: {
              outcome: suggestion.outcome,
              amount: suggestion.amount,
              currency: suggestion.currency,
              policyVersion: suggestion.policyVersion,
            },
            reply,
          },
          reason: row.overrideReason,
          origin: ctx.origin,
        });
        if (effects) await recordExecution(tx, ctx, actor, row, ticket.customerId, effects);
        await options.hooks?.beforeCommit?.(tx);

        return {
          decision: {
            id: row.id,
            ticketId: row.ticketId,
            state: row.state,
            outcome: p.outcome,
            amount,
            currency,
            accountAction,
            isOverride,
            overrideReason: row.overrideReason,
            approvalReasons,
            reply,
            suggestedOutcome: suggestion.outcome,
            suggestedReasons: suggestion.reasons,
            policyVersion: suggestion.policyVersion,
            proposedBy: { id: actor.id, name: actor.name },
            reviewedBy: null,
            reviewReason: null,
            createdAt: row.createdAt,
            decidedAt: row.decidedAt,
          },
          replayed: false,
        };
      }),
    );
  } catch (error) {
    throw mapWriteError(error, p.ticketId);
  }
}

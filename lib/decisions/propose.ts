/**
 * Proposing a decision on a ticket: held to the proposal rules (`proposal-rules.ts`) against the
 * policy suggestion, executed at once when it needs nobody else, otherwise left waiting for a
 * supervisor. One command (`lib/command`), the ticket's row locked first; idempotent by the
 * request's Idempotency-Key.
 */
import { eq, sql } from 'drizzle-orm';
import { builtOnce, queryRows, type Tx } from '@/db';
import { decisions, tickets } from '@/db/schema';
import { auditActor, type StaffActor, type Ctx } from '@/lib/auth/actor';
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
import {
  creditReasonCode,
  executeDecision,
  executionAuditRows,
  type DecisionRow,
  type ExecuteHooks,
  type ExecutionEffects,
} from './execute';
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
import { decisionConflict, isCancelStep, lockTicketAs, readAfterLock } from './ticket';
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

type Id = string | number;
type NewDecision = typeof decisions.$inferInsert & Omit<DecisionRow, 'id' | 'approvedBy' | 'reviewReason'>;

/** `insertDecision`'s statement: the decision, and its ledger row when `creditCustomerId` is given; its text built once. */
const insertDecisionWithCredit = builtOnce<{ id: Id; amount: string | null; ledgerEntryId: Id | null }>(() => {
  const v = (name: string) => sql.placeholder(name);
  return sql`with d as (
      insert into decisions (ticket_id, suggested_outcome, suggested_reasons, policy_version, params_version, chosen_outcome, amount,
        currency, is_override, override_reason, account_action, approval_reason, reply, decided_by, state, idempotency_key,
        request_hash, created_at, decided_at)
      values (${v('ticketId')}, ${v('suggestedOutcome')}, ${v('suggestedReasons')}::jsonb, ${v('policyVersion')}, ${v('paramsVersion')},
        ${v('chosenOutcome')}, ${v('amount')}, ${v('currency')}, ${v('isOverride')}, ${v('overrideReason')}, ${v('accountAction')},
        ${v('approvalReason')}, ${v('reply')}, ${v('decidedBy')}, ${v('state')}, ${v('idempotencyKey')}, ${v('requestHash')},
        ${v('createdAt')}::timestamptz, ${v('decidedAt')}::timestamptz)
      on conflict (idempotency_key) do nothing
      returning id, ticket_id, amount, currency, idempotency_key, decided_by, created_at
    ), l as (
      insert into ledger_entries (customer_id, amount, currency, kind, ticket_id, decision_id, reason_code, note, idempotency_key,
        created_by, created_at)
      select ${v('creditCustomerId')}::bigint, d.amount, d.currency, 'decision_credit', d.ticket_id, d.id, ${v('creditReasonCode')}::text,
        'Decision ' || d.id || ' on T-' || d.ticket_id, d.idempotency_key, d.decided_by, d.created_at
      from d where ${v('creditCustomerId')}::bigint is not null
      returning id
    )
    select d.id, d.amount::text as amount, (select id from l) as "ledgerEntryId" from d`;
});

/**
 * Inserts the decision (nothing when its idempotency key is already taken: no row) and, for a
 * balance credit executed at once (`credit`), its ledger row as `executeDecision` would append it
 * (`creditLedgerEntry`): one statement, returning only the ids and the stored amount.
 */
async function insertDecision(
  tx: Tx,
  values: NewDecision,
  credit: { customerId: number; isOverride: boolean; suggestion: Decision } | null,
): Promise<{ row: DecisionRow | null; ledgerEntryId: number | null }> {
  const [inserted] = await insertDecisionWithCredit(tx, {
    ...values,
    suggestedReasons: JSON.stringify(values.suggestedReasons),
    createdAt: values.createdAt.toISOString(),
    decidedAt: values.decidedAt?.toISOString() ?? null,
    creditCustomerId: credit?.customerId ?? null,
    creditReasonCode: credit ? creditReasonCode(credit.isOverride, credit.suggestion.reasons) : null,
  });
  if (!inserted) return { row: null, ledgerEntryId: null };
  return {
    row: { ...values, id: Number(inserted.id), amount: inserted.amount, approvedBy: null, reviewReason: null },
    ledgerEntryId: inserted.ledgerEntryId == null ? null : Number(inserted.ledgerEntryId),
  };
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
      // The actor's check, and the ticket's row lock: it serialises every proposal and review on this ticket.
      const { actor, ticket } = await lockTicketAs(tx, ctx, 'tickets.work', p.ticketId);
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
      const values: NewDecision = {
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
      };
      // Executed at once as a balance credit: its ledger row goes in with it.
      const credit =
        values.state === 'executed' && p.outcome === 'balance_credit' ? { customerId: ticket.customerId, isOverride, suggestion } : null;
      const { row, ledgerEntryId } = await insertDecision(tx, values, credit);
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
        effects = await executeDecision(tx, { decision: row, ticket, executor: actor, now, ledgerEntryId }, options.hooks);
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

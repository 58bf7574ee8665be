import type { DecisionContext } from '@/lib/decisions';
import { getClause } from '@/lib/policy';
import { DecisionForm, type ProposeDecisionAction } from './decision-form';
import { DecisionHistory } from './decision-history';
import { WithdrawCancelForm, type WithdrawCancelAction } from './withdraw-cancel';

const VERIFY_LABEL: Record<string, string> = {
  linkValid: 'link valid',
  targetPublic: 'target public',
  targetUnchanged: 'target unchanged',
  duplicateOrderSameTarget: 'duplicate order on the same target',
  otherProvidersUsed: 'other providers used',
  platformAction: 'platform action',
  companyFault: 'company or provider fault',
  processorAllowsRefund: 'processor allows refund',
};

/**
 * The decision bar and the ticket's decision history, from the context the page loaded
 * (`getDecisionContext`) and the page's propose action.
 */
export function DecisionPanel({
  ticketId,
  context,
  action,
  withdrawAction,
}: {
  ticketId: number;
  context: DecisionContext;
  action: ProposeDecisionAction;
  /** Withdraws a cancel that never reached the panel (shown to supervisors and admins when one is stuck). */
  withdrawAction?: WithdrawCancelAction;
}) {
  const { suggestion } = context;
  const reasons = (suggestion?.reasons ?? []).map((r) => ({ code: r.code, summary: r.summary, clauseTitle: getClause(r.clause).title }));
  const notDecidableNote = !suggestion
    ? 'There is no policy suggestion for this ticket yet, so any decision is an override and needs a written reason and a supervisor.'
    : context.suggestedOutcome === null
      ? `The policy cannot decide yet: verify ${suggestion.toVerify.map((v) => VERIFY_LABEL[v] ?? v).join(', ') || 'the facts'} and save the findings first. Deciding now is an override: it needs a written reason and a supervisor.`
      : null;
  return (
    <div
      className="space-y-5"
      data-testid="decision-panel"
      data-ticket-id={ticketId}
      data-suggested-outcome={context.suggestedOutcome ?? ''}
    >
      <DecisionForm
        ticketId={ticketId}
        blockedReason={context.blockedReason}
        suggested={context.suggested}
        suggestedOutcome={context.suggestedOutcome}
        notDecidableNote={notDecidableNote}
        reasons={reasons}
        credit={context.credit}
        threshold={context.approvalThreshold}
        dailyCredit={context.dailyCredit}
        decidesEscalated={context.decidesEscalated}
        drafts={context.drafts}
        unavailable={context.unavailable}
        action={action}
      />
      {context.stuckCancel?.canWithdraw && withdrawAction ? (
        <WithdrawCancelForm decisionId={context.stuckCancel.decisionId} action={withdrawAction} />
      ) : null}
      <div>
        <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-slate-600 uppercase">Decision history</h3>
        <DecisionHistory decisions={context.history} threshold={context.approvalThreshold} />
      </div>
    </div>
  );
}

import { Badge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import type { DecisionView } from '@/lib/decisions';
import { ACCOUNT_ACTION_LABEL, DECISION_STATE_LABEL, OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import { approvalReasonLabels, PANEL_REFUSAL_PREFIX } from '@/lib/validation/decisions';
import { DECISION_STATE_TONE } from './labels';

/** A ticket's decisions, newest first: what was chosen, by whom, who approved or rejected it and why. */
export function DecisionHistory({ decisions, threshold }: { decisions: DecisionView[]; threshold: string }) {
  const reasonLabels = approvalReasonLabels(threshold);
  if (decisions.length === 0) {
    return (
      <p className="text-slate-600" data-testid="decision-history" data-count="0">
        No decisions on this ticket yet.
      </p>
    );
  }
  const newestFirst = [...decisions].reverse();
  return (
    <ol
      className="space-y-2"
      aria-label="Decisions on this ticket, newest first"
      data-testid="decision-history"
      data-count={decisions.length}
    >
      {newestFirst.map((d) => (
        <li
          key={d.id}
          className="rounded-md border border-slate-200 px-3 py-2"
          data-testid="decision-entry"
          data-decision-id={d.id}
          data-state={d.state}
          data-outcome={d.outcome}
        >
          <div className="flex flex-wrap items-center gap-1.5">
            <Badge tone={DECISION_STATE_TONE[d.state]}>{DECISION_STATE_LABEL[d.state] ?? d.state}</Badge>
            <span className="font-medium text-slate-900">{OUTCOME_LABEL[d.outcome] ?? d.outcome}</span>
            {d.amount ? <span className="font-semibold tabular-nums">{formatMoney(d.amount, d.currency)}</span> : null}
            {d.isOverride ? <Badge tone="accent">Override</Badge> : null}
            {d.accountAction !== 'none' ? (
              <Badge tone={d.accountAction === 'suspend' ? 'danger' : 'warning'}>{ACCOUNT_ACTION_LABEL[d.accountAction]}</Badge>
            ) : null}
            <span className="ml-auto text-xs text-slate-600">#{d.id}</span>
          </div>
          <dl className="mt-1 space-y-0.5 text-xs text-slate-700">
            <div>
              <dt className="inline font-medium">Proposed by </dt>
              <dd className="inline">
                {d.proposedBy.name}, <Time value={d.createdAt} />
              </dd>
            </div>
            <div data-testid="decision-params-version">
              <dt className="inline font-medium">Suggested under </dt>
              <dd className="inline">
                policy {d.policyVersion}, parameters v{d.paramsVersion}
              </dd>
            </div>
            {d.isOverride && d.overrideReason ? (
              <div>
                <dt className="inline font-medium">Override reason: </dt>
                <dd className="inline">{d.overrideReason}</dd>
              </div>
            ) : null}
            {d.approvalReasons.length ? (
              <div>
                <dt className="inline font-medium">
                  {d.state === 'awaiting_approval' ? 'Waits for a supervisor because ' : 'Needed approval because '}
                </dt>
                <dd className="inline">{d.approvalReasons.map((r) => reasonLabels[r]).join(' and ')}.</dd>
              </div>
            ) : null}
            {d.reviewedBy && d.state === 'executed' ? (
              <div data-testid="decision-approved-by">
                <dt className="inline font-medium">Approved by </dt>
                <dd className="inline">
                  {d.reviewedBy.name}
                  {d.decidedAt ? (
                    <>
                      , <Time value={d.decidedAt} />
                    </>
                  ) : null}
                  {d.reviewReason ? `: ${d.reviewReason}` : ''}
                </dd>
              </div>
            ) : null}
            {d.state === 'awaiting_panel' ? (
              <div data-testid="decision-awaiting-panel">
                <dt className="sr-only">Panel</dt>
                <dd>Sent to the panel; its answer settles it. Nothing credited and no reply sent until then.</dd>
              </div>
            ) : null}
            {d.state === 'rejected' && d.reviewReason?.startsWith(PANEL_REFUSAL_PREFIX) ? (
              <div data-testid="decision-rejected-by" className="text-red-800">
                <dt className="inline font-medium">Refused by the panel: </dt>
                <dd className="inline">
                  <span data-testid="decision-reject-reason">{d.reviewReason}</span>. Nothing was credited and the customer was not told.
                </dd>
              </div>
            ) : null}
            {d.state === 'rejected' && !d.reviewReason?.startsWith(PANEL_REFUSAL_PREFIX) ? (
              <div data-testid="decision-rejected-by" className="text-red-800">
                <dt className="inline font-medium">Rejected by </dt>
                <dd className="inline">
                  {d.reviewedBy?.name ?? 'a supervisor'}
                  {d.decidedAt ? (
                    <>
                      , <Time value={d.decidedAt} />
                    </>
                  ) : null}
                  : <span data-testid="decision-reject-reason">{d.reviewReason}</span>
                </dd>
              </div>
            ) : null}
            {d.state === 'executed' && !d.reviewedBy ? (
              <div>
                <dt className="sr-only">Approval</dt>
                <dd>Executed at once; it needed no approval.</dd>
              </div>
            ) : null}
          </dl>
          {d.reply ? (
            <details className="mt-1 text-xs">
              <summary className="cursor-pointer font-medium text-indigo-700 hover:underline">
                Reply {d.state === 'executed' ? 'sent' : 'to send'}
              </summary>
              <p className="mt-1 whitespace-pre-wrap text-slate-700">{d.reply}</p>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

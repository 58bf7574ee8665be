import { Badge } from '@/components/ui/badge';
import { OUTCOME_TONE } from '@/components/tickets/labels';
import { OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import { getClause, type Decision, type MissingInfo } from '@/lib/policy';
import { FINDING_LABELS } from '@/lib/validation/tickets';

const FACT_LABELS: Record<string, string> = { ...FINDING_LABELS, processorAllowsRefund: 'Processor allows refund' };

const MISSING_LABEL: Record<MissingInfo, string> = {
  order_number: 'Order number',
  target_link: 'Target link exactly as submitted',
  explanation: 'Explanation',
  evidence: 'Evidence (a screenshot or other file)',
  payment_reference: 'Payment reference',
};

const factLabel = (name: string) => FACT_LABELS[name] ?? name;

/**
 * An alternative's condition in words: "companyFault is true and targetPublic is false" →
 * "Company or provider fault is yes and Target public is no". Unknown shapes come back as they are.
 */
export function describeCondition(condition: string): string {
  return condition
    .split(' and ')
    .map((part) => {
      const match = /^(\w+) is (true|false|null)$/.exec(part.trim());
      if (!match) return part;
      const [, name, value] = match;
      return `${factLabel(name!)} is ${value === 'true' ? 'yes' : value === 'false' ? 'no' : 'unknown'}`;
    })
    .join(' and ');
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</h3>
      {children}
    </div>
  );
}

/** The stored policy suggestion: outcome, amount, approvals, reasons with their clauses, what is missing or to verify, and what would change it. */
export function SuggestionPanel({ suggestion, isUnreadable }: { suggestion: Decision | null; isUnreadable: boolean }) {
  if (!suggestion) {
    return (
      <div className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center" data-testid="suggestion" data-outcome="">
        <p className="font-medium text-slate-800">No suggestion yet</p>
        <p className="mt-1 text-slate-600">
          {isUnreadable
            ? 'The stored suggestion was written by another policy version and cannot be read. Saving the findings runs the check again.'
            : 'The policy check runs when the ticket’s facts come in or findings are saved.'}
        </p>
      </div>
    );
  }
  const { outcome, reasons } = suggestion;
  return (
    <div className="space-y-4" data-testid="suggestion" data-outcome={outcome} data-reason-codes={reasons.map((r) => r.code).join(' ')}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-base">
          <Badge tone={OUTCOME_TONE[outcome]}>{OUTCOME_LABEL[outcome] ?? outcome}</Badge>
        </span>
        {suggestion.amount ? (
          <span className="text-base font-semibold tabular-nums">{formatMoney(suggestion.amount, suggestion.currency)}</span>
        ) : null}
        {suggestion.requiresApproval === 'supervisor' ? (
          <Badge tone="warning">Needs supervisor approval</Badge>
        ) : (
          <Badge>No approval needed</Badge>
        )}
        {suggestion.accountAction === 'suspend' ? (
          <Badge tone="danger">Suspend the account</Badge>
        ) : suggestion.accountAction === 'review' ? (
          <Badge tone="warning">Review the account</Badge>
        ) : null}
      </div>

      <Section title="Reasons">
        <ol className="space-y-2" aria-label="Reasons, deciding reason first">
          {reasons.map((reason, i) => {
            const clause = getClause(reason.clause);
            return (
              <li
                key={`${reason.code}-${i}`}
                className={`rounded-md border px-3 py-2 ${i === 0 ? 'border-slate-300 bg-slate-50' : 'border-slate-200'}`}
              >
                <p className="text-slate-900">
                  <code className="mr-1.5 rounded bg-white px-1 font-mono text-xs text-slate-700 ring-1 ring-slate-200">{reason.code}</code>
                  {reason.summary}
                </p>
                <details className="group mt-1">
                  <summary className="cursor-pointer text-xs font-medium text-indigo-700 hover:underline">
                    Policy: {clause.title}
                    <span className="text-slate-600 group-open:hidden"> · show the clause</span>
                  </summary>
                  <blockquote className="mt-1 border-l-2 border-indigo-200 pl-2 text-xs leading-5 text-slate-700">{clause.text}</blockquote>
                </details>
              </li>
            );
          })}
        </ol>
      </Section>

      {suggestion.missingInfo.length ? (
        <Section title="Missing information">
          <ul className="list-disc space-y-0.5 pl-5">
            {suggestion.missingInfo.map((m) => (
              <li key={m}>{MISSING_LABEL[m] ?? m}</li>
            ))}
          </ul>
        </Section>
      ) : null}

      {suggestion.toVerify.length ? (
        <Section title="To verify">
          <ul className="flex flex-wrap gap-1.5">
            {suggestion.toVerify.map((v) => (
              <li key={v}>
                <Badge tone="info">{factLabel(v)}</Badge>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {suggestion.alternatives.length ? (
        <Section title="Would change with">
          <ul className="space-y-0.5">
            {suggestion.alternatives.map((alt) => (
              <li key={`${alt.if}-${alt.outcome}`} className="flex flex-wrap items-center gap-1.5">
                <span className="text-slate-700">If {describeCondition(alt.if)}</span>
                <span aria-hidden="true" className="text-slate-500">
                  →
                </span>
                <span className="sr-only">then</span>
                <Badge tone={OUTCOME_TONE[alt.outcome]}>{OUTCOME_LABEL[alt.outcome] ?? alt.outcome}</Badge>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

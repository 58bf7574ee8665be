import { CustomerFlags } from '@/components/customers/customer-flags';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { OUTCOME_TONE } from '@/components/tickets/labels';
import { Badge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import type { PendingApproval } from '@/lib/decisions';
import { ACCOUNT_ACTION_LABEL, CLAIM_LABEL, labelOf, OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney, subtractMoney } from '@/lib/money';
import { getClause, type ClauseId, type Outcome } from '@/lib/policy';
import { approvalReasonLabels } from '@/lib/validation/decisions';
import { FINDING_LABELS, FINDING_NAMES } from '@/lib/validation/tickets';
import { ApprovalActions } from './approval-actions';

function Column({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="min-w-0 space-y-1.5" data-testid={testId}>
      <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

const CREDIT_KIND_LABEL = {
  decision_credit: 'Ticket credit',
  manual_credit: 'Manual credit',
  reversal: 'Reversal',
  cash_refund: 'Cash refund',
} as const;

const yesNo = (value: boolean | null) => (value === null ? 'not checked' : value ? 'yes' : 'no');

/** The facts beyond the ticket's row: findings, the panel's refunds and cancels, earlier credits, the room left. */
function MoneyFacts({ item }: { item: PendingApproval }) {
  const { findings, refundEvents, earlierCredits, room, order } = item;
  return (
    <div className="grid gap-4 border-t border-slate-100 px-4 py-3 text-[13px] lg:grid-cols-4">
      <Column title="Findings" testId="approval-findings">
        {findings ? (
          <dl className="space-y-0.5">
            {FINDING_NAMES.map((name) => (
              <div key={name} className="flex gap-2">
                <dt className="min-w-0 flex-1 text-slate-600">{FINDING_LABELS[name]}</dt>
                <dd className={findings[name] === null ? 'text-slate-500' : 'font-medium text-slate-900'}>{yesNo(findings[name])}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-slate-600">No findings recorded.</p>
        )}
      </Column>
      <Column title="Panel refunds and cancels" testId="approval-refund-events">
        {!order ? (
          <p className="text-slate-600">No order.</p>
        ) : refundEvents.length ? (
          <ul className="space-y-0.5">
            {refundEvents.map((e) => (
              <li key={e.id} data-testid="approval-refund-event" data-kind={e.kind}>
                <Time value={e.at} /> · {e.kind.replace('_', ' ')}
                {e.status ? ` · ${e.status}` : ''}
                {e.refunded ? (
                  <span className="font-semibold text-slate-900"> · refunded {formatMoney(e.refunded, order.currency)}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-600">The panel has refunded nothing for order {order.externalId}.</p>
        )}
      </Column>
      <Column title="Earlier credits to this customer" testId="approval-earlier-credits">
        {earlierCredits.length ? (
          <ul className="space-y-0.5">
            {earlierCredits.map((c, i) => (
              <li key={i} data-same-order={c.isSameOrder ? '' : undefined}>
                <span className="tabular-nums">{formatMoney(c.amount, c.currency)}</span> · {CREDIT_KIND_LABEL[c.kind]}
                {c.ticketId ? ` · T-${c.ticketId}` : ''} · <Time value={c.at} />
                {c.isSameOrder ? (
                  <>
                    {' '}
                    <Badge tone="warning">same order</Badge>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-600">None.</p>
        )}
      </Column>
      <Column title="Left to pay" testId="approval-room">
        {room ? (
          <dl className="space-y-0.5">
            <Fact label={room.kind === 'order' ? 'Charge' : 'Payment'}>{formatMoney(room.total, room.currency)}</Fact>
            {room.kind === 'order' ? <Fact label="Panel refunded">{formatMoney(room.panelRefunded, room.currency)}</Fact> : null}
            <Fact label="Paid by desk">{formatMoney(subtractMoney(room.alreadyPaid, room.panelRefunded), room.currency)}</Fact>
            <Fact label="Remaining">
              <span className="font-semibold" data-testid="approval-room-remaining">
                {formatMoney(room.remaining, room.currency)}
              </span>
            </Fact>
          </dl>
        ) : (
          <p className="text-slate-600">Nothing to pay against.</p>
        )}
      </Column>
    </div>
  );
}

/** One decision waiting for approval: the facts, the suggestion and the proposal side by side, then the verdict. */
export function ApprovalCard({ item, isOwn, threshold }: { item: PendingApproval; isOwn: boolean; threshold: string }) {
  const { decision, ticket, customer, order, payment, suggestion } = item;
  const headingId = `approval-${decision.id}-heading`;
  const title = `T-${ticket.id}: ${OUTCOME_LABEL[decision.outcome]}${decision.amount ? ` ${formatMoney(decision.amount, decision.currency)}` : ''}`;
  return (
    <li>
      <article
        aria-labelledby={headingId}
        className="rounded-lg border border-slate-200 bg-white shadow-xs"
        data-testid="approval"
        data-decision-id={decision.id}
        data-ticket-id={ticket.id}
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
          <h2 id={headingId}>
            <Link href={`/tickets/${ticket.id}`} className="text-indigo-700 hover:underline">
              {title}
            </Link>
          </h2>
          <p className="text-xs text-slate-600">
            Waiting since <Time value={decision.createdAt} /> · needs approval because{' '}
            {decision.approvalReasons.map((r) => approvalReasonLabels(threshold)[r]).join(' and ')}
          </p>
        </div>
        <div className="grid gap-4 px-4 py-3 text-[13px] lg:grid-cols-3">
          <Column title="Facts" testId="approval-facts">
            <dl className="space-y-0.5">
              <Fact label="Ticket">
                T-{ticket.id} · {CLAIM_LABEL[ticket.claim] ?? ticket.claim}, opened <Time value={ticket.openedAt} />
              </Fact>
              <Fact label="Customer">
                {customer.username} <span className="text-slate-600">({customer.email})</span> <CustomerFlags customer={customer} />
              </Fact>
              <Fact label="Balance">
                {customer.balances.length
                  ? customer.balances.map((b) => formatMoney(b.amount, b.currency)).join(', ')
                  : formatMoney('0', null)}
              </Fact>
              <Fact label="Order">
                {order ? (
                  <>
                    {order.externalId} · {order.serviceName} · {order.status}, {(order.delivered ?? 0).toLocaleString('en')} of{' '}
                    {(order.quantity ?? 0).toLocaleString('en')} delivered · {formatMoney(order.charge, order.currency)}
                  </>
                ) : (
                  <span className="text-slate-600">none</span>
                )}
              </Fact>
              <Fact label="Payment">
                {payment ? (
                  <>
                    {payment.externalId} · {payment.method} · {formatMoney(payment.amount, payment.currency)}, paid{' '}
                    <Time value={payment.paidAt} />
                    {payment.isDuplicate ? ' · duplicate' : ''}
                    {payment.isOvercharged ? ' · overcharged' : ''}
                    {payment.isCredited ? ' · credited' : ' · not credited'}
                  </>
                ) : (
                  <span className="text-slate-600">none</span>
                )}
              </Fact>
              {ticket.explanation ? (
                <Fact label="Customer says">
                  <span className="line-clamp-3">{ticket.explanation}</span>
                </Fact>
              ) : null}
            </dl>
          </Column>
          <Column title="Suggestion" testId="approval-suggestion">
            <p className="flex flex-wrap items-center gap-1.5">
              <Badge tone={OUTCOME_TONE[suggestion.outcome as Outcome] ?? 'neutral'}>{labelOf(OUTCOME_LABEL, suggestion.outcome)}</Badge>
              {suggestion.amount ? (
                <span className="font-semibold tabular-nums">{formatMoney(suggestion.amount, suggestion.currency)}</span>
              ) : null}
              <span className="text-xs text-slate-600" data-testid="approval-params-version">
                policy {suggestion.policyVersion}, parameters v{suggestion.paramsVersion}
              </span>
            </p>
            <ul className="space-y-1">
              {suggestion.reasons.map((r, i) => (
                <li key={`${r.code}-${i}`}>
                  <code className="mr-1 rounded bg-slate-50 px-1 font-mono text-xs ring-1 ring-slate-200">{r.code}</code>
                  {r.summary} <span className="text-xs text-slate-600">(policy: {getClause(r.clause as ClauseId).title})</span>
                </li>
              ))}
            </ul>
          </Column>
          <Column title="Proposal" testId="approval-proposal">
            <p className="flex flex-wrap items-center gap-1.5">
              <span className="font-medium">{OUTCOME_LABEL[decision.outcome]}</span>
              {decision.amount ? (
                <span className="font-semibold tabular-nums">{formatMoney(decision.amount, decision.currency)}</span>
              ) : null}
              {decision.isOverride ? <Badge tone="accent">Override</Badge> : null}
              {decision.accountAction !== 'none' ? (
                <Badge tone={decision.accountAction === 'suspend' ? 'danger' : 'warning'}>
                  {ACCOUNT_ACTION_LABEL[decision.accountAction]}
                </Badge>
              ) : null}
            </p>
            {decision.overrideReason ? (
              <p>
                <span className="text-slate-600">Override reason: </span>
                {decision.overrideReason}
              </p>
            ) : null}
            <p className="text-xs text-slate-600">
              Proposed by {decision.proposedBy.name}, <Time value={decision.createdAt} />
            </p>
            {decision.reply ? (
              <details className="text-xs">
                <summary className="cursor-pointer font-medium text-indigo-700 hover:underline">Reply to send</summary>
                <p className="mt-1 whitespace-pre-wrap text-slate-700">{decision.reply}</p>
              </details>
            ) : null}
          </Column>
        </div>
        <MoneyFacts item={item} />
        <div className="border-t border-slate-100 px-4 py-3">
          <ApprovalActions decisionId={decision.id} ticketId={ticket.id} isOwn={isOwn} />
        </div>
      </article>
    </li>
  );
}

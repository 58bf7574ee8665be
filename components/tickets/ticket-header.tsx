import { CustomerFlags } from '@/components/customers/customer-flags';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { formatUtc, formatUtcMinutes, relativeToNow } from '@/lib/dates';
import { slaState, waitingFor } from '@/lib/tickets/sla';
import { OUTCOME_TONE } from '@/components/tickets/labels';
import { CLAIM_LABEL, OUTCOME_LABEL, REMEDY_LABEL, TICKET_STATUS_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import type { TicketDetail } from '@/lib/tickets/detail';

const STATUS_TONE: Record<string, 'neutral' | 'info' | 'warning' | 'success' | 'accent'> = {
  open: 'info',
  waiting_customer: 'neutral',
  awaiting_approval: 'warning',
  escalated: 'warning',
  resolved: 'success',
};

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="truncate font-medium text-slate-900 tabular-nums">{children}</dd>
    </div>
  );
}

/** The policy's claim window: whether the customer filed in time (not how urgent the ticket is). */
function Filed({ deadline, openedAt }: { deadline: Date | null; openedAt: Date }) {
  if (!deadline) return <span className="font-normal text-slate-600">No claim window</span>;
  const isLate = openedAt > deadline;
  return (
    <span data-testid="filed" data-late={isLate ? '' : undefined} title={`Claim window until ${formatUtc(deadline)}`}>
      <span className={isLate ? 'text-red-700' : undefined}>{isLate ? 'Filed late' : 'Filed in time'}</span>
      <span className="block text-xs font-normal text-slate-600">
        window {isLate ? 'closed' : 'until'} {formatUtcMinutes(deadline)}
      </span>
    </span>
  );
}

/** The team's own service level: first reply, then resolution (lib/tickets/sla.ts). */
function ServiceLevel({ ticket, now }: { ticket: TicketDetail['ticket']; now: Date }) {
  const sla = slaState(ticket, now);
  const isBreached = 'isBreached' in sla && sla.isBreached;
  const isSoon = 'isBreachingSoon' in sla && sla.isBreachingSoon;
  return (
    <span data-testid="sla" data-sla={sla.kind} data-breached={isBreached ? '' : undefined}>
      <span
        className={
          isBreached ? 'text-red-700' : isSoon ? 'text-amber-800' : sla.kind === 'paused' ? 'font-normal text-slate-600' : undefined
        }
        title={'dueAt' in sla ? `Due ${formatUtc(sla.dueAt)}` : undefined}
      >
        {sla.label}
      </span>
      <span className="block text-xs font-normal whitespace-normal text-slate-600">
        {ticket.firstRespondedAt ? `first reply ${relativeToNow(ticket.firstRespondedAt, now)}` : 'no reply yet'}
        {ticket.status !== 'resolved' ? ` · ${waitingFor(ticket.openedAt, now)}` : ''}
      </span>
    </span>
  );
}

/**
 * The top of the ticket page: who, what, how urgent. `actions` is the slot for Claim / presence
 * (the queue's components), kept at the top right on every width.
 */
export function TicketHeader({ detail, now, actions }: { detail: TicketDetail; now: Date; actions?: ReactNode }) {
  const { ticket, customer, assignee } = detail;
  const ticketFlags = [
    ticket.isMandatoryLawClaimed && 'Invokes a statutory right',
    ticket.isChargebackThreatened && 'Threatens a chargeback',
    ticket.isResellerDownstreamDispute && 'Reseller passing on its customer’s dispute',
  ].filter((f): f is string => Boolean(f));

  return (
    <div className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs" data-testid="ticket-header">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <Link href="/tickets" className="text-xs font-medium text-indigo-700 hover:underline">
            ← Tickets
          </Link>
          <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1">
            <h1 className="font-mono">T-{ticket.id}</h1>
            <span className="text-lg font-semibold text-slate-700">{CLAIM_LABEL[ticket.claim] ?? ticket.claim}</span>
            <Badge tone={STATUS_TONE[ticket.status] ?? 'neutral'}>{TICKET_STATUS_LABEL[ticket.status] ?? ticket.status}</Badge>
            {ticket.suggestedOutcome ? (
              <span className="text-xs text-slate-600">
                Suggested <Badge tone={OUTCOME_TONE[ticket.suggestedOutcome]}>{OUTCOME_LABEL[ticket.suggestedOutcome]}</Badge>
              </span>
            ) : null}
            {ticketFlags.map((f) => (
              <Badge key={f} tone="warning">
                {f}
              </Badge>
            ))}
          </div>
        </div>
        {/* Slot for the queue's Claim button and presence (who else has this ticket open). */}
        <div className="flex min-h-8 items-center gap-2 empty:hidden" data-slot="ticket-header-actions">
          {actions}
        </div>
      </div>

      <dl className="mt-3 grid grid-cols-2 gap-x-5 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
        <Item label="Customer">
          <span title={`${customer.username} · ${customer.email}`}>{customer.username}</span>
          <span className="block truncate text-xs font-normal text-slate-600">{customer.email}</span>
        </Item>
        <Item label="Credited by this desk">
          <span data-testid="desk-credits">
            {customer.balances.length === 0
              ? formatMoney('0', null)
              : customer.balances.map((b) => (
                  <span key={b.currency} className={`block ${b.amount.startsWith('-') ? 'text-red-700' : ''}`}>
                    {formatMoney(b.amount, b.currency)}
                  </span>
                ))}
          </span>
          <span className="block text-xs font-normal whitespace-normal text-slate-600">
            net of reversals; the panel has not reported its balance
          </span>
        </Item>
        <Item label="Account">
          <CustomerFlags customer={customer} empty={<span className="font-normal text-slate-600">No flags</span>} />
        </Item>
        <Item label={`Refund requests, ${customer.refundRequestWindowDays} d`}>
          <span
            className={
              customer.refundRequests90d >= customer.serialRefundRequests
                ? 'text-red-700'
                : customer.refundRequests90d >= customer.serialRefundRequests - 2
                  ? 'text-amber-800'
                  : undefined
            }
          >
            {customer.refundRequests90d}
          </span>
          <span className="block text-xs font-normal text-slate-600">before this ticket</span>
        </Item>
        <Item label="Requested">
          {ticket.requestedRemedy ? (
            REMEDY_LABEL[ticket.requestedRemedy]
          ) : (
            <span className="font-normal text-slate-600">Nothing stated</span>
          )}
        </Item>
        <Item label="Claim window (policy)">
          <Filed deadline={ticket.eligibilityDeadline} openedAt={ticket.openedAt} />
        </Item>
        <Item label="Service level">
          <ServiceLevel ticket={ticket} now={now} />
        </Item>
        <Item label="Assignee">{assignee ? assignee.name : <span className="font-normal text-slate-600">Unassigned</span>}</Item>
        <Item label="Opened">
          <time dateTime={ticket.openedAt.toISOString()} title={formatUtc(ticket.openedAt)}>
            {relativeToNow(ticket.openedAt, now)}
          </time>
        </Item>
        <Item label="Order number given">
          {ticket.orderNumberGiven ? (
            <span className="font-mono text-xs">{ticket.orderNumberGiven}</span>
          ) : (
            <span className="font-normal text-slate-600">None</span>
          )}
        </Item>
        {ticket.externalId ? (
          <Item label="Panel ticket">
            <span className="font-mono text-xs">{ticket.externalId}</span>
          </Item>
        ) : null}
      </dl>

      <div className="mt-3 border-t border-slate-100 pt-2">
        <h2 className="sr-only">The customer’s explanation</h2>
        {ticket.explanation ? (
          <blockquote className="border-l-2 border-slate-300 pl-3 text-[13px] leading-5 whitespace-pre-wrap text-slate-800">
            {ticket.explanation}
          </blockquote>
        ) : (
          <p className="text-[13px] text-slate-600">The customer gave no explanation.</p>
        )}
      </div>
    </div>
  );
}

'use client';

import Link, { useLinkStatus } from 'next/link';
import { Viewers } from '@/components/live/live-provider';
import { Badge } from '@/components/ui/badge';
import { Table, Th } from '@/components/ui/table';
import { CLAIM_LABEL, OUTCOME_LABEL, TICKET_STATUS_LABEL } from '@/lib/labels';
import { ClaimButton, ReassignControl, type AssignTicketAction, type ClaimTicketAction } from './claim-buttons';
import { OUTCOME_TONE } from './labels';
import { unpackQueueRow, type PackedQueueRow } from './queue-row';

const NONE = <span className="text-slate-400">—</span>;

/** Beside a ticket's link while its page loads (the ticket page has no skeleton); shown only when that takes a moment. */
function Opening() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span className="link-pending ml-1.5 inline-block font-sans text-xs font-normal text-slate-500" role="status">
      opening…
    </span>
  ) : null;
}

/**
 * The queue's rows. A client component so that the page sends each row's values once (the markup
 * is rendered from them here) rather than each row's element tree beside its HTML; cell styling is
 * set once on the table (`.queue-table` in app/globals.css), not on every cell. Those styles pick
 * cells by position (`td:nth-child(n)`): a column added or moved here is added or moved there too.
 */
export function QueueTable({
  rows,
  assignees,
  claimAction,
  assignAction,
}: {
  rows: PackedQueueRow[];
  /** Supervisors reassign from the queue; null for everyone else. */
  assignees: { id: number; name: string; role: string }[] | null;
  claimAction: ClaimTicketAction;
  assignAction: AssignTicketAction;
}) {
  return (
    <Table label="Tickets" isCardsOnPhone className="queue-table">
      <thead>
        <tr>
          <Th>Ticket</Th>
          <Th>Customer</Th>
          <Th>Claim</Th>
          <Th>Order</Th>
          <Th className="text-right">At stake</Th>
          <Th>Suggested</Th>
          <Th>Service level</Th>
          <Th>Status</Th>
          <Th>Assignee</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map(unpackQueueRow).map((t) => (
          <tr key={t.id} data-ticket-id={t.id}>
            <td>
              <Link href={`/tickets/${t.id}`}>
                {`T-${t.id}`}
                <Opening />
              </Link>
              <Viewers ticketId={t.id} className="ml-1.5 align-middle" />
            </td>
            <td>
              <div>{t.customer}</div>
              <div className="sub">{t.email}</div>
            </td>
            <td>
              <div>{CLAIM_LABEL[t.claim]}</div>
              <div
                className={t.isLate ? 'sub late' : 'sub'}
                title={t.claimWindowEnd ? `Claim window (policy): until ${t.claimWindowEnd}` : undefined}
                data-testid="filed"
              >
                {t.claimWindowEnd ? (t.isLate ? 'filed late' : 'filed in time') : 'no claim window'}
              </div>
            </td>
            <td>
              {t.orderNumber ? (
                <>
                  <div className="font-mono text-xs">
                    {`#${t.orderNumber} `}
                    <span className="sub font-sans">{`· ${t.orderStatus}`}</span>
                  </div>
                  <div className="sub" title={t.serviceName ?? undefined}>
                    {t.serviceName}
                  </div>
                </>
              ) : t.paymentMethod ? (
                <span className="text-xs text-slate-600">{`Payment · ${t.paymentMethod}`}</span>
              ) : (
                NONE
              )}
            </td>
            <td>{t.amount}</td>
            <td>{t.outcome ? <Badge tone={OUTCOME_TONE[t.outcome]}>{OUTCOME_LABEL[t.outcome]}</Badge> : NONE}</td>
            <td data-testid="sla" data-sla={t.slaKind} data-breached={t.slaTone === 'breached' ? '' : undefined}>
              <span className={t.slaTone} title={t.slaDue ? `Due ${t.slaDue}` : undefined}>
                {t.slaLabel}
              </span>
              {t.waiting ? (
                <div className="sub" title={`Opened ${t.openedAt}`}>
                  {t.waiting}
                </div>
              ) : null}
            </td>
            <td>{TICKET_STATUS_LABEL[t.status]}</td>
            <td>
              {t.assigneeName ?? (t.status === 'resolved' ? NONE : <ClaimButton ticketId={t.id} action={claimAction} />)}
              {assignees && t.status !== 'resolved' ? (
                <div className="mt-1">
                  <ReassignControl ticketId={t.id} assigneeId={t.assigneeId} staff={assignees} action={assignAction} compact />
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

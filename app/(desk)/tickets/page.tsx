import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveProvider, Viewers } from '@/components/live/live-provider';
import { NextTicketButton } from '@/components/tickets/claim-buttons';
import { LiveNotice } from '@/components/tickets/live-notice';
import { QueueFilters } from '@/components/tickets/queue-filters';
import { QueueKeyboard } from '@/components/tickets/queue-keyboard';
import { packQueueRow, type QueueRowView } from '@/components/tickets/queue-row';
import { QueueTable } from '@/components/tickets/queue-table';
import { buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/table';
import { roleHas } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { TICKET_STATUS_LABEL } from '@/lib/labels';
import { formatUtc } from '@/lib/dates';
import { slaState, waitingFor } from '@/lib/tickets/sla';
import { formatMoney } from '@/lib/money';
import { listViewers } from '@/lib/live/presence';
import { listAssignees } from '@/lib/tickets/claim';
import { FILTERED_COUNT_CAP, listQueue, type QueueRow } from '@/lib/tickets/queue';
import { QUEUE_TABS, type QueueQuery } from '@/lib/validation/queue';
import { assignTicketAction, claimNextTicketAction, claimTicketAction } from './actions';

export const metadata: Metadata = { title: 'Tickets' };

const TAB_LABEL: Record<(typeof QUEUE_TABS)[number], string> = { ...TICKET_STATUS_LABEL, all: 'All' } as never;

function href(query: QueueQuery, change: Partial<Record<keyof QueueQuery, string | undefined>>) {
  const params = new URLSearchParams();
  const merged = { ...query, after: undefined, ...change } as Record<string, unknown>;
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === false || value === '') continue;
    if ((key === 'status' && value === 'open') || (key === 'assignee' && value === 'anyone') || (key === 'sort' && value === 'sla'))
      continue;
    params.set(key, value === true ? '1' : String(value));
  }
  const search = params.toString();
  return search ? `/tickets?${search}` : '/tickets';
}

/** What one row shows, worked out here (the service level needs the clock and the configured targets). */
function rowView(t: QueueRow, now: Date): QueueRowView {
  const sla = slaState(t, now);
  return {
    id: t.id,
    customer: t.customerName,
    email: t.customerEmail,
    claim: t.claim,
    claimWindowEnd: t.eligibilityDeadline ? formatUtc(t.eligibilityDeadline) : null,
    isLate: t.eligibilityDeadline !== null && t.openedAt > t.eligibilityDeadline,
    orderNumber: t.orderNumber,
    orderStatus: t.orderStatus,
    serviceName: t.serviceName,
    paymentMethod: t.paymentMethod,
    amount: formatMoney(t.amountAtStake, t.currency),
    outcome: t.suggestedOutcome,
    slaKind: sla.kind,
    slaLabel: sla.kind === 'paused' ? 'Paused' : sla.label,
    slaTone:
      'isBreached' in sla && sla.isBreached
        ? 'breached'
        : 'isBreachingSoon' in sla && sla.isBreachingSoon
          ? 'soon'
          : sla.kind === 'paused' || sla.kind === 'done'
            ? 'quiet'
            : 'normal',
    slaDue: 'dueAt' in sla ? formatUtc(sla.dueAt) : null,
    waiting: t.status !== 'resolved' ? waitingFor(t.openedAt, now) : null,
    openedAt: formatUtc(t.openedAt),
    status: t.status,
    assigneeId: t.assigneeId,
    assigneeName: t.assigneeName,
  };
}

export default async function TicketsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, actor } = await requirePageActor('tickets.work');
  const params = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  let queue;
  try {
    queue = await listQueue(ctx, params);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid') throw error;
    return (
      <EmptyState title="These filters do not work">
        <p>{error.message}</p>
        <Link href="/tickets" className={`${buttonClass('secondary', 'sm')} mt-3`}>
          Show the open tickets
        </Link>
      </EmptyState>
    );
  }
  const { query, rows, counts, nextCursor, areCountsCapped, ignored } = queue;
  const isCapped = (tab: (typeof QUEUE_TABS)[number]) =>
    areCountsCapped &&
    (tab === 'all' ? Object.values(counts).some((n) => n >= FILTERED_COUNT_CAP) : (counts[tab] ?? 0) >= FILTERED_COUNT_CAP);
  const [viewers, assignees] = await Promise.all([
    listViewers(ctx, [0, ...rows.map((r) => r.id)]),
    // Supervisors reassign from the queue.
    roleHas(actor.role, 'tickets.assign') ? listAssignees(ctx) : Promise.resolve(null),
  ]);
  const now = new Date();

  return (
    <LiveProvider selfId={actor.id} presenceTicketId={0} initialViewers={viewers}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1>Tickets</h1>
          <LiveNotice />
        </div>
        <div className="flex items-center gap-3">
          <Viewers ticketId={0} showNames />
          <NextTicketButton action={claimNextTicketAction} />
        </div>
      </div>

      <nav aria-label="Ticket status" className="mb-3 flex flex-wrap gap-1 border-b border-slate-200">
        {QUEUE_TABS.map((tab) => {
          const isCurrent = query.status === tab;
          return (
            <Link
              key={tab}
              href={href(query, { status: tab })}
              aria-current={isCurrent ? 'page' : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${isCurrent ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
            >
              {TAB_LABEL[tab]}{' '}
              <span className="ml-1 rounded bg-slate-100 px-1.5 text-xs tabular-nums text-slate-700">
                {(counts[tab] ?? 0).toLocaleString('en')}
                {isCapped(tab) ? '+' : ''}
              </span>
            </Link>
          );
        })}
      </nav>

      {ignored.length ? (
        <div
          role="status"
          className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="queue-ignored"
        >
          {ignored.join(' ')}{' '}
          <Link href={href(query, {})} className="font-medium underline">
            Clean up the link
          </Link>
        </div>
      ) : null}

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <QueueFilters values={query} />
        <QueueKeyboard claimAction={claimTicketAction} />
      </div>

      {rows.length === 0 ? (
        <EmptyState title={query.after ? 'No more tickets' : 'No tickets match'}>
          {query.q || query.claim || query.outcome || query.method || query.breaching || query.assignee !== 'anyone'
            ? 'Try fewer filters.'
            : 'New tickets from the panel appear here.'}
        </EmptyState>
      ) : (
        <QueueTable
          rows={rows.map((t) => packQueueRow(rowView(t, now)))}
          assignees={assignees}
          claimAction={claimTicketAction}
          assignAction={assignTicketAction}
        />
      )}

      <div className="mt-3 flex items-center justify-between text-sm text-slate-600">
        <span>
          Press <kbd className="rounded border border-slate-300 bg-white px-1 font-mono text-xs">?</kbd> for keyboard shortcuts
        </span>
        <span className="flex gap-2">
          {query.after ? (
            <Link className={buttonClass('secondary', 'sm')} href={href(query, {})}>
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link className={buttonClass('secondary', 'sm')} href={href(query, { after: nextCursor })} rel="next">
              Next {50} →
            </Link>
          ) : null}
        </span>
      </div>
    </LiveProvider>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveProvider, Viewers } from '@/components/live/live-provider';
import { ClaimButton, NextTicketButton, ReassignControl } from '@/components/tickets/claim-buttons';
import { OUTCOME_TONE } from '@/components/tickets/labels';
import { LiveNotice } from '@/components/tickets/live-notice';
import { QueueFilters } from '@/components/tickets/queue-filters';
import { QueueKeyboard } from '@/components/tickets/queue-keyboard';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, Table, Td, Th } from '@/components/ui/table';
import { roleHas } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { CLAIM_LABEL, OUTCOME_LABEL, TICKET_STATUS_LABEL } from '@/lib/labels';
import { formatUtc } from '@/lib/dates';
import { slaState, waitingFor } from '@/lib/tickets/sla';
import { formatMoney } from '@/lib/money';
import { listViewers } from '@/lib/live/presence';
import { listAssignees } from '@/lib/tickets/claim';
import { FILTERED_COUNT_CAP, listQueue } from '@/lib/tickets/queue';
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
        <Table label="Tickets" isCardsOnPhone>
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
            {rows.map((t) => {
              const sla = slaState(t, now);
              const isLate = t.eligibilityDeadline !== null && t.openedAt > t.eligibilityDeadline;
              return (
                <tr
                  key={t.id}
                  data-ticket-id={t.id}
                  className="hover:bg-slate-50 data-selected:bg-indigo-50 data-selected:outline data-selected:outline-indigo-300"
                >
                  <Td className="whitespace-nowrap">
                    <Link href={`/tickets/${t.id}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline">
                      T-{t.id}
                    </Link>
                    <span className="ml-1.5 align-middle">
                      <Viewers ticketId={t.id} />
                    </span>
                  </Td>
                  <Td className="max-w-44">
                    <div className="truncate font-medium">{t.customerName}</div>
                    <div className="truncate text-xs text-slate-500 max-md:hidden">{t.customerEmail}</div>
                  </Td>
                  <Td className="whitespace-nowrap">
                    <div>{CLAIM_LABEL[t.claim]}</div>
                    <div
                      className={`text-xs ${isLate ? 'font-medium text-red-700' : 'text-slate-500'}`}
                      title={t.eligibilityDeadline ? `Claim window (policy): until ${formatUtc(t.eligibilityDeadline)}` : undefined}
                      data-testid="filed"
                    >
                      {t.eligibilityDeadline ? (isLate ? 'filed late' : 'filed in time') : 'no claim window'}
                    </div>
                  </Td>
                  <Td className="max-w-56">
                    {t.orderNumber ? (
                      <>
                        <div className="font-mono text-xs">
                          #{t.orderNumber} <span className="font-sans text-slate-500">· {t.orderStatus}</span>
                        </div>
                        <div className="truncate text-xs text-slate-500" title={t.serviceName ?? undefined}>
                          {t.serviceName}
                        </div>
                      </>
                    ) : t.paymentMethod ? (
                      <span className="text-xs text-slate-600">Payment · {t.paymentMethod}</span>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </Td>
                  <Td className="text-right whitespace-nowrap tabular-nums">{formatMoney(t.amountAtStake, t.currency)}</Td>
                  <Td>
                    {t.suggestedOutcome ? (
                      <Badge tone={OUTCOME_TONE[t.suggestedOutcome]}>{OUTCOME_LABEL[t.suggestedOutcome]}</Badge>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </Td>
                  <Td
                    className="whitespace-nowrap"
                    data-testid="sla"
                    data-sla={sla.kind}
                    data-breached={'isBreached' in sla && sla.isBreached ? '' : undefined}
                  >
                    <span
                      className={
                        'isBreached' in sla && sla.isBreached
                          ? 'font-semibold text-red-700'
                          : 'isBreachingSoon' in sla && sla.isBreachingSoon
                            ? 'font-medium text-amber-800'
                            : sla.kind === 'paused' || sla.kind === 'done'
                              ? 'text-slate-500'
                              : 'text-slate-700'
                      }
                      title={'dueAt' in sla ? `Due ${formatUtc(sla.dueAt)}` : undefined}
                    >
                      {sla.kind === 'paused' ? 'Paused' : sla.label}
                    </span>
                    {t.status !== 'resolved' ? (
                      <div className="text-xs text-slate-500" title={`Opened ${formatUtc(t.openedAt)}`}>
                        {waitingFor(t.openedAt, now)}
                      </div>
                    ) : null}
                  </Td>
                  <Td className="whitespace-nowrap">{TICKET_STATUS_LABEL[t.status]}</Td>
                  <Td className="whitespace-nowrap">
                    {t.assigneeName ??
                      (t.status === 'resolved' ? (
                        <span className="text-slate-400">—</span>
                      ) : (
                        <ClaimButton ticketId={t.id} action={claimTicketAction} />
                      ))}
                    {assignees && t.status !== 'resolved' ? (
                      <div className="mt-1">
                        <ReassignControl ticketId={t.id} assigneeId={t.assigneeId} staff={assignees} action={assignTicketAction} compact />
                      </div>
                    ) : null}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
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

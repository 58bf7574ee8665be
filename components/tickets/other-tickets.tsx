import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { formatUtc, relativeToNow } from '@/lib/dates';
import { CLAIM_LABEL, OUTCOME_LABEL, TICKET_STATUS_LABEL } from '@/lib/labels';
import type { TicketDetail } from '@/lib/tickets/detail';
import { OUTCOME_TONE } from './labels';

const STATE_WORD: Record<string, string> = { awaiting_approval: 'awaiting approval', proposed: 'proposed', executed: '' };

/** The customer's other tickets, newest first, each with its status and the outcome decided on it. */
export function OtherTickets({ tickets, hasMore, now }: { tickets: TicketDetail['otherTickets']; hasMore: boolean; now: Date }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="The customer’s other tickets" data-testid="other-tickets">
      {tickets.map((t) => (
        <li key={t.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 py-1.5 first:pt-0 last:pb-0" data-ticket-id={t.id}>
          <Link href={`/tickets/${t.id}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline">
            T-{t.id}
          </Link>
          <span>{CLAIM_LABEL[t.claim] ?? t.claim}</span>
          {t.orderNumber ? <span className="font-mono text-xs text-slate-600">#{t.orderNumber}</span> : null}
          <span className="text-xs text-slate-600">{TICKET_STATUS_LABEL[t.status] ?? t.status}</span>
          {t.outcome ? (
            <span className="text-xs text-slate-600">
              <Badge tone={OUTCOME_TONE[t.outcome as keyof typeof OUTCOME_TONE]}>
                {OUTCOME_LABEL[t.outcome as keyof typeof OUTCOME_LABEL]}
              </Badge>
              {t.outcomeState && STATE_WORD[t.outcomeState] ? ` ${STATE_WORD[t.outcomeState]}` : ''}
            </span>
          ) : (
            <span className="text-xs text-slate-500">no decision</span>
          )}
          <time className="ml-auto text-xs text-slate-500" dateTime={t.openedAt.toISOString()} title={formatUtc(t.openedAt)}>
            {relativeToNow(t.openedAt, now)}
          </time>
        </li>
      ))}
      {hasMore ? <li className="pt-1.5 text-xs text-slate-600">Older tickets are not listed; search the queue for the customer.</li> : null}
    </ul>
  );
}

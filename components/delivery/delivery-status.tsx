import { Badge } from '@/components/ui/badge';
import { formatUtc, relativeToNow } from '@/lib/dates';
import type { TicketDelivery } from '@/lib/provider/deliveries';
import { attemptsLabel, deliveryBadge, DELIVERY_KIND_LABEL, describeNextAttempt } from './labels';

function When({ at, now }: { at: Date; now: Date }) {
  return (
    <time dateTime={at.toISOString()} title={formatUtc(at)} className="tabular-nums">
      {relativeToNow(at, now)}
    </time>
  );
}

/**
 * The ticket's deliveries to the panel, as the page loaded them (`listTicketDeliveries`): each outbox
 * job's kind, state, attempts, last error, next attempt and delivery time.
 */
export function DeliveryList({ deliveries, now }: { deliveries: TicketDelivery[]; now: Date }) {
  if (deliveries.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center" data-testid="delivery-empty">
        <p className="font-medium text-slate-800">Nothing sent to the panel</p>
        <p className="mt-1 text-slate-600">
          Executed decisions (credits, reprocess, refill, cancel, replies) appear here with their delivery state.
        </p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Deliveries to the panel" data-testid="delivery-list">
      {deliveries.map((d) => {
        const badge = deliveryBadge(d, now);
        const next = describeNextAttempt(d, now);
        return (
          <li key={d.id} className="py-2 first:pt-0 last:pb-0" data-testid="delivery" data-kind={d.kind} data-state={d.state}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
              <span className="font-medium text-slate-900">{DELIVERY_KIND_LABEL[d.kind] ?? d.kind}</span>
              <span className="flex items-center gap-2 text-xs text-slate-600">
                <span>{attemptsLabel(d.attempts)}</span>
                <Badge tone={badge.tone}>{badge.label}</Badge>
              </span>
            </div>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-slate-600">
              <dt>Queued</dt>
              <dd>
                <When at={d.createdAt} now={now} />
              </dd>
              {d.deliveredAt ? (
                <>
                  <dt>Delivered</dt>
                  <dd>
                    <When at={d.deliveredAt} now={now} />
                    {d.lastHttpStatus ? <span className="text-slate-500"> · HTTP {d.lastHttpStatus}</span> : null}
                  </dd>
                </>
              ) : null}
              {next && d.nextAttemptAt ? (
                <>
                  <dt>Next attempt</dt>
                  <dd>
                    <time dateTime={d.nextAttemptAt.toISOString()} title={formatUtc(d.nextAttemptAt)}>
                      {next}
                    </time>
                  </dd>
                </>
              ) : null}
              {d.lastError && d.state !== 'delivered' ? (
                <>
                  <dt>Last error</dt>
                  <dd className="font-mono break-all text-red-800" data-testid="delivery-error">
                    {d.lastError}
                  </dd>
                </>
              ) : null}
              <dt>Event id</dt>
              <dd className="truncate font-mono" title={d.eventId}>
                {d.eventId}
              </dd>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}

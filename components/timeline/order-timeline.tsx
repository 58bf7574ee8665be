import { Badge, type Tone } from '@/components/ui/badge';
import { formatMoney } from '@/lib/money';
import type { TicketDetail } from '@/lib/tickets/detail';
import { formatUtc, relativeTo, relativeToNow } from '@/lib/dates';
import type { OrderStatus } from '@/lib/labels';
import { describeEvent, describeRefill, EVENT_TONE, formatCount, type EventTone } from './events';
import { LinkDiffView } from './link-diff-view';

type Order = NonNullable<TicketDetail['order']>;
type Event = TicketDetail['timeline'][number];

export const ORDER_STATUS_TONE: Record<OrderStatus, Tone> = {
  submitted: 'neutral',
  processing: 'info',
  partial: 'warning',
  completed: 'success',
  canceled: 'danger',
};

const DOT: Record<EventTone | 'marker', string> = {
  neutral: 'bg-slate-400',
  progress: 'bg-sky-500',
  problem: 'bg-red-500',
  request: 'bg-violet-500',
  done: 'bg-emerald-500',
  marker: 'bg-indigo-600 ring-2 ring-indigo-200',
};

function Fact({ label, children, className = '' }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="font-medium text-slate-900 tabular-nums">{children}</dd>
    </div>
  );
}

/** A time shown relative to the order, with the absolute UTC time on hover. */
function At({ at, orderAt, now }: { at: Date; orderAt: Date; now: Date }) {
  return (
    <time dateTime={at.toISOString()} title={formatUtc(at)} className="whitespace-nowrap tabular-nums">
      {relativeTo(at, orderAt)}
      <span className="text-slate-500"> · {relativeToNow(at, now)}</span>
    </time>
  );
}

type Item = { type: 'event'; at: Date; event: Event } | { type: 'marker'; at: Date; label: string; detail?: string; isLate?: boolean };

function TimelineItem({ item, orderAt, now }: { item: Item; orderAt: Date; now: Date }) {
  if (item.type === 'marker') {
    return (
      <li className="relative pb-3 pl-5" data-testid="timeline-marker">
        <span className={`absolute top-1.5 left-0 size-2.5 rounded-full ${DOT.marker}`} aria-hidden="true" />
        <div className="flex flex-wrap items-baseline justify-between gap-x-3">
          <span className={`font-semibold ${item.isLate ? 'text-red-700' : 'text-indigo-800'}`}>{item.label}</span>
          <At at={item.at} orderAt={orderAt} now={now} />
        </div>
        {item.detail ? <p className="text-xs text-slate-600">{item.detail}</p> : null}
      </li>
    );
  }
  const { event } = item;
  const { title, message, facts } = describeEvent(event.kind, event.data ?? {});
  const tone = EVENT_TONE[event.kind] ?? 'neutral';
  return (
    <li className="relative pb-3 pl-5" data-testid="timeline-event" data-kind={event.kind}>
      <span className={`absolute top-1.5 left-0 size-2.5 rounded-full ${DOT[tone]}`} aria-hidden="true" />
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className={`font-medium ${tone === 'problem' ? 'text-red-800' : 'text-slate-900'}`}>{title}</span>
        <At at={event.at} orderAt={orderAt} now={now} />
      </div>
      {message ? (
        <p
          className="mt-0.5 rounded border-l-2 border-slate-300 bg-slate-50 px-2 py-0.5 font-mono text-xs break-words text-slate-800"
          title={message.isJson ? message.raw : undefined}
        >
          {message.text}
          {message.isJson ? <span className="ml-1.5 font-sans text-[11px] text-slate-600">(API error)</span> : null}
        </p>
      ) : null}
      {facts.length ? (
        <dl className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-700">
          {facts.map((f) => (
            <div key={f.key} className="flex gap-1">
              <dt className="text-slate-600">{f.label}</dt>
              <dd className="font-medium tabular-nums">{f.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </li>
  );
}

/**
 * The order behind a ticket: its facts, the link as submitted compared with the ticket's, and every
 * order event in time order (with the ticket's opening and deadline placed among them).
 */
export function OrderTimeline({
  order,
  events,
  ticket,
  now,
}: {
  order: Order;
  events: Event[];
  ticket: Pick<TicketDetail['ticket'], 'openedAt' | 'eligibilityDeadline' | 'targetLinkGiven' | 'orderNumberGiven'>;
  now: Date;
}) {
  const remains = order.quantity - order.delivered;
  const { service } = order;
  const items: Item[] = [
    ...events.map((event): Item => ({ type: 'event', at: event.at, event })),
    {
      type: 'marker',
      at: ticket.openedAt,
      label: 'Ticket opened',
      detail: relativeTo(ticket.openedAt, order.statusChangedAt, 'last status change'),
    },
  ];
  if (ticket.eligibilityDeadline) {
    const isLate = ticket.openedAt > ticket.eligibilityDeadline;
    items.push({
      type: 'marker',
      at: ticket.eligibilityDeadline,
      label: 'Eligibility deadline',
      detail: isLate ? 'The ticket was opened after it.' : 'The ticket was opened before it.',
      isLate,
    });
  }
  // Stable: events keep their database order when times tie; markers go after events at the same time.
  items.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.type === b.type ? 0 : a.type === 'event' ? -1 : 1));

  const numberMatches = ticket.orderNumberGiven === null || ticket.orderNumberGiven.trim() === order.externalId;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm font-semibold">#{order.externalId}</span>
        <Badge tone={ORDER_STATUS_TONE[order.status] ?? 'neutral'}>{order.status}</Badge>
        <span className="text-xs text-slate-600" title={formatUtc(order.statusChangedAt)}>
          since {relativeToNow(order.statusChangedAt, now)}
        </span>
        {!numberMatches ? <Badge tone="warning">Ticket says #{ticket.orderNumberGiven}</Badge> : null}
      </div>

      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-4">
        <Fact label="Service" className="col-span-2">
          <span className="font-medium">{service.name}</span>
          <span className="block text-xs font-normal text-slate-600">
            {service.platform} · {service.category} · {formatMoney(service.ratePer1000, service.currency)} per 1000
          </span>
        </Fact>
        <Fact label="Refill">{describeRefill(service.refillDays)}</Fact>
        <Fact label="Review window">{service.reviewWindowDays === null ? 'None stated' : `${service.reviewWindowDays} days`}</Fact>
        <Fact label="Quantity">{formatCount(order.quantity)}</Fact>
        <Fact label="Start count">
          {order.startCount === null ? <span className="text-slate-500">Not started</span> : formatCount(order.startCount)}
        </Fact>
        <Fact label="Delivered">{formatCount(order.delivered)}</Fact>
        <Fact label="Remains">
          <span className={remains > 0 ? 'text-amber-800' : undefined}>{formatCount(remains)}</span>
          {remains < 0 ? <span className="block text-xs font-normal text-slate-600">over-delivered</span> : null}
        </Fact>
        <Fact label="Charge">{formatMoney(order.charge, order.currency)}</Fact>
        <Fact label="Ordered">
          <time dateTime={order.createdAt.toISOString()} title={formatUtc(order.createdAt)}>
            {relativeToNow(order.createdAt, now)}
          </time>
        </Fact>
        <Fact label="Cancel">{service.isCancelAllowed ? 'Allowed' : 'Not offered'}</Fact>
      </dl>

      <LinkDiffView orderLink={order.link} ticketLink={ticket.targetLinkGiven} />

      <div>
        <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">Events</h3>
        {events.length === 0 ? <p className="mb-2 text-slate-600">The panel sent no events for this order yet.</p> : null}
        <ol className="border-l border-slate-200 pl-0 [&>li]:-ml-[5px]" aria-label="Order events in time order" data-testid="timeline">
          {items.map((item, i) => (
            <TimelineItem key={item.type === 'event' ? `e${item.event.id}` : `m${i}`} item={item} orderAt={order.createdAt} now={now} />
          ))}
        </ol>
      </div>
    </div>
  );
}

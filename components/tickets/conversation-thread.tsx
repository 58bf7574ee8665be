import { Badge } from '@/components/ui/badge';
import { formatUtc, relativeToNow } from '@/lib/dates';
import type { TicketDetail } from '@/lib/tickets/detail';

type Message = TicketDetail['messages'][number];

const STYLE = {
  customer: 'mr-10 border-slate-200 bg-white',
  reply: 'ml-10 border-indigo-200 bg-indigo-50',
  note: 'ml-10 border-amber-300 bg-amber-50',
} as const;

const styleOf = (m: Message) => (m.isFromCustomer ? 'customer' : m.isInternal ? 'note' : 'reply');

/** The ticket's messages in time order: the customer's on the left, staff replies (indigo) and internal notes (amber) on the right. */
export function ConversationThread({ messages, customerName, now }: { messages: Message[]; customerName: string; now: Date }) {
  return (
    <ol className="space-y-2" aria-label="Messages, oldest first" data-testid="conversation">
      {messages.map((m) => {
        const kind = styleOf(m);
        return (
          <li key={m.id} className={`rounded-md border px-3 py-2 ${STYLE[kind]}`} data-kind={kind}>
            <article
              aria-label={`${kind === 'customer' ? 'Customer message' : kind === 'note' ? 'Internal note' : 'Staff reply'} from ${m.author?.name ?? (m.isInternal ? 'Refund Desk' : customerName)}`}
            >
              <header className="mb-1 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs">
                <span className="font-semibold text-slate-900">
                  {m.author ? m.author.name : m.isInternal ? 'Refund Desk' : customerName}
                </span>
                <span className="text-slate-600">{m.author ? m.author.role : 'customer'}</span>
                {kind === 'note' ? (
                  <Badge tone="warning">Internal note</Badge>
                ) : kind === 'reply' ? (
                  <Badge tone="accent">Reply</Badge>
                ) : null}
                <time dateTime={m.createdAt.toISOString()} title={formatUtc(m.createdAt)} className="ml-auto text-slate-600 tabular-nums">
                  {relativeToNow(m.createdAt, now)}
                </time>
              </header>
              <p className="text-[13px] leading-5 break-words whitespace-pre-wrap text-slate-900">{m.body}</p>
            </article>
          </li>
        );
      })}
    </ol>
  );
}

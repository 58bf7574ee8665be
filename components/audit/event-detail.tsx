import Link from 'next/link';
import { diffValues, showValue } from '@/lib/audit/diff';
import type { AuditRow } from '@/lib/audit/query';

const ORIGIN_LABELS: Record<string, string> = { ui: 'the desk (UI)', api: 'API', cli: 'command line', seed: 'seed', system: 'system' };

/** Where the event came from, in words. */
export function describeOrigin(origin: unknown): string {
  if (!origin || typeof origin !== 'object') return 'not recorded';
  const o = origin as { via?: string; ip?: string | null; userAgent?: string | null };
  return [ORIGIN_LABELS[o.via ?? ''] ?? o.via ?? 'unknown', o.ip ? `IP ${o.ip}` : null, o.userAgent ? `“${o.userAgent}”` : null]
    .filter(Boolean)
    .join(' · ');
}

/** The records an event concerns, as links. */
export function eventLinks(e: AuditRow): { href: string; label: string }[] {
  const links: { href: string; label: string }[] = [];
  const fromValues = (key: string) => {
    for (const side of [e.after, e.before])
      if (side && typeof side === 'object' && key in side) {
        const v = (side as Record<string, unknown>)[key];
        if (typeof v === 'number' || typeof v === 'string') return String(v);
      }
    return null;
  };
  const ticket = e.entityType === 'ticket' ? e.entityId : fromValues('ticketId');
  if (ticket) links.push({ href: `/tickets/${ticket}`, label: `Ticket T-${ticket}` });
  if (e.entityType === 'decision' && e.entityId)
    links.push({
      href: ticket ? `/tickets/${ticket}#decision` : `/audit?entity=decision&id=${e.entityId}`,
      label: `Decision ${e.entityId}`,
    });
  const customer = e.entityType === 'customer' ? e.entityId : fromValues('customerId');
  if (customer) links.push({ href: `/credits?customer=${customer}`, label: `Customer ${customer}` });
  if (e.entityType === 'staff_user' && e.entityId)
    links.push({ href: `/audit?actor=${e.entityId}`, label: `Staff member ${e.entityId} (their actions)` });
  if (e.actorId) links.push({ href: `/audit?actor=${e.actorId}`, label: `Everything by ${e.actorLabel}` });
  return links;
}

/** An event opened: its field-by-field difference, what it concerns, where it came from, its chain position. */
export function EventDetail({ event }: { event: AuditRow }) {
  const diff = diffValues(event.before, event.after);
  return (
    <div className="grid gap-4 py-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]" data-testid="event-detail">
      <div>
        <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Changes</h3>
        {diff.length === 0 ? (
          <p className="text-slate-600">No fields recorded.</p>
        ) : (
          <table className="w-full border-collapse text-[13px]" aria-label="Field-by-field difference">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col" className="py-1 pr-3 font-medium">
                  Field
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Before
                </th>
                <th scope="col" className="py-1 font-medium">
                  After
                </th>
              </tr>
            </thead>
            <tbody>
              {diff.map((d) => (
                <tr key={`${d.kind}:${d.path}`} className="border-t border-slate-100 align-top" data-diff-kind={d.kind}>
                  <th scope="row" className="py-1 pr-3 text-left font-mono text-xs font-normal text-slate-700">
                    {d.path || '(value)'}
                  </th>
                  <td className="py-1 pr-3 font-mono text-xs break-all">
                    {d.kind === 'added' ? (
                      <span className="text-slate-400">—</span>
                    ) : (
                      <del className="rounded bg-red-50 px-1 text-red-800 no-underline">{showValue(d.before)}</del>
                    )}
                  </td>
                  <td className="py-1 font-mono text-xs break-all">
                    {d.kind === 'removed' ? (
                      <span className="text-slate-400">removed</span>
                    ) : (
                      <ins className="rounded bg-emerald-50 px-1 text-emerald-800 no-underline">{showValue(d.after)}</ins>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-[13px]">
        <dt className="text-slate-500">Concerns</dt>
        <dd>
          <ul className="flex flex-col gap-0.5">
            {eventLinks(event).map((l) => (
              <li key={l.href + l.label}>
                <Link className="text-indigo-700 underline-offset-2 hover:underline" href={l.href}>
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </dd>
        <dt className="text-slate-500">Origin</dt>
        <dd>{describeOrigin(event.origin)}</dd>
        {event.reason ? (
          <>
            <dt className="text-slate-500">Reason</dt>
            <dd>{event.reason}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Chain</dt>
        <dd className="font-mono text-xs break-all">{event.seq ? `#${event.seq} · ${event.hash}` : 'waiting to be sealed'}</dd>
      </dl>
    </div>
  );
}

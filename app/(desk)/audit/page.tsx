import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { listAuditEvents } from '@/lib/audit/list';
import { isAppError } from '@/lib/errors';

export const metadata: Metadata = { title: 'Audit log' };

const short = (value: unknown) => (value == null ? '' : JSON.stringify(value));

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { ctx } = await requirePageActor('audit.read');
  const params = await searchParams;
  let page: Awaited<ReturnType<typeof listAuditEvents>>;
  let notice: string | null = null;
  try {
    page = await listAuditEvents(ctx, { before: params.before });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid') throw error;
    notice = `That page address is not one the audit log knows (${error.message}); showing the newest events instead.`;
    page = await listAuditEvents(ctx, {});
  }
  const { events, nextBefore, unsealed } = page;
  return (
    <>
      <PageHeader title="Audit log" description="Every change, who made it and why. Append-only and hash-chained; nobody can edit it." />
      {notice ? (
        <p role="status" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
          {notice}
        </p>
      ) : null}
      {unsealed > 0 ? (
        <p className="mb-3 text-sm text-slate-600" role="status">
          {unsealed === 1 ? '1 event is' : `${unsealed} events are`} waiting to be sealed into the chain (the worker seals them within a
          second); until then the append-only rules protect {unsealed === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
      {events.length === 0 ? (
        <EmptyState title="No audit events yet" />
      ) : (
        <Table label="Audit events">
          <thead>
            <tr>
              <Th>#</Th>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>Action</Th>
              <Th>Entity</Th>
              <Th>Change</Th>
              <Th>Reason</Th>
              <Th>Hash</Th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <Tr key={e.id}>
                <Td className="tabular-nums text-slate-500">{e.seq ?? <span title="Not sealed into the chain yet">pending</span>}</Td>
                <Td>
                  <Time value={e.at} />
                </Td>
                <Td>
                  {e.actorLabel}
                  {e.actorRole ? <span className="text-slate-500"> · {e.actorRole}</span> : null}
                </Td>
                <Td className="font-mono text-xs">{e.action}</Td>
                <Td className="whitespace-nowrap">
                  {e.entityType}
                  {e.entityId ? <span className="text-slate-500"> {e.entityId}</span> : null}
                </Td>
                <Td className="max-w-md truncate font-mono text-xs text-slate-600" title={`${short(e.before)} → ${short(e.after)}`}>
                  {e.before != null ? `${short(e.before)} → ` : ''}
                  {short(e.after)}
                </Td>
                <Td className="max-w-xs truncate">{e.reason}</Td>
                <Td className="font-mono text-xs text-slate-500">{e.hash ? e.hash.slice(0, 10) : '—'}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {nextBefore ? (
        <div className="mt-3 flex justify-end">
          <Link className={buttonClass('secondary', 'sm')} href={`/audit?before=${nextBefore}`}>
            Older events
          </Link>
        </div>
      ) : null}
    </>
  );
}

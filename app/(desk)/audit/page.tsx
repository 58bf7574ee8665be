import type { Metadata } from 'next';
import Link from 'next/link';
import { Fragment } from 'react';
import { EventDetail } from '@/components/audit/event-detail';
import { ExportButtons } from '@/components/audit/export-buttons';
import { VerifyButton } from '@/components/audit/verify-button';
import { buttonClass } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { roleHas } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';
import { ACTION_GROUPS, AUDIT_ENTITIES, FILTER_KEYS, filterQuery, getChainStatus, listAuditEvents, type AuditRow } from '@/lib/audit/query';
import { isAppError } from '@/lib/errors';

export const metadata: Metadata = { title: 'Audit log' };

type Params = Record<string, string | string[] | undefined>;

function FilterField({ label, name, children }: { label: string; name: string; children: React.ReactNode }) {
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600" htmlFor={`f-${name}`}>
      {label}
      {children}
    </label>
  );
}

function entityLabel(e: AuditRow) {
  const name = (AUDIT_ENTITIES as Record<string, string>)[e.entityType] ?? e.entityType.replace(/_/g, ' ');
  return e.entityId ? `${name} ${e.entityType === 'ticket' ? `T-${e.entityId}` : e.entityId}` : name;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  const { ctx, actor } = await requirePageActor('audit.read');
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<
    string,
    string | undefined
  >;
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params[k]]).filter(([, v]) => v)) as Record<string, string>;
  const filterString = filterQuery(filters);
  let page: Awaited<ReturnType<typeof listAuditEvents>>;
  let notice: string | null = null;
  try {
    page = await listAuditEvents(ctx, { ...filters, before: params.before });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid') throw error;
    notice = `These filters do not work: ${error.message} Showing the newest events instead.`;
    page = await listAuditEvents(ctx, {});
  }
  const chain = await getChainStatus(ctx);
  const { events, nextBefore, unsealed } = page;
  const openId = Number(params.open) || null;
  const here = (extra: Record<string, string | number | undefined>) => {
    const q = filterQuery({ ...filters, before: params.before, ...extra });
    return q ? `/audit?${q}` : '/audit';
  };
  const isFiltered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and why. Append-only and hash-chained; nobody can edit it."
        actions={roleHas(actor.role, 'audit.export') ? <ExportButtons query={filterString} /> : null}
      />

      <section aria-labelledby="chain-heading" className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="chain-heading" className="text-sm font-semibold text-slate-800">
              Chain status
            </h2>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-[13px]" data-testid="chain-status">
              <dt className="text-slate-500">Sealed</dt>
              <dd className="tabular-nums">
                {chain.sealed.toLocaleString('en-US')} events
                {chain.lastVerified ? (
                  <span className={chain.lastVerified.ok ? 'text-emerald-700' : 'text-red-700'}>
                    {' '}
                    · last verified{' '}
                    {chain.lastVerified.ok
                      ? `intact (${chain.lastVerified.count.toLocaleString('en-US')} events)`
                      : `broken at sequence ${chain.lastVerified.badSeq ?? '?'}`}{' '}
                    by {chain.lastVerified.by}, <Time value={chain.lastVerified.at} />
                  </span>
                ) : (
                  <span className="text-slate-500"> · not verified from here yet</span>
                )}
                {unsealed > 0 ? <span className="text-slate-500"> · {unsealed} waiting to be sealed (within a second)</span> : null}
              </dd>
              <dt className="text-slate-500">Head</dt>
              <dd className="font-mono text-xs break-all">{chain.head ? `#${chain.head.seq} · ${chain.head.hash}` : 'empty chain'}</dd>
              <dt className="text-slate-500">Checkpoint</dt>
              <dd className="text-[13px]">
                {chain.checkpoint ? (
                  <>
                    #{chain.checkpoint.seq} signed at <Time value={new Date(chain.checkpoint.at)} />, written to{' '}
                    <code className="text-xs">{chain.checkpoint.file}</code>
                  </>
                ) : (
                  <>
                    none yet in <code className="text-xs">{chain.checkpointFile}</code>
                  </>
                )}
              </dd>
            </dl>
          </div>
          <VerifyButton />
        </div>
      </section>

      <form
        method="get"
        action="/audit"
        className="mb-3 rounded-lg border border-slate-200 bg-white px-4 py-3"
        role="search"
        aria-label="Filter the audit log"
      >
        <div className="grid grid-cols-2 gap-x-3 gap-y-2 md:grid-cols-4 xl:grid-cols-8">
          <FilterField label="Ticket" name="ticket">
            <input
              id="f-ticket"
              name="ticket"
              inputMode="numeric"
              defaultValue={filters.ticket}
              className={`${inputClass} h-8`}
              placeholder="id"
            />
          </FilterField>
          <FilterField label="Customer" name="customer">
            <input
              id="f-customer"
              name="customer"
              inputMode="numeric"
              defaultValue={filters.customer}
              className={`${inputClass} h-8`}
              placeholder="id"
            />
          </FilterField>
          <FilterField label="Actor" name="actor">
            <input id="f-actor" name="actor" defaultValue={filters.actor} className={`${inputClass} h-8`} placeholder="staff id or label" />
          </FilterField>
          <FilterField label="Role" name="role">
            <select id="f-role" name="role" defaultValue={filters.role ?? ''} className={`${inputClass} h-8`}>
              <option value="">Any</option>
              <option value="agent">Agent</option>
              <option value="supervisor">Supervisor</option>
              <option value="admin">Admin</option>
              <option value="none">System, API key</option>
            </select>
          </FilterField>
          <FilterField label="Action" name="action">
            <select id="f-action" name="action" defaultValue={filters.action ?? ''} className={`${inputClass} h-8`}>
              <option value="">Any</option>
              {Object.entries(ACTION_GROUPS).map(([key, g]) => (
                <option key={key} value={key}>
                  {g.label}
                </option>
              ))}
              {filters.action && !(filters.action in ACTION_GROUPS) ? <option value={filters.action}>{filters.action}</option> : null}
            </select>
          </FilterField>
          <FilterField label="Entity" name="entity">
            <select id="f-entity" name="entity" defaultValue={filters.entity ?? ''} className={`${inputClass} h-8`}>
              <option value="">Any</option>
              {Object.entries(AUDIT_ENTITIES).map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label="From" name="from">
            <input id="f-from" name="from" type="date" defaultValue={filters.from} className={`${inputClass} h-8`} />
          </FilterField>
          <FilterField label="To" name="to">
            <input id="f-to" name="to" type="date" defaultValue={filters.to} className={`${inputClass} h-8`} />
          </FilterField>
        </div>
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <label className="flex min-w-64 flex-1 flex-col gap-0.5 text-xs font-medium text-slate-600" htmlFor="f-q">
            Search reasons
            <input
              id="f-q"
              name="q"
              type="search"
              defaultValue={filters.q}
              className={`${inputClass} h-8`}
              placeholder="words in the reason"
            />
          </label>
          {filters.id ? <input type="hidden" name="id" value={filters.id} /> : null}
          <button type="submit" className={buttonClass('primary', 'md')}>
            Apply filters
          </button>
          {isFiltered ? (
            <Link href="/audit" className={buttonClass('ghost', 'md')}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {notice ? (
        <p role="status" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
          {notice}
        </p>
      ) : null}

      {events.length === 0 ? (
        <EmptyState title={isFiltered ? 'No events match these filters' : 'No audit events yet'} />
      ) : (
        <Table label="Audit events">
          <thead>
            <tr>
              <Th>#</Th>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>Action</Th>
              <Th>Concerns</Th>
              <Th>Reason</Th>
              <Th>
                <span className="sr-only">Details</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const isOpen = openId === e.id;
              return (
                <Fragment key={e.id}>
                  <Tr data-event-id={e.id} data-action={e.action} className={isOpen ? 'bg-indigo-50/40' : ''}>
                    <Td className="text-slate-500 tabular-nums">{e.seq ?? <span title="Not sealed into the chain yet">pending</span>}</Td>
                    <Td className="whitespace-nowrap">
                      <Time value={e.at} />
                    </Td>
                    <Td>
                      {e.actorId ? (
                        <Link className="hover:underline" href={`/audit?actor=${e.actorId}`}>
                          {e.actorLabel}
                        </Link>
                      ) : (
                        e.actorLabel
                      )}
                      {e.actorRole ? <span className="text-slate-500"> · {e.actorRole}</span> : null}
                    </Td>
                    <Td className="font-mono text-xs">{e.action}</Td>
                    <Td className="whitespace-nowrap">{entityLabel(e)}</Td>
                    <Td className="max-w-sm truncate" title={e.reason ?? undefined}>
                      {e.reason}
                    </Td>
                    <Td className="text-right">
                      <Link
                        className="text-indigo-700 hover:underline"
                        href={isOpen ? here({}) : `${here({ open: e.id })}#event-${e.id}`}
                        aria-expanded={isOpen}
                        aria-controls={isOpen ? `event-${e.id}` : undefined}
                        scroll={false}
                      >
                        {isOpen ? 'Close' : 'Details'}
                        <span className="sr-only"> of event {e.seq ?? e.id}</span>
                      </Link>
                    </Td>
                  </Tr>
                  {isOpen ? (
                    <tr id={`event-${e.id}`} className="bg-slate-50/60">
                      <td colSpan={7} className="border-b border-slate-200 px-3">
                        <EventDetail event={e} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </Table>
      )}
      <div className="mt-3 flex justify-end gap-2">
        {params.before ? (
          <Link className={buttonClass('secondary', 'sm')} href={filterString ? `/audit?${filterString}` : '/audit'}>
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link className={buttonClass('secondary', 'sm')} href={`/audit?${filterQuery({ ...filters, before: nextBefore })}`}>
            Older events
          </Link>
        ) : null}
      </div>
    </>
  );
}

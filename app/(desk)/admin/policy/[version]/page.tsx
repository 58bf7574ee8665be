import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { buttonClass } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { requirePageActor } from '@/lib/auth/session';
import { formatMoney } from '@/lib/money';
import { diffParams, formatParam, listParamSets, PARAM_FIELDS, type ParamSetView } from '@/lib/policy-params/sets';
import { SetStateBadge } from '../state-badge';
import { RecomputeProgress, type RecomputeProgressView } from './recompute-progress';
import { ReviewPanel } from './review-panel';

export const metadata: Metadata = { title: 'Parameter set' };

const STALLED_MS = 60_000;

/** Where the worker's recompute of this set stands, as the progress panel shows it. */
function recomputeView(set: ParamSetView, now: Date): RecomputeProgressView {
  const isDue = set.inForceFrom !== null && set.inForceFrom <= now;
  const isStalled =
    isDue &&
    ((set.recomputeState === 'waiting' && now.getTime() - set.inForceFrom!.getTime() > STALLED_MS) ||
      (set.recomputeState === 'running' && set.recomputeLeaseUntil !== null && set.recomputeLeaseUntil < now));
  return { state: set.recomputeState, total: set.recomputeTotal, done: set.recomputeDone, isDue, isStalled };
}

export default async function ParamSetPage({
  params,
  searchParams,
}: {
  params: Promise<{ version: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, ctx } = await requirePageActor('policy.manage');
  const version = Number((await params).version);
  const { sets, inForceVersion } = await listParamSets(ctx);
  const set = sets.find((s) => s.version === version);
  if (!set) notFound();
  const query = await searchParams;
  const defaultCompare =
    set.version === inForceVersion ? (sets.find((s) => s.version < set.version)?.version ?? set.version) : inForceVersion;
  const compareVersion = Number(query.compare ?? defaultCompare);
  const other = sets.find((s) => s.version === compareVersion) ?? set;
  const changed = new Set(diffParams(other.params, set.params).map((d) => d.key));
  const now = new Date();
  const replay = set.replay;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/policy" className="text-indigo-700 hover:underline">
          ← All parameter sets
        </Link>
      </p>
      <PageHeader
        title={`Parameters v${set.version}: ${set.name}`}
        description={
          set.isBuiltIn ? (
            'The defaults that ship with policy 2026-06-10; in force until a later set is approved.'
          ) : (
            <>
              Proposed by {set.proposedByName} on <Time value={set.createdAt} />, effective from <Time value={set.effectiveAt} />
              {set.state === 'approved' && set.reviewedAt ? (
                <>
                  ; approved by {set.reviewedByName} on <Time value={set.reviewedAt} />, in force from <Time value={set.inForceFrom!} />
                </>
              ) : null}
              {set.state === 'rejected' ? (
                <>
                  ; rejected by {set.reviewedByName}: “{set.rejectReason}”
                </>
              ) : null}
              .
            </>
          )
        }
        actions={<SetStateBadge set={set} now={now} />}
      />

      <div className="grid gap-4 xl:grid-cols-2">
        <section aria-labelledby="figures-title" className="space-y-2">
          <div className="flex flex-wrap items-end justify-between gap-2">
            <h2 id="figures-title" className="text-sm font-semibold">
              Figures, against v{other.version}
            </h2>
            <form className="flex items-end gap-2" action={`/admin/policy/${set.version}`}>
              <label htmlFor="compare" className="text-xs text-slate-700">
                Compare with
              </label>
              <select
                id="compare"
                name="compare"
                defaultValue={other.version}
                className="h-7 rounded-md border border-slate-300 bg-white px-1.5 text-xs"
              >
                {sets.map((s) => (
                  <option key={s.version} value={s.version}>
                    v{s.version}: {s.name}
                  </option>
                ))}
              </select>
              <button type="submit" className={buttonClass('secondary', 'sm')}>
                Compare
              </button>
            </form>
          </div>
          <Table label={`Figures of v${set.version} against v${other.version}`}>
            <thead>
              <tr>
                <Th>Figure</Th>
                <Th className="text-right">v{other.version}</Th>
                <Th className="text-right">v{set.version}</Th>
                <Th>
                  <span className="sr-only">Changed</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {PARAM_FIELDS.map((f) => (
                <Tr key={f.key} className={changed.has(f.key) ? 'bg-amber-50/60' : ''}>
                  <Td>
                    {f.label} <span className="text-slate-600">({f.unit})</span>
                  </Td>
                  <Td className="text-right tabular-nums">{formatParam(other.params, f.key)}</Td>
                  <Td className="text-right font-medium tabular-nums">{formatParam(set.params, f.key)}</Td>
                  <Td>{changed.has(f.key) ? <span className="text-xs font-medium text-amber-900">changed</span> : null}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {set.state === 'approved' && !set.isBuiltIn ? <RecomputeProgress recompute={recomputeView(set, new Date())} /> : null}
        </section>

        <section aria-labelledby="replay-title" className="space-y-2">
          <h2 id="replay-title" className="text-sm font-semibold">
            Replay of the last {replay?.days ?? 30} days
          </h2>
          {replay ? (
            <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="replay">
              <p>
                Of <strong>{replay.tickets}</strong> tickets opened in the {replay.days} days before <Time value={new Date(replay.at)} />,{' '}
                <strong>{replay.changed}</strong> would get another suggestion under this set than under the set then in force
                {replay.isCapped ? ' (the newest 5,000 replayed)' : ''}: the outcome changes for {replay.outcomeChanged}, the amount for{' '}
                {replay.amountChanged}, the approval needed for {replay.approvalChanged}.
              </p>
              {replay.money.length ? (
                <Table label="Money suggested in the replay">
                  <thead>
                    <tr>
                      <Th>Currency</Th>
                      <Th className="text-right">Before</Th>
                      <Th className="text-right">Under this set</Th>
                      <Th className="text-right">Moves</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {replay.money.map((m) => (
                      <Tr key={m.currency}>
                        <Td>{m.currency}</Td>
                        <Td className="text-right tabular-nums">{formatMoney(m.before, m.currency)}</Td>
                        <Td className="text-right tabular-nums">{formatMoney(m.after, m.currency)}</Td>
                        <Td className="text-right font-medium tabular-nums">
                          {m.delta.startsWith('-') ? '' : '+'}
                          {formatMoney(m.delta, m.currency)}
                        </Td>
                      </Tr>
                    ))}
                  </tbody>
                </Table>
              ) : (
                <p className="text-slate-600">No money is suggested in these tickets under either set.</p>
              )}
              {replay.examples.length ? (
                <div>
                  <h3 className="mb-1 text-xs font-medium text-slate-700">Some tickets that change</h3>
                  <ul className="space-y-0.5 text-[13px]">
                    {replay.examples.map((e) => (
                      <li key={e.ticketId}>
                        <Link href={`/tickets/${e.ticketId}`} className="text-indigo-700 hover:underline">
                          Ticket {e.ticketId}
                        </Link>
                        : {e.before} → <strong>{e.after}</strong>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          ) : (
            <p className="text-slate-600">The built-in defaults have no replay.</p>
          )}
          {set.state === 'awaiting_approval' ? <ReviewPanel version={set.version} isOwn={set.proposedBy === actor.id} /> : null}
        </section>
      </div>
    </>
  );
}

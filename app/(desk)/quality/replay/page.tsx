import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, Table, Td, Th, Tr } from '@/components/ui/table';
import { requirePageActor } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { currentPolicyParams } from '@/lib/policy-params';
import { qualityRange } from '@/lib/quality/metrics';
import { replayPolicy, type ReplayResult } from '@/lib/quality/replay';

export const metadata: Metadata = { title: 'Policy replay' };

const label = (s: string) => s.replace(/_/g, ' ');

function NumberField({
  name,
  label: text,
  value,
  hint,
  step,
}: {
  name: string;
  label: string;
  value: string | number;
  hint: string;
  step?: string;
}) {
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
      {text}
      <input
        name={name}
        type="number"
        min={0}
        step={step ?? '1'}
        defaultValue={value}
        className={`${inputClass} h-8 w-36`}
        aria-describedby={`${name}-hint`}
      />
      <span id={`${name}-hint`} className="font-normal text-slate-500">
        {hint}
      </span>
    </label>
  );
}

export default async function ReplayPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx } = await requirePageActor('quality.read');
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<
    string,
    string | undefined
  >;
  const current = await currentPolicyParams();
  let range = qualityRange({});
  try {
    range = qualityRange({ from: params.from || undefined, to: params.to || undefined });
  } catch {
    // shown by the replay below
  }
  let result: ReplayResult | null = null;
  let problem: string | null = null;
  if (params.run) {
    try {
      result = await replayPolicy(ctx, {
        from: params.from,
        to: params.to,
        reviewWindowDays: params.reviewWindowDays,
        minorVariancePercent: params.minorVariancePercent,
        refundRequestThreshold: params.refundRequestThreshold,
        approvalThreshold: params.approvalThreshold,
      });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid') throw error;
      problem = error.message;
    }
  }
  const value = (name: string, fallback: string | number) => params[name] ?? String(fallback);

  return (
    <>
      <PageHeader
        title="Policy replay"
        description="Re-runs the policy check over the stored facts of the tickets opened in a date range, with other parameters, and shows what would change. Nothing is changed; the replay is recorded in the audit log."
        actions={
          <Link href={`/quality?from=${range.from}&to=${range.to}`} className={buttonClass('secondary', 'sm')}>
            Decision quality
          </Link>
        }
      />
      <form method="get" className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3" aria-label="Replay parameters">
        <input type="hidden" name="run" value="1" />
        <div className="flex flex-wrap items-start gap-4">
          <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
            Tickets opened from
            <input type="date" name="from" defaultValue={params.from ?? range.from} className={`${inputClass} h-8`} />
          </label>
          <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
            to
            <input type="date" name="to" defaultValue={params.to ?? range.to} className={`${inputClass} h-8`} />
          </label>
          <NumberField
            name="reviewWindowDays"
            label="Review window (days)"
            value={value('reviewWindowDays', current.claimWindowDays)}
            hint={`in force: ${current.claimWindowDays}`}
          />
          <NumberField
            name="minorVariancePercent"
            label="Minor variance (%)"
            value={value('minorVariancePercent', current.minorVariancePercent)}
            hint={`in force: ${current.minorVariancePercent}`}
          />
          <NumberField
            name="refundRequestThreshold"
            label="Refund requests in 90 days"
            value={value('refundRequestThreshold', current.serialRefundRequests)}
            hint={`serial at ${current.serialRefundRequests} in force`}
          />
          <NumberField
            name="approvalThreshold"
            label="Approval threshold"
            step="0.01"
            value={value('approvalThreshold', current.approvalThreshold)}
            hint={`in force: ${current.approvalThreshold}`}
          />
        </div>
        <div className="mt-3 flex gap-2">
          <button type="submit" className={buttonClass('primary', 'md')}>
            Run replay
          </button>
          <Link href={`/quality/replay?from=${range.from}&to=${range.to}`} className={buttonClass('ghost', 'md')}>
            Reset to the parameters in force
          </Link>
        </div>
      </form>

      {problem ? (
        <p role="alert" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
          The replay could not run: {problem}
        </p>
      ) : null}

      {result ? (
        <div data-testid="replay-result">
          <p role="status" className="mb-3 text-sm">
            <strong>{result.changed.toLocaleString('en-US')}</strong> of {result.tickets.toLocaleString('en-US')} suggestions would change,{' '}
            {result.outcomeChanged.toLocaleString('en-US')} of them in outcome (the others in their deciding reason or amount; tickets
            opened {result.range.from} to {result.range.to}, policy {result.replayed.version} against {result.current.version};{' '}
            {result.seconds.toFixed(2)} s).
            {result.staleStored
              ? ` ${result.staleStored} stored suggestions already differ from a fresh check under the parameters in force.`
              : ''}
          </p>
          {result.changed === 0 ? (
            <EmptyState title="No suggestion would change">
              These parameters give the same outcomes for every ticket in the range.
            </EmptyState>
          ) : (
            <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
              <section aria-labelledby="transitions-title">
                <h2 id="transitions-title" className="mb-2 text-sm font-semibold">
                  From which outcome to which, by reason
                </h2>
                <Table label="Outcome changes by reason code">
                  <thead>
                    <tr>
                      <Th>From</Th>
                      <Th>To</Th>
                      <Th>Reason</Th>
                      <Th className="text-right">Tickets</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.transitions.map((t) => (
                      <Tr key={`${t.from}-${t.to}-${t.reason}`}>
                        <Td>{label(t.from)}</Td>
                        <Td>{label(t.to)}</Td>
                        <Td className="font-mono text-xs">{t.reason}</Td>
                        <Td className="text-right tabular-nums">{t.n}</Td>
                      </Tr>
                    ))}
                  </tbody>
                </Table>
                <h2 className="mt-4 mb-2 text-sm font-semibold">Money that would move</h2>
                {result.money.length === 0 ? (
                  <p className="text-sm text-slate-600">No amount would change.</p>
                ) : (
                  <Table label="Money that would move">
                    <thead>
                      <tr>
                        <Th>Currency</Th>
                        <Th className="text-right">Newly paid</Th>
                        <Th className="text-right">No longer paid</Th>
                        <Th className="text-right">Net</Th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.money.map((m) => (
                        <Tr key={m.currency}>
                          <Td>{m.currency}</Td>
                          <Td className="text-right tabular-nums">{m.more}</Td>
                          <Td className="text-right tabular-nums">{m.less}</Td>
                          <Td className="text-right font-medium tabular-nums">{m.net}</Td>
                        </Tr>
                      ))}
                    </tbody>
                  </Table>
                )}
              </section>
              <section aria-labelledby="tickets-title">
                <h2 id="tickets-title" className="mb-2 text-sm font-semibold">
                  Tickets {result.isListCapped ? `(the first ${result.list.length})` : ''}
                </h2>
                <Table label="Tickets whose suggestion would change">
                  <thead>
                    <tr>
                      <Th>Ticket</Th>
                      <Th>Now</Th>
                      <Th>Would be</Th>
                      <Th>Reason</Th>
                      <Th className="text-right">Amount</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.list.map((c) => (
                      <Tr key={c.ticketId} data-replay-ticket={c.ticketId} data-to={c.to} data-reason={c.reason}>
                        <Td>
                          <Link href={`/tickets/${c.ticketId}`} className="text-indigo-700 hover:underline">
                            T-{c.ticketId}
                          </Link>
                        </Td>
                        <Td>{label(c.from)}</Td>
                        <Td>{label(c.to)}</Td>
                        <Td className="font-mono text-xs">{c.reason}</Td>
                        <Td className="text-right tabular-nums">
                          {c.amountBefore === c.amountAfter
                            ? (c.amountAfter ?? '')
                            : `${c.amountBefore ?? '0.00'} → ${c.amountAfter ?? '0.00'}`}
                        </Td>
                      </Tr>
                    ))}
                  </tbody>
                </Table>
              </section>
            </div>
          )}
        </div>
      ) : null}
    </>
  );
}

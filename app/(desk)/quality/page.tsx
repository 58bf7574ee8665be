import type { Metadata } from 'next';
import Link from 'next/link';
import { Bars, ChartCard, csvOf, OUTCOME_SERIES, StackedColumns, type Series } from '@/components/quality/charts';
import { buttonClass } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageActor } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { labelOf, OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import { getQualityReport, type QualityReport } from '@/lib/quality/metrics';

export const metadata: Metadata = { title: 'Decision quality' };

const DAY_MS = 86_400_000;
const pct = (v: number) => `${Math.round(v * 100)}%`;
/** A chart's axis and bar figures (plotted as numbers; the tables and CSV carry the exact decimals). */
const figure = (v: number) => formatMoney(v.toFixed(2), null);
const h = (v: number | null) => (v == null ? '—' : v < 48 ? `${v} h` : `${Math.round((v / 24) * 10) / 10} d`);

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const creditSeries = (currency: string): Series[] => [
  { key: currency, label: `Credited (${currency})`, fill: 'fill-emerald-600 dark:fill-emerald-400', swatch: 'bg-emerald-600' },
];
const APPROVAL_SERIES: Series[] = [
  { key: 'approved', label: 'Approved', fill: 'fill-emerald-600 dark:fill-emerald-400', swatch: 'bg-emerald-600 dark:bg-emerald-400' },
  { key: 'rejected', label: 'Rejected', fill: 'fill-rose-500 dark:fill-rose-400', swatch: 'bg-rose-500 dark:bg-rose-400' },
];
const short = (name: string) => (name.length > 16 ? `${name.slice(0, 15)}…` : name);

export default async function QualityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx } = await requirePageActor('quality.read');
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  let report: QualityReport;
  let notice: string | null = null;
  try {
    report = await getQualityReport(ctx, { from: params.from, to: params.to, agent: params.agent, team: params.team });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid') throw error;
    notice = `These filters do not work: ${error.message} Showing the last 30 days instead.`;
    report = await getQualityReport(ctx, {});
  }
  const { range, agents, teamTotals: team, timing, approvals } = report;
  const xs = days(range.from, range.to);
  const byDay = new Map(report.decisionsByDay.map((r) => [`${r.day}|${r.outcome}`, r.n]));
  const creditByDay = new Map(report.creditsByDay.map((r) => [`${r.day}|${r.currency}`, r]));
  const { currencies } = report;
  const perDecisionText = team.credits.map((c) => formatMoney(c.perDecision, c.currency)).join(', ') || formatMoney('0', null);
  const approvers = [...new Map(approvals.byApprover.map((r) => [r.approverId, r.approver])).entries()];
  // The approvers' columns by name (with the id when two share one).
  const approverColumn = new Map(
    approvers.map(([id, name]) => [approvers.filter(([, other]) => other === name).length > 1 ? `${name} (${id})` : name, id]),
  );
  const approvalsOf = (column: string, key: string) =>
    approvals.byApprover
      .filter((r) => r.approverId === approverColumn.get(column))
      .reduce((n, r) => n + (key === 'approved' ? r.approved : r.rejected), 0);
  const lateAgents = report.lateByAgent.filter((a) => a.withDeadline > 0);
  const outliers = agents.filter((a) => a.isOverrideOutlier || a.isCreditOutlier);
  const auditFor = (staffId: number) => `/audit?actor=${staffId}&action=decisions&from=${range.from}&to=${range.to}`;
  const outcomesShown = OUTCOME_SERIES.filter((s) => report.decisionsByDay.some((r) => r.outcome === s.key));

  return (
    <>
      <PageHeader
        title="Decision quality"
        description={`Decisions proposed ${range.from} to ${range.to}${report.agent ? ', one agent' : report.team !== 'all' ? `, ${report.team}s` : ', whole team'}.`}
        actions={
          <Link href={`/quality/replay?from=${range.from}&to=${range.to}`} className={buttonClass('secondary', 'sm')}>
            Policy replay
          </Link>
        }
      />
      <form
        method="get"
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3"
        aria-label="Choose the range and the team"
      >
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
          From
          <input type="date" name="from" defaultValue={range.from} className={`${inputClass} h-8`} />
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
          To
          <input type="date" name="to" defaultValue={range.to} className={`${inputClass} h-8`} />
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
          Team
          <select name="team" defaultValue={report.team} className={`${inputClass} h-8`}>
            <option value="all">Everyone who decides</option>
            <option value="agent">Agents</option>
            <option value="supervisor">Supervisors</option>
            <option value="admin">Admins</option>
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
          Agent
          <select name="agent" defaultValue={report.agent ?? ''} className={`${inputClass} h-8`}>
            <option value="">All of the team</option>
            {report.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.role})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass('primary', 'md')}>
          Show
        </button>
      </form>

      {notice ? (
        <p role="status" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
          {notice}
        </p>
      ) : null}

      <section aria-labelledby="outliers-title" className="mb-4" data-testid="outliers">
        <h2 id="outliers-title" className="sr-only">
          Outliers
        </h2>
        {outliers.length === 0 ? (
          <p className="text-sm text-slate-600">
            No agent stands out: nobody&apos;s override rate or credit per decision is twice the rest of the team&apos;s (team:{' '}
            {pct(team.overrideRate)} overrides, {perDecisionText} credited per decision).
          </p>
        ) : (
          <ul className="flex flex-col gap-2">
            {outliers.map((a) => (
              <li
                key={a.staffId}
                className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900"
                data-testid="outlier"
              >
                <strong>{a.name}</strong>
                {a.isOverrideOutlier ? (
                  <>
                    {' '}
                    overrode {a.overrides} of {a.decisions} suggestions ({pct(a.overrideRate)}; the rest of the team{' '}
                    {pct(a.othersOverrideRate)})
                  </>
                ) : null}
                {a.isOverrideOutlier && a.isCreditOutlier ? ' and' : null}
                {a.creditsByCurrency
                  .filter((c) => c.isOutlier)
                  .map((c, i) => (
                    <span key={c.currency}>
                      {i > 0 ? ' and' : null} credited {formatMoney(c.total, c.currency)} in {c.credits} credits over {c.decisions}{' '}
                      {c.currency} decisions ({formatMoney(c.perDecision, c.currency)} a decision; the rest of the team{' '}
                      {formatMoney(c.othersPerDecision, c.currency)})
                    </span>
                  ))}
                .{' '}
                <Link href={auditFor(a.staffId)} className="font-medium text-red-900 underline">
                  Their decisions in the audit log
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="grid gap-4 xl:grid-cols-2">
        <ChartCard
          id="decisions-per-day"
          title="Decisions per day by outcome"
          summary={`${team.decisions} decisions; ${team.overrides} overrides (${pct(team.overrideRate)}).`}
          legend={outcomesShown}
          table={{
            header: ['day', ...outcomesShown.map((s) => s.label), 'total'],
            rows: xs
              .map((d) => {
                const values = outcomesShown.map((s) => byDay.get(`${d}|${s.key}`) ?? 0);
                return [d, ...values, values.reduce((a, b) => a + b, 0)];
              })
              .filter((r) => Number(r[r.length - 1]) > 0),
          }}
        >
          <StackedColumns xs={xs} series={outcomesShown} value={(d, k) => byDay.get(`${d}|${k}`) ?? 0} />
        </ChartCard>

        <ChartCard
          id="overrides-per-agent"
          title="Agreement with the suggestion, per agent"
          summary={`Override rate per agent; the dashed line is the team's ${pct(team.overrideRate)}. Red: at least twice the rest of the team's.`}
          table={{
            header: ['agent', 'decisions', 'followed', 'overrides', 'override rate'],
            rows: agents.map((a) => [a.name, a.decisions, a.followed, a.overrides, pct(a.overrideRate)]),
          }}
        >
          <Bars
            rows={agents.map((a) => ({ label: a.name, value: a.overrideRate, isHighlighted: a.isOverrideOutlier }))}
            max={1}
            reference={team.overrideRate}
            referenceLabel={`team ${pct(team.overrideRate)}`}
            format={pct}
          />
        </ChartCard>

        <ChartCard
          id="overrides-per-reason"
          title="Overrides per suggested reason"
          summary="How often agents chose differently, by the reason that decided the suggestion."
          table={{
            header: ['reason', 'decisions', 'overrides', 'override rate'],
            rows: report.overridesByReason.map((r) => [
              r.reason,
              r.decisions,
              r.overrides,
              pct(r.decisions ? r.overrides / r.decisions : 0),
            ]),
          }}
        >
          <Bars
            rows={report.overridesByReason
              .slice(0, 12)
              .map((r) => ({ label: r.reason, value: r.decisions ? r.overrides / r.decisions : 0 }))}
            max={1}
            format={pct}
          />
        </ChartCard>

        <ChartCard
          id="credits-per-day"
          title="Credits per day"
          summary={`${report.creditsByDay.reduce((sum, r) => sum + r.n, 0)} decision credits${
            team.credits.length ? `: ${team.credits.map((c) => formatMoney(c.total, c.currency)).join(', ')}` : ''
          }.${currencies.length > 1 ? ' One chart per currency: amounts in different currencies are never added.' : ''}`}
          legend={currencies.length === 1 ? creditSeries(currencies[0]!) : undefined}
          table={{
            header: ['day', 'credits', 'amount'],
            rows: report.creditsByDay.map((r) => [r.day, r.n, formatMoney(r.total, r.currency)]),
          }}
          csv={csvOf(
            ['day', 'currency', 'credits', 'amount'],
            report.creditsByDay.map((r) => [r.day, r.currency, r.n, r.total]),
          )}
        >
          {currencies.length === 0 ? (
            <StackedColumns xs={xs} series={creditSeries('none')} value={() => 0} format={figure} />
          ) : (
            currencies.map((currency) => (
              <figure key={currency}>
                {currencies.length > 1 ? <figcaption className="text-xs font-medium">{currency}</figcaption> : null}
                <StackedColumns
                  xs={xs}
                  series={creditSeries(currency)}
                  value={(d) => Number(creditByDay.get(`${d}|${currency}`)?.total ?? 0)}
                  format={figure}
                />
              </figure>
            ))
          )}
        </ChartCard>

        <ChartCard
          id="credits-per-agent"
          title="Credits per agent"
          summary={`Amount credited per agent, one chart per currency; red: credit per decision in that currency at least twice the rest of the team's (team: ${perDecisionText}).`}
          table={{
            header: ['agent', 'currency', 'decisions', 'credits', 'amount', 'per decision'],
            rows: agents.flatMap((a) =>
              a.creditsByCurrency.map((c) => [
                a.name,
                c.currency,
                c.decisions,
                c.credits,
                formatMoney(c.total, c.currency),
                formatMoney(c.perDecision, c.currency),
              ]),
            ),
          }}
          csv={csvOf(
            ['agent', 'currency', 'decisions', 'credits', 'amount', 'per_decision'],
            agents.flatMap((a) => a.creditsByCurrency.map((c) => [a.name, c.currency, c.decisions, c.credits, c.total, c.perDecision])),
          )}
        >
          {currencies.length === 0 ? (
            <Bars rows={[]} format={figure} />
          ) : (
            currencies.map((currency) => (
              <figure key={currency}>
                {currencies.length > 1 ? <figcaption className="text-xs font-medium">{currency}</figcaption> : null}
                <Bars
                  rows={agents.flatMap((a) =>
                    a.creditsByCurrency
                      .filter((c) => c.currency === currency)
                      .map((c) => ({ label: a.name, value: Number(c.total), isHighlighted: c.isOutlier })),
                  )}
                  format={(v) => `${figure(v)} ${currency}`}
                />
              </figure>
            ))
          )}
        </ChartCard>

        <ChartCard
          id="timing"
          title="Time to first response and to decision"
          summary={`Median and 90th percentile; the dashed line is the median time a ticket has before its eligibility deadline (${h(timing.deadlineWindow.medianH)}). ${timing.decidedAfterDeadline} of ${timing.decidedWithDeadline} tickets with a deadline were decided after it.`}
          table={{
            header: ['measure', 'tickets', 'median (h)', 'p90 (h)'],
            rows: [
              ['first response', timing.firstResponse.n, timing.firstResponse.medianH, timing.firstResponse.p90H],
              ['decision', timing.decision.n, timing.decision.medianH, timing.decision.p90H],
              ['deadline window', timing.decidedWithDeadline, timing.deadlineWindow.medianH, null],
            ],
          }}
        >
          <Bars
            rows={[
              { label: 'First response, median', value: timing.firstResponse.medianH ?? 0 },
              { label: 'First response, p90', value: timing.firstResponse.p90H ?? 0 },
              { label: 'Decision, median', value: timing.decision.medianH ?? 0 },
              {
                label: 'Decision, p90',
                value: timing.decision.p90H ?? 0,
                isHighlighted: (timing.decision.p90H ?? 0) > (timing.deadlineWindow.medianH ?? Infinity),
              },
            ]}
            reference={timing.deadlineWindow.medianH ?? undefined}
            referenceLabel={timing.deadlineWindow.medianH != null ? `deadline ${h(timing.deadlineWindow.medianH)}` : undefined}
            format={h}
          />
        </ChartCard>
      </div>

      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <ChartCard
          id="decided-late"
          title="Tickets decided after their deadline"
          summary={`${timing.decidedAfterDeadline} of ${timing.decidedWithDeadline} tickets with an eligibility deadline were decided after it; per agent, of the tickets they decided first.`}
          table={{
            header: ['agent', 'tickets with a deadline', 'decided late', 'share late'],
            rows: lateAgents.map((a) => [a.name, a.withDeadline, a.late, pct(a.late / a.withDeadline)]),
          }}
          footer={
            report.lateTickets.length === 0 ? (
              <p className="text-slate-600 dark:text-slate-400">No ticket was decided late in this range.</p>
            ) : (
              <>
                <h3 className="font-medium">Decided late{report.lateTickets.length === 50 ? ' (the first 50)' : ''}</h3>
                <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1" data-testid="late-tickets">
                  {report.lateTickets.map((t) => (
                    <li key={t.ticketId}>
                      <Link
                        href={`/tickets/${t.ticketId}`}
                        className="text-indigo-700 underline underline-offset-2 hover:no-underline dark:text-indigo-300"
                      >
                        T-{t.ticketId}
                      </Link>{' '}
                      {h(t.lateH)} late, {t.staff}
                    </li>
                  ))}
                </ul>
              </>
            )
          }
        >
          <Bars rows={lateAgents.map((a) => ({ label: a.name, value: a.late }))} format={(v) => String(v)} />
        </ChartCard>

        <ChartCard
          id="approval-waits"
          title="How long decisions waited for approval"
          summary={`${approvals.waits.n} decisions waited for a second person: median ${h(approvals.waits.medianH)}, 90th percentile ${h(approvals.waits.p90H)}.`}
          table={{
            header: ['measure', 'decisions', 'hours'],
            rows: [
              ['median wait', approvals.waits.n, approvals.waits.medianH],
              ['p90 wait', approvals.waits.n, approvals.waits.p90H],
            ],
          }}
        >
          <Bars
            rows={[
              { label: 'Median', value: approvals.waits.medianH ?? 0 },
              { label: '90th percentile', value: approvals.waits.p90H ?? 0 },
            ]}
            format={h}
          />
        </ChartCard>

        <ChartCard
          id="approvals-by-approver"
          title="Who approved what"
          summary={`Decisions approved and rejected per approver: ${approvals.byApprover.reduce((n, r) => n + r.approved, 0)} approved, ${approvals.byApprover.reduce((n, r) => n + r.rejected, 0)} rejected.`}
          legend={APPROVAL_SERIES}
          table={{
            header: ['approver', 'outcome', 'approved', 'rejected'],
            rows: approvals.byApprover.map((r) => [r.approver, labelOf(OUTCOME_LABEL, r.outcome), r.approved, r.rejected]),
          }}
          csv={csvOf(
            ['approver', 'outcome', 'approved', 'rejected'],
            approvals.byApprover.map((r) => [r.approver, r.outcome, r.approved, r.rejected]),
          )}
          footer={
            approvers.length === 0 ? (
              <p className="text-slate-600 dark:text-slate-400">No approvals in this range.</p>
            ) : (
              <p>
                In the audit log:{' '}
                {approvers.map(([id, name], i) => (
                  <span key={id}>
                    {i > 0 ? ', ' : null}
                    <Link
                      href={`/audit?actor=${id}&action=decisions&from=${range.from}&to=${range.to}`}
                      className="text-indigo-700 underline underline-offset-2 hover:no-underline dark:text-indigo-300"
                    >
                      {name}
                    </Link>
                  </span>
                ))}
              </p>
            )
          }
        >
          <StackedColumns xs={[...approverColumn.keys()]} series={APPROVAL_SERIES} value={approvalsOf} xLabel={short} />
        </ChartCard>
      </div>
    </>
  );
}

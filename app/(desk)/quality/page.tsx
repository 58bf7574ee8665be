import type { Metadata } from 'next';
import Link from 'next/link';
import { Bars, ChartCard, OUTCOME_SERIES, StackedColumns, type Series } from '@/components/quality/charts';
import { buttonClass } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { requirePageActor } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getQualityReport, type QualityReport } from '@/lib/quality/metrics';

export const metadata: Metadata = { title: 'Decision quality' };

const DAY_MS = 86_400_000;
const pct = (v: number) => `${Math.round(v * 100)}%`;
const money = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const h = (v: number | null) => (v == null ? '—' : v < 48 ? `${v} h` : `${Math.round((v / 24) * 10) / 10} d`);

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const CREDIT_SERIES: Series[] = [
  { key: 'total', label: 'Credited', fill: 'fill-emerald-600 dark:fill-emerald-400', swatch: 'bg-emerald-600' },
];

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
  const creditByDay = new Map(report.creditsByDay.map((r) => [r.day, r]));
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
            {pct(team.overrideRate)} overrides, {team.creditPerDecision} credited per decision).
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
                {a.isCreditOutlier ? (
                  <>
                    {' '}
                    credited {a.creditTotal} in {a.credits} credits over {a.decisions} decisions (
                    {money(Number(a.creditTotal) / a.decisions)} a decision; the rest of the team {a.othersCreditPerDecision})
                  </>
                ) : null}
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
          summary={`${report.creditsByDay.reduce((s, r) => s + r.n, 0)} decision credits, ${team.creditTotal} in all.`}
          legend={CREDIT_SERIES}
          table={{ header: ['day', 'credits', 'amount'], rows: report.creditsByDay.map((r) => [r.day, r.n, r.total]) }}
        >
          <StackedColumns xs={xs} series={CREDIT_SERIES} value={(d) => Number(creditByDay.get(d)?.total ?? 0)} format={(v) => money(v)} />
        </ChartCard>

        <ChartCard
          id="credits-per-agent"
          title="Credits per agent"
          summary={`Amount credited per agent; red: credit per decision at least twice the rest of the team's (team: ${team.creditPerDecision}).`}
          table={{
            header: ['agent', 'decisions', 'credits', 'amount', 'per decision'],
            rows: agents.map((a) => [
              a.name,
              a.decisions,
              a.credits,
              a.creditTotal,
              money(a.decisions ? Number(a.creditTotal) / a.decisions : 0),
            ]),
          }}
        >
          <Bars
            rows={agents.map((a) => ({ label: a.name, value: Number(a.creditTotal), isHighlighted: a.isCreditOutlier }))}
            format={money}
          />
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
        <section aria-labelledby="late-title">
          <h2 id="late-title" className="mb-2 text-sm font-semibold">
            Decided after the deadline ({timing.decidedAfterDeadline})
          </h2>
          <Table label="Tickets decided after their eligibility deadline">
            <thead>
              <tr>
                <Th>Ticket</Th>
                <Th>Decided by</Th>
                <Th>Late by</Th>
              </tr>
            </thead>
            <tbody>
              {report.lateTickets.length === 0 ? (
                <Tr>
                  <Td colSpan={3} className="text-slate-600">
                    None in this range.
                  </Td>
                </Tr>
              ) : (
                report.lateTickets.map((t) => (
                  <Tr key={t.ticketId}>
                    <Td>
                      <Link href={`/tickets/${t.ticketId}`} className="text-indigo-700 hover:underline">
                        T-{t.ticketId}
                      </Link>
                    </Td>
                    <Td>{t.staff}</Td>
                    <Td className="tabular-nums">{h(t.lateH)}</Td>
                  </Tr>
                ))
              )}
            </tbody>
          </Table>
        </section>
        <section aria-labelledby="approvals-title">
          <h2 id="approvals-title" className="mb-2 text-sm font-semibold">
            Approvals: {approvals.waits.n} decisions waited a median {h(approvals.waits.medianH)} (p90 {h(approvals.waits.p90H)})
          </h2>
          <Table label="Who approved what">
            <thead>
              <tr>
                <Th>Approver</Th>
                <Th>Outcome</Th>
                <Th className="text-right">Approved</Th>
                <Th className="text-right">Rejected</Th>
              </tr>
            </thead>
            <tbody>
              {approvals.byApprover.length === 0 ? (
                <Tr>
                  <Td colSpan={4} className="text-slate-600">
                    No approvals in this range.
                  </Td>
                </Tr>
              ) : (
                approvals.byApprover.map((r) => (
                  <Tr key={`${r.approverId}-${r.outcome}`}>
                    <Td>
                      <Link
                        href={`/audit?actor=${r.approverId}&action=decisions&from=${range.from}&to=${range.to}`}
                        className="hover:underline"
                      >
                        {r.approver}
                      </Link>
                    </Td>
                    <Td>{r.outcome.replace(/_/g, ' ')}</Td>
                    <Td className="text-right tabular-nums">{r.approved}</Td>
                    <Td className="text-right tabular-nums">{r.rejected}</Td>
                  </Tr>
                ))
              )}
            </tbody>
          </Table>
        </section>
      </div>
    </>
  );
}

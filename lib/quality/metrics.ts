/**
 * Decision quality for supervisors: what was decided, how often the suggestion was followed, the
 * money credited, how fast, against the deadline, and who approved what; with the agents whose
 * override rate or credit total stands far above the team's. Aggregates in SQL (one pass each);
 * every function authorizes itself.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, queryRows } from '@/db';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { fromCents, parseMoney } from '@/lib/money';
import { parseInput } from '@/lib/validation/parse';

const DAY_MS = 86_400_000;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const day = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a date as YYYY-MM-DD.')
    .optional(),
);

export const qualityQuerySchema = z.object({
  from: day,
  to: day,
  /** One agent (staff id), or the whole team. */
  agent: z.preprocess(blank, z.coerce.number().int().positive().optional()),
  /** The team: staff of one role (agents, or everyone who decides). */
  team: z.preprocess(blank, z.enum(['all', 'agent', 'supervisor', 'admin']).optional()),
});
export type QualityQuery = z.output<typeof qualityQuerySchema>;

export interface QualityRange {
  from: string;
  to: string;
}

/** The range asked for, or the last 30 days (to = today, UTC). At most 366 days. */
export function qualityRange(q: Pick<QualityQuery, 'from' | 'to'>, now = new Date()): QualityRange {
  const to = q.to ?? now.toISOString().slice(0, 10);
  if (Number.isNaN(Date.parse(`${to}T00:00:00Z`))) throw new AppError('invalid', 'to: not a calendar date.', { to: ['Not a date.'] });
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (Number.isNaN(Date.parse(`${from}T00:00:00Z`))) throw new AppError('invalid', 'from: not a calendar date.', { from: ['Not a date.'] });
  if (from > to) throw new AppError('invalid', 'from: the range starts after it ends.', { from: ['Starts after "to".'] });
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 366 * DAY_MS)
    throw new AppError('invalid', 'from: at most a year at a time.', { from: ['At most 366 days.'] });
  return { from, to };
}

const num = (v: unknown) => (v == null ? 0 : Number(v));
const hours = (v: unknown) => (v == null ? null : Math.round((Number(v) / 3600) * 10) / 10);

/**
 * An agent is an outlier when their override rate (or credit per decision, in one currency) is at
 * least this many times the rest of the team's, and at least 10 points (or 5.00 of that currency per
 * decision) above it, over enough decisions to tell.
 */
export const OUTLIER_FACTOR = 2;
export const OUTLIER_MIN_DECISIONS = 5;

/**
 * Credits in one currency (amounts in different currencies are never added): `decisions` are the
 * decisions on tickets in that currency (the ticket's order's, else its payment's), the
 * denominator of `perDecision`.
 */
export interface CurrencyCredits {
  currency: string;
  decisions: number;
  credits: number;
  /** Decimal strings of that currency. */
  total: string;
  perDecision: string;
}

export interface AgentCurrencyCredits extends CurrencyCredits {
  /** The rest of the team in this currency (this agent left out): what the outlier flag compares with. */
  othersPerDecision: string;
  isOutlier: boolean;
}

export interface AgentRow {
  staffId: number;
  name: string;
  email: string;
  decisions: number;
  followed: number;
  overrides: number;
  overrideRate: number;
  /** Decision credits, all currencies (a count). */
  credits: number;
  /** The amounts, one entry per currency the agent decided tickets in. */
  creditsByCurrency: AgentCurrencyCredits[];
  /** The rest of the team (this agent left out): what the outlier flags compare with. */
  othersOverrideRate: number;
  isOverrideOutlier: boolean;
  /** In at least one currency. */
  isCreditOutlier: boolean;
}

export interface QualityReport {
  range: QualityRange;
  agent: number | null;
  team: string;
  staff: { id: number; name: string; role: string }[];
  decisionsByDay: { day: string; outcome: string; n: number }[];
  agents: AgentRow[];
  teamTotals: { decisions: number; overrides: number; overrideRate: number; credits: CurrencyCredits[] };
  /** Every currency credited in (most credits first, then by code): the credit charts' order. */
  currencies: string[];
  overridesByReason: { reason: string; decisions: number; overrides: number }[];
  creditsByDay: { day: string; currency: string; n: number; total: string }[];
  timing: {
    firstResponse: { n: number; medianH: number | null; p90H: number | null };
    decision: { n: number; medianH: number | null; p90H: number | null };
    deadlineWindow: { medianH: number | null };
    decidedAfterDeadline: number;
    decidedWithDeadline: number;
  };
  lateTickets: { ticketId: number; decidedAt: Date; deadline: Date; lateH: number; staff: string }[];
  /** Per agent, over the tickets they decided first (with a deadline): how many after it. */
  lateByAgent: { staffId: number; name: string; withDeadline: number; late: number }[];
  approvals: {
    waits: { n: number; medianH: number | null; p90H: number | null };
    byApprover: { approver: string; approverId: number; outcome: string; approved: number; rejected: number }[];
  };
}

/**
 * The decision-quality report over a date range (decisions by the day they were proposed), for the
 * team or one agent. Supervisors and admins.
 */
export async function getQualityReport(ctx: Ctx, input: unknown, now = new Date()): Promise<QualityReport> {
  const query = parseInput(qualityQuerySchema, input ?? {});
  const range = qualityRange(query, now);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'quality.read');
  const team = query.team ?? 'all';
  const lo = sql`${`${range.from}T00:00:00Z`}::timestamptz`;
  const hi = sql`${`${range.to}T00:00:00Z`}::timestamptz + interval '1 day'`;
  // Decisions in range, by the team or the agent chosen.
  const who: SQL[] = [sql`d.created_at >= ${lo}`, sql`d.created_at < ${hi}`];
  if (query.agent) who.push(sql`d.decided_by = ${query.agent}`);
  if (team !== 'all') who.push(sql`s.role = ${team}`);
  const where = sql.join(who, sql` and `);
  const from = sql`decisions d join staff_users s on s.id = d.decided_by`;

  const [staff, byDay, agents, byReason, creditsByDay, timing, late, lateByAgent, waits, approvers] = await Promise.all([
    queryRows<{ id: number; name: string; role: string }>(db, sql`select id, name, role from staff_users order by name`),
    queryRows<{ day: string; outcome: string; n: string }>(
      db,
      sql`select to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, d.chosen_outcome::text as outcome, count(*) as n
          from ${from} where ${where} group by 1, 2 order by 1, 2`,
    ),
    // Per agent and currency (the credit's, else the ticket's order's or payment's; null: none known).
    queryRows<{
      staff_id: string;
      name: string;
      email: string;
      currency: string | null;
      decisions: string;
      overrides: string;
      credits: string;
      credit_total: string;
    }>(
      db,
      sql`select s.id as staff_id, s.name, s.email, coalesce(l.currency, o.currency, p.currency) as currency,
                 count(*) as decisions, count(*) filter (where d.is_override) as overrides,
                 count(l.id) as credits, coalesce(sum(l.amount), 0)::text as credit_total
          from ${from} join tickets t on t.id = d.ticket_id
            left join orders o on o.id = t.order_id left join payments p on p.id = t.payment_id
            left join ledger_entries l on l.decision_id = d.id and l.kind = 'decision_credit'
          where ${where} group by s.id, s.name, s.email, 4 order by s.name, s.id, 4`,
    ),
    queryRows<{ reason: string | null; decisions: string; overrides: string }>(
      db,
      sql`select d.suggested_reasons->0->>'code' as reason, count(*) as decisions, count(*) filter (where d.is_override) as overrides
          from ${from} where ${where} group by 1 order by 3 desc, 2 desc`,
    ),
    queryRows<{ day: string; currency: string; n: string; total: string }>(
      db,
      sql`select to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, l.currency, count(*) as n, sum(l.amount)::text as total
          from ${from} join ledger_entries l on l.decision_id = d.id and l.kind = 'decision_credit'
          where ${where} group by 1, 2 order by 1, 2`,
    ),
    queryRows<Record<string, string | number | null>>(
      db,
      sql`with first_decision as (
            select distinct on (d.ticket_id) d.ticket_id, d.created_at, t.opened_at, t.eligibility_deadline
            from ${from} join tickets t on t.id = d.ticket_id where ${where}
            order by d.ticket_id, d.created_at
          ), first_reply as (
            select f.ticket_id, min(m.created_at) - f.opened_at as wait
            from first_decision f join ticket_messages m on m.ticket_id = f.ticket_id and m.staff_id is not null and not m.is_internal
            group by f.ticket_id, f.opened_at
          )
          select
            (select count(*) from first_reply) as reply_n,
            (select percentile_cont(0.5) within group (order by extract(epoch from wait)) from first_reply) as reply_median,
            (select percentile_cont(0.9) within group (order by extract(epoch from wait)) from first_reply) as reply_p90,
            count(*) as decision_n,
            percentile_cont(0.5) within group (order by extract(epoch from created_at - opened_at)) as decision_median,
            percentile_cont(0.9) within group (order by extract(epoch from created_at - opened_at)) as decision_p90,
            percentile_cont(0.5) within group (order by extract(epoch from eligibility_deadline - opened_at)) as window_median,
            count(*) filter (where created_at > eligibility_deadline) as late,
            count(eligibility_deadline) as with_deadline
          from first_decision`,
    ),
    queryRows<{ ticket_id: string; decided_at: string | Date; deadline: string | Date; late_s: string; staff: string }>(
      db,
      sql`select distinct on (d.ticket_id) d.ticket_id, d.created_at as decided_at, t.eligibility_deadline as deadline,
                 extract(epoch from d.created_at - t.eligibility_deadline) as late_s, s.name as staff
          from ${from} join tickets t on t.id = d.ticket_id
          where ${where} and d.created_at > t.eligibility_deadline
            and not exists (select 1 from decisions e where e.ticket_id = d.ticket_id and e.created_at < d.created_at)
          order by d.ticket_id, d.created_at limit 50`,
    ),
    queryRows<{ staff_id: string; name: string; with_deadline: string; late: string }>(
      db,
      sql`select s.id as staff_id, s.name, count(t.eligibility_deadline) as with_deadline,
                 count(*) filter (where d.created_at > t.eligibility_deadline) as late
          from ${from} join tickets t on t.id = d.ticket_id
          where ${where} and t.eligibility_deadline is not null
            and not exists (select 1 from decisions e where e.ticket_id = d.ticket_id and e.created_at < d.created_at)
          group by s.id, s.name order by 4 desc, s.name`,
    ),
    queryRows<{ n: string; median: number | null; p90: number | null }>(
      db,
      sql`select count(*) as n,
                 percentile_cont(0.5) within group (order by extract(epoch from d.decided_at - d.created_at)) as median,
                 percentile_cont(0.9) within group (order by extract(epoch from d.decided_at - d.created_at)) as p90
          from ${from} where ${where} and d.approval_reason is not null and d.decided_at is not null and d.approved_by is not null`,
    ),
    queryRows<{ approver: string; approver_id: string; outcome: string; approved: string; rejected: string }>(
      db,
      sql`select a.name as approver, a.id as approver_id, d.chosen_outcome::text as outcome,
                 count(*) filter (where d.state = 'executed') as approved, count(*) filter (where d.state = 'rejected') as rejected
          from ${from} join staff_users a on a.id = d.approved_by
          where ${where} and d.approval_reason is not null group by 1, 2, 3 order by 1, 3`,
    ),
  ]);

  const { rows, teamDecisions, teamOverrides, teamCredits } = agentRows(
    agents.map((a) => ({
      staffId: num(a.staff_id),
      name: a.name,
      email: a.email,
      currency: a.currency,
      decisions: num(a.decisions),
      overrides: num(a.overrides),
      credits: num(a.credits),
      creditTotal: a.credit_total,
    })),
  );
  const t = timing[0] ?? {};
  const w = waits[0];
  return {
    range,
    agent: query.agent ?? null,
    team,
    staff,
    decisionsByDay: byDay.map((r) => ({ day: r.day, outcome: r.outcome, n: num(r.n) })),
    agents: rows,
    teamTotals: {
      decisions: teamDecisions,
      overrides: teamOverrides,
      overrideRate: teamDecisions ? teamOverrides / teamDecisions : 0,
      credits: teamCredits,
    },
    currencies: teamCredits.map((c) => c.currency),
    overridesByReason: byReason.map((r) => ({ reason: r.reason ?? 'none', decisions: num(r.decisions), overrides: num(r.overrides) })),
    creditsByDay: creditsByDay.map((r) => ({ day: r.day, currency: r.currency, n: num(r.n), total: fromCents(parseMoney(r.total)) })),
    timing: {
      firstResponse: { n: num(t.reply_n), medianH: hours(t.reply_median), p90H: hours(t.reply_p90) },
      decision: { n: num(t.decision_n), medianH: hours(t.decision_median), p90H: hours(t.decision_p90) },
      deadlineWindow: { medianH: hours(t.window_median) },
      decidedAfterDeadline: num(t.late),
      decidedWithDeadline: num(t.with_deadline),
    },
    lateTickets: late.map((r) => ({
      ticketId: num(r.ticket_id),
      decidedAt: new Date(r.decided_at),
      deadline: new Date(r.deadline),
      lateH: hours(r.late_s) ?? 0,
      staff: r.staff,
    })),
    lateByAgent: lateByAgent.map((r) => ({
      staffId: num(r.staff_id),
      name: r.name,
      withDeadline: num(r.with_deadline),
      late: num(r.late),
    })),
    approvals: {
      waits: { n: num(w?.n), medianH: hours(w?.median), p90H: hours(w?.p90) },
      byApprover: approvers.map((r) => ({
        approver: r.approver,
        approverId: num(r.approver_id),
        outcome: r.outcome,
        approved: num(r.approved),
        rejected: num(r.rejected),
      })),
    },
  };
}

/** One agent's decisions in one currency (null: a ticket with no known currency), as `agentRows` reads them. */
export interface AgentCurrencyCounts {
  staffId: number;
  name: string;
  email: string;
  currency: string | null;
  decisions: number;
  overrides: number;
  credits: number;
  /** Decimal string: the sum of that currency's decision credits. */
  creditTotal: string;
}

/** Cents per decision, to whole cents (down), as a decimal string. */
const perDecision = (cents: bigint, decisions: number) => fromCents(decisions ? cents / BigInt(decisions) : 0n);

/**
 * The agents' rows, the team's totals and its credits per currency, from counts per agent and
 * currency (in the order given: by name). Override rates are over all of an agent's decisions;
 * credit amounts stay in their currency, and an agent's credit per decision in a currency is
 * compared with the rest of the team's in the same currency, over the decisions in it.
 */
export function agentRows(counts: AgentCurrencyCounts[]): {
  rows: AgentRow[];
  teamDecisions: number;
  teamOverrides: number;
  teamCredits: CurrencyCredits[];
} {
  const cents = (c: AgentCurrencyCounts) => parseMoney(c.creditTotal);
  const teamDecisions = counts.reduce((s, c) => s + c.decisions, 0);
  const teamOverrides = counts.reduce((s, c) => s + c.overrides, 0);
  const byCurrency = new Map<string, { decisions: number; credits: number; cents: bigint }>();
  for (const c of counts) {
    if (c.currency == null) continue;
    const t = byCurrency.get(c.currency) ?? { decisions: 0, credits: 0, cents: 0n };
    byCurrency.set(c.currency, { decisions: t.decisions + c.decisions, credits: t.credits + c.credits, cents: t.cents + cents(c) });
  }
  const teamCredits: CurrencyCredits[] = [...byCurrency]
    .filter(([, t]) => t.credits > 0)
    .sort(([a, x], [b, y]) => y.credits - x.credits || a.localeCompare(b))
    .map(([currency, t]) => ({
      currency,
      decisions: t.decisions,
      credits: t.credits,
      total: fromCents(t.cents),
      perDecision: perDecision(t.cents, t.decisions),
    }));
  const order = new Map(teamCredits.map((c, i) => [c.currency, i]));

  const agents = new Map<number, AgentCurrencyCounts[]>();
  for (const c of counts) agents.set(c.staffId, [...(agents.get(c.staffId) ?? []), c]);
  const rows = [...agents.values()].map((mine): AgentRow => {
    const { staffId, name, email } = mine[0]!;
    const decisions = mine.reduce((s, c) => s + c.decisions, 0);
    const overrides = mine.reduce((s, c) => s + c.overrides, 0);
    const enough = (n: number, team: number) => n >= OUTLIER_MIN_DECISIONS && team > n;
    // Against the rest of the team (the agent left out), so one agent cannot hide in an average they dominate.
    const othersDecisions = teamDecisions - decisions;
    const othersRate = othersDecisions ? (teamOverrides - overrides) / othersDecisions : 0;
    const rate = decisions ? overrides / decisions : 0;
    const creditsByCurrency = mine
      .filter((c): c is AgentCurrencyCounts & { currency: string } => c.currency != null && order.has(c.currency))
      .sort((a, b) => order.get(a.currency)! - order.get(b.currency)!)
      .map((c): AgentCurrencyCredits => {
        const team = byCurrency.get(c.currency)!;
        const own = cents(c);
        const othersN = team.decisions - c.decisions;
        const othersCents = team.cents - own;
        // Compared as cents × decisions (no division, no float): own/n ≥ F·others/m ⇔ own·m ≥ F·others·n.
        const n = BigInt(c.decisions);
        const m = BigInt(othersN);
        const isOutlier =
          enough(c.decisions, team.decisions) &&
          own > 0n &&
          own * m >= BigInt(OUTLIER_FACTOR) * othersCents * n &&
          own * m - othersCents * n >= 500n * n * m;
        return {
          currency: c.currency,
          decisions: c.decisions,
          credits: c.credits,
          total: fromCents(own),
          perDecision: perDecision(own, c.decisions),
          othersPerDecision: perDecision(othersCents, othersN),
          isOutlier,
        };
      });
    return {
      staffId,
      name,
      email,
      decisions,
      followed: decisions - overrides,
      overrides,
      overrideRate: rate,
      credits: mine.reduce((s, c) => s + c.credits, 0),
      creditsByCurrency,
      othersOverrideRate: othersRate,
      isOverrideOutlier:
        enough(decisions, teamDecisions) && overrides >= 2 && rate >= OUTLIER_FACTOR * othersRate && rate - othersRate >= 0.1,
      isCreditOutlier: creditsByCurrency.some((c) => c.isOutlier),
    };
  });
  return { rows, teamDecisions, teamOverrides, teamCredits };
}

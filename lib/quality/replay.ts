/**
 * Policy replay: re-runs the policy check over the stored facts of the tickets opened in a date
 * range, with the parameters in force and with another set (edited values, or a versioned set a
 * caller passes), and reports what would change: from which outcome to which, by reason code, the
 * tickets, and the money that would move. Read-only but for one audit event (`policy.replayed`).
 *
 * Tickets are read in keyset batches of BATCH tickets (one query each: the facts the check reads,
 * refund requests counted over each parameter set's own window and evidence counted per ticket),
 * checked in the batch, and
 * the event loop is yielded between batches, so the server stays responsive.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, getDbHandle, queryRows } from '@/db';
import { record } from '@/lib/audit';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { checkPolicy, type Decision, type PolicyParams } from '@/lib/policy';
import { DECIMAL_PATTERN } from '@/lib/policy/money';
import { assertPolicyParams } from '@/lib/policy/params';
import { currentPolicyParams } from '@/lib/policy-params';
import type { TicketFacts } from '@/lib/tickets/policy-input';
import { toPolicyInput } from '@/lib/tickets/policy-input';
import { parseInput } from '@/lib/validation/parse';
import { qualityRange, type QualityRange } from './metrics';

const BATCH = 2_000;
const LISTED = 500;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const whole = (name: string, max: number) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: `${name}: a whole number.` })
      .int(`${name}: a whole number.`)
      .min(0)
      .max(max)
      .optional(),
  );

/** The editable parameters, by the names of the form and the API. */
export const replayParamsSchema = z.object({
  /** The claim (review) window in days: `claimWindowDays`. */
  reviewWindowDays: whole('reviewWindowDays', 3650),
  minorVariancePercent: whole('minorVariancePercent', 100),
  /** Refund requests in the window that count as serial behaviour: `serialRefundRequests`. */
  refundRequestThreshold: whole('refundRequestThreshold', 1000),
  approvalThreshold: z.preprocess(
    blank,
    z.string().trim().regex(DECIMAL_PATTERN, 'approvalThreshold: an amount such as 50.00.').optional(),
  ),
});

export const replayInputSchema = replayParamsSchema.extend({
  from: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'from: YYYY-MM-DD.')
      .optional(),
  ),
  to: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'to: YYYY-MM-DD.')
      .optional(),
  ),
});
export type ReplayInput = z.input<typeof replayInputSchema>;

export interface ReplayChange {
  ticketId: number;
  from: string;
  to: string;
  reason: string;
  /** What the ticket would pay under the parameters in force, and under the replayed set (null: nothing). */
  amountBefore: string | null;
  amountAfter: string | null;
  currency: string | null;
}

export interface ReplayResult {
  range: QualityRange;
  current: PolicyParams;
  replayed: PolicyParams;
  tickets: number;
  /** Suggestions that would change: the outcome, the deciding reason or the amount. */
  changed: number;
  /** Of those, the ones whose outcome would change. */
  outcomeChanged: number;
  /** Stored suggestions that a fresh check under the parameters in force no longer gives (facts changed since). */
  staleStored: number;
  transitions: { from: string; to: string; reason: string; n: number }[];
  /** Per currency: money that would newly be paid (+), no longer be paid (−), and the net. */
  money: { currency: string; more: string; less: string; net: string }[];
  list: ReplayChange[];
  /** More changed tickets than listed. */
  isListCapped: boolean;
  seconds: number;
}

/** The parameters to replay: the current set with the edited values put in. */
export function editedParams(current: PolicyParams, edits: z.output<typeof replayParamsSchema>): PolicyParams {
  const next = {
    ...current,
    claimWindowDays: edits.reviewWindowDays ?? current.claimWindowDays,
    minorVariancePercent: edits.minorVariancePercent ?? current.minorVariancePercent,
    serialRefundRequests: edits.refundRequestThreshold ?? current.serialRefundRequests,
    approvalThreshold: edits.approvalThreshold ?? current.approvalThreshold,
  };
  const same =
    next.claimWindowDays === current.claimWindowDays &&
    next.minorVariancePercent === current.minorVariancePercent &&
    next.serialRefundRequests === current.serialRefundRequests &&
    next.approvalThreshold === current.approvalThreshold;
  return same ? current : { ...next, version: `${current.version}+replay` };
}

interface FactRow {
  id: string | number;
  opened_at: Date | string;
  claim: string;
  requested_remedy: string | null;
  order_number_given: string | null;
  target_link_given: string | null;
  explanation: string | null;
  is_mandatory_law_claimed: boolean;
  is_chargeback_threatened: boolean;
  is_reseller_downstream_dispute: boolean;
  suggested_outcome: string | null;
  o_external_id: string | null;
  o_status: string | null;
  o_status_changed_at: Date | string | null;
  o_link: string | null;
  o_quantity: number | null;
  o_delivered: number | null;
  o_charge: string | null;
  o_currency: string | null;
  s_refill_days: number | null;
  s_review_window_days: number | null;
  p_method: string | null;
  p_amount: string | null;
  p_currency: string | null;
  p_paid_at: Date | string | null;
  p_is_credited: boolean | null;
  p_duplicate_of: string | number | null;
  p_is_overcharged: boolean | null;
  p_is_balance_spent: boolean | null;
  p_processor_allows_refund: boolean | null;
  has_chargeback_open: boolean;
  is_fraud_flagged: boolean;
  /** Refund requests in the window of the parameters in force, and in the replayed set's window. */
  requests_current: string | number;
  requests_replayed: string | number;
  evidence_count: string | number;
  has_findings: boolean;
  link_valid: boolean | null;
  target_public: boolean | null;
  target_unchanged: boolean | null;
  duplicate_order_same_target: boolean | null;
  other_providers_used: boolean | null;
  platform_action: boolean | null;
  company_fault: boolean | null;
}

const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** A row of the batch query as the facts `toPolicyInput` reads (the same shape `loadTicketFacts` builds). */
function toFacts(r: FactRow, refundRequests: string | number): TicketFacts {
  return {
    ticket: {
      openedAt: date(r.opened_at),
      claim: r.claim as TicketFacts['ticket']['claim'],
      requestedRemedy: r.requested_remedy as TicketFacts['ticket']['requestedRemedy'],
      orderNumberGiven: r.order_number_given,
      targetLinkGiven: r.target_link_given,
      explanation: r.explanation,
      isMandatoryLawClaimed: r.is_mandatory_law_claimed,
      isChargebackThreatened: r.is_chargeback_threatened,
      isResellerDownstreamDispute: r.is_reseller_downstream_dispute,
    },
    order:
      r.o_external_id != null
        ? {
            externalId: r.o_external_id,
            status: r.o_status as NonNullable<TicketFacts['order']>['status'],
            statusChangedAt: date(r.o_status_changed_at!),
            link: r.o_link!,
            quantity: r.o_quantity!,
            delivered: r.o_delivered!,
            charge: r.o_charge!,
            currency: r.o_currency!,
            service: { refillDays: r.s_refill_days, reviewWindowDays: r.s_review_window_days },
          }
        : null,
    payment:
      r.p_method != null
        ? {
            method: r.p_method as NonNullable<TicketFacts['payment']>['method'],
            amount: r.p_amount!,
            currency: r.p_currency!,
            paidAt: date(r.p_paid_at!),
            isCredited: Boolean(r.p_is_credited),
            duplicateOf: r.p_duplicate_of == null ? null : Number(r.p_duplicate_of),
            isOvercharged: Boolean(r.p_is_overcharged),
            isBalanceSpent: Boolean(r.p_is_balance_spent),
            processorAllowsRefund: r.p_processor_allows_refund,
          }
        : null,
    customer: { hasChargebackOpen: r.has_chargeback_open, isFraudFlagged: r.is_fraud_flagged },
    refundRequests90d: Number(refundRequests),
    evidenceCount: Number(r.evidence_count),
    findings: r.has_findings
      ? {
          linkValid: r.link_valid,
          targetPublic: r.target_public,
          targetUnchanged: r.target_unchanged,
          duplicateOrderSameTarget: r.duplicate_order_same_target,
          otherProvidersUsed: r.other_providers_used,
          platformAction: r.platform_action,
          companyFault: r.company_fault,
        }
      : null,
  };
}

const PAYING = new Set(['balance_credit', 'original_method_refund']);
const paid = (d: Decision) => (PAYING.has(d.outcome) && d.amount ? d.amount : null);
const cents = (amount: string | null) => (amount ? Math.round(Number(amount) * 100) : 0);

/**
 * Replays the policy check over the tickets opened in `from`…`to` (default: the last 30 days) with
 * the edited parameters (or `options.params`, e.g. a versioned set), against the parameters in force.
 * Supervisors and admins. Writes nothing but its `policy.replayed` audit event.
 */
export async function replayPolicy(
  ctx: Ctx,
  input: unknown,
  options: { params?: PolicyParams; now?: Date; batchSize?: number } = {},
): Promise<ReplayResult> {
  const query = parseInput(replayInputSchema, input ?? {});
  const range = qualityRange(query, options.now);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'quality.read');
  const started = performance.now();
  const current = await currentPolicyParams(db);
  const replayed = options.params ?? editedParams(current, query);
  try {
    assertPolicyParams(replayed);
  } catch (error) {
    throw new AppError('invalid', (error as Error).message);
  }
  const now = options.now ?? new Date();
  const isPostgres = (await getDbHandle()).kind === 'postgres';
  const batchSize = options.batchSize ?? BATCH;
  const lo = `${range.from}T00:00:00Z`;
  const hi = `${range.to}T00:00:00Z`;

  let tickets = 0;
  let changed = 0;
  let outcomeChanged = 0;
  let staleStored = 0;
  const transitions = new Map<string, { from: string; to: string; reason: string; n: number }>();
  const money = new Map<string, { more: number; less: number }>();
  const list: ReplayChange[] = [];
  let after = 0;
  for (;;) {
    const rows = await db.transaction(async (tx) => {
      // The plan is a few index lookups per ticket; compiling it (JIT, chosen for the batch's size) cost more than running it.
      if (isPostgres) await tx.execute(sql`set local jit = off`);
      return queryRows<FactRow>(
        tx,
        sql`select t.id, t.opened_at, t.claim, t.requested_remedy, t.order_number_given, t.target_link_given, t.explanation,
                 t.is_mandatory_law_claimed, t.is_chargeback_threatened, t.is_reseller_downstream_dispute, t.suggested_outcome,
                 o.external_id as o_external_id, o.status as o_status, o.status_changed_at as o_status_changed_at, o.link as o_link,
                 o.quantity as o_quantity, o.delivered as o_delivered, o.charge as o_charge, o.currency as o_currency,
                 s.refill_days as s_refill_days, s.review_window_days as s_review_window_days,
                 p.method as p_method, p.amount as p_amount, p.currency as p_currency, p.paid_at as p_paid_at,
                 p.is_credited as p_is_credited, p.duplicate_of as p_duplicate_of, p.is_overcharged as p_is_overcharged,
                 p.is_balance_spent as p_is_balance_spent, p.processor_allows_refund as p_processor_allows_refund,
                 c.has_chargeback_open, c.is_fraud_flagged,
                 rq.requests_current, rq.requests_replayed,
                 (select count(*) from evidence e where e.ticket_id = t.id) as evidence_count,
                 f.ticket_id is not null as has_findings, f.link_valid, f.target_public, f.target_unchanged,
                 f.duplicate_order_same_target, f.other_providers_used, f.platform_action, f.company_fault
          from tickets t
          join customers c on c.id = t.customer_id
          left join orders o on o.id = t.order_id
          left join services s on s.id = o.service_id
          left join payments p on p.id = t.payment_id
          left join ticket_findings f on f.ticket_id = t.id
          cross join lateral (
            select count(*) filter (where r.opened_at >= t.opened_at - make_interval(days => ${current.refundRequestWindowDays}::int)) as requests_current,
                   count(*) filter (where r.opened_at >= t.opened_at - make_interval(days => ${replayed.refundRequestWindowDays}::int)) as requests_replayed
            from tickets r
            where r.customer_id = t.customer_id and r.id <> t.id and r.opened_at < t.opened_at
              and r.opened_at >= t.opened_at - make_interval(days => ${Math.max(current.refundRequestWindowDays, replayed.refundRequestWindowDays)}::int)
          ) rq
          where t.id > ${after} and t.opened_at >= ${lo}::timestamptz and t.opened_at < ${hi}::timestamptz + interval '1 day'
          order by t.id limit ${batchSize}`,
      );
    });
    for (const row of rows) {
      const input = toPolicyInput(toFacts(row, row.requests_current), now);
      const before = checkPolicy(input, current);
      const next =
        replayed === current
          ? before
          : checkPolicy(
              row.requests_replayed === row.requests_current ? input : toPolicyInput(toFacts(row, row.requests_replayed), now),
              replayed,
            );
      tickets += 1;
      if (row.suggested_outcome !== null && row.suggested_outcome !== before.outcome) staleStored += 1;
      const reasonBefore = before.reasons[0]?.code ?? '';
      const reasonAfter = next.reasons[0]?.code ?? '';
      const amountBefore = paid(before);
      const amountAfter = paid(next);
      if (before.outcome === next.outcome && reasonBefore === reasonAfter && amountBefore === amountAfter) continue;
      changed += 1;
      if (before.outcome !== next.outcome) outcomeChanged += 1;
      const key = `${before.outcome}>${next.outcome}>${reasonAfter}`;
      const entry = transitions.get(key) ?? { from: before.outcome, to: next.outcome, reason: reasonAfter, n: 0 };
      entry.n += 1;
      transitions.set(key, entry);
      const currency = next.currency ?? before.currency ?? row.o_currency ?? row.p_currency ?? 'USD';
      const delta = cents(amountAfter) - cents(amountBefore);
      if (delta !== 0) {
        const m = money.get(currency) ?? { more: 0, less: 0 };
        if (delta > 0) m.more += delta;
        else m.less -= delta;
        money.set(currency, m);
      }
      if (list.length < LISTED)
        list.push({
          ticketId: Number(row.id),
          from: before.outcome,
          to: next.outcome,
          reason: reasonAfter,
          amountBefore,
          amountAfter,
          currency,
        });
    }
    if (rows.length < batchSize) break;
    after = Number(rows[rows.length - 1]!.id);
    await yieldToLoop();
  }
  const result: ReplayResult = {
    range,
    current,
    replayed,
    tickets,
    changed,
    outcomeChanged,
    staleStored,
    transitions: [...transitions.values()].sort((a, b) => b.n - a.n),
    money: [...money.entries()].map(([currency, m]) => ({
      currency,
      more: (m.more / 100).toFixed(2),
      less: (m.less / 100).toFixed(2),
      net: ((m.more - m.less) / 100).toFixed(2),
    })),
    list,
    isListCapped: changed > list.length,
    seconds: (performance.now() - started) / 1000,
  };
  await db.transaction((tx) =>
    record(tx, {
      actor: auditActor(actor),
      action: 'policy.replayed',
      entityType: 'policy',
      entityId: current.version,
      after: {
        range,
        params: {
          claimWindowDays: replayed.claimWindowDays,
          minorVariancePercent: replayed.minorVariancePercent,
          serialRefundRequests: replayed.serialRefundRequests,
          approvalThreshold: replayed.approvalThreshold,
          version: replayed.version,
        },
        tickets,
        changed,
        outcomeChanged,
        money: result.money,
      },
      origin: ctx.origin,
    }),
  );
  return result;
}

/**
 * The demo's decision history: the resolved demo tickets get the executed decisions that resolved
 * them (the suggestion taken, or overridden with a reason; approvals by a supervisor where one is
 * needed; a ledger credit for balance credits) with their audit events, dated when they happened.
 * The decision-quality page and the audit log then have something to show. One demo agent
 * (Carlos) overrides far more often and credits far more than the rest, as a reviewer should notice.
 * Deterministic: the same tickets give the same history. Skipped when decisions already exist.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db';
import { Rng } from './random';

const HOUR_MS = 3_600_000;
const THRESHOLD_CENTS = 5_000;

interface Resolved {
  id: string | number;
  customer_id: string | number;
  opened_at: string | Date;
  suggested_outcome: string | null;
  suggested_amount: string | null;
  suggestion: { reasons?: { code: string }[]; policyVersion?: string } | null;
  amount_at_stake: string | null;
  currency: string | null;
}

const OVERRIDE_REASONS = [
  'Customer sent a screen recording that shows the drop; goodwill credit.',
  'Long-standing reseller, first complaint in a year.',
  'The provider confirmed the fault by email.',
  'Screenshots do not match the order link; denying.',
];

export async function seedDecisionHistory(db: Db, { seed = 1, now = new Date() }: { seed?: number; now?: Date } = {}): Promise<number> {
  const [existing] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from decisions`);
  if (Number(existing?.n ?? 0) > 0) return 0;
  const staff = await queryRows<{ id: string | number; email: string; role: string }>(
    db,
    sql`select id, email, role from staff_users where is_active order by id`,
  );
  const agents = staff.filter((s) => s.role === 'agent').map((s) => ({ id: Number(s.id), email: s.email, role: s.role }));
  const supervisors = staff.filter((s) => s.role === 'supervisor').map((s) => ({ id: Number(s.id), email: s.email, role: s.role }));
  if (agents.length === 0 || supervisors.length === 0) return 0;
  const outlier = agents.find((a) => a.email.startsWith('carlos@')) ?? null;
  const tickets = await queryRows<Resolved>(
    db,
    sql`select t.id, t.customer_id, t.opened_at, t.suggested_outcome, t.suggested_amount, t.suggestion, t.amount_at_stake,
               coalesce(o.currency, p.currency, 'USD') as currency
        from tickets t left join orders o on o.id = t.order_id left join payments p on p.id = t.payment_id
        where t.status = 'resolved' and t.suggested_outcome is not null order by t.id`,
  );
  const rng = Rng.derive(seed, 0xdec1);
  let made = 0;
  await db.transaction(async (tx) => {
    const events: { at: Date; sql: ReturnType<typeof sql> }[] = [];
    for (const t of tickets) {
      const ticketId = Number(t.id);
      const agent = outlier && rng.chance(0.3) ? outlier : agents[rng.int(0, agents.length - 1)]!;
      const isOutlier = agent === outlier;
      const suggested = t.suggested_outcome!;
      const override = rng.chance(isOutlier ? 0.55 : 0.08);
      let outcome = suggested;
      let amount: string | null = suggested === 'balance_credit' || suggested === 'original_method_refund' ? t.suggested_amount : null;
      if (override) {
        if (suggested === 'deny' || suggested === 'request_info' || suggested === 'verify') {
          outcome = 'balance_credit';
          const stake = Number(t.amount_at_stake ?? '10.00');
          amount = (isOutlier ? Math.max(stake, 40 + rng.int(0, 60)) : Math.max(1, stake * 0.5)).toFixed(2);
        } else {
          outcome = 'deny';
          amount = null;
        }
      }
      const cents = amount ? Math.round(Number(amount) * 100) : 0;
      const reasons = [
        ...(override ? ['override'] : []),
        ...(outcome === 'balance_credit' && cents > THRESHOLD_CENTS ? ['above_threshold'] : []),
        ...(outcome === 'original_method_refund' ? ['cash_refund'] : []),
        ...(outcome === 'escalate' ? ['escalation'] : []),
      ];
      const openedMs = new Date(t.opened_at).getTime();
      const latest = now.getTime() - HOUR_MS;
      const createdMs = Math.min(latest, openedMs + rng.real(0.5, 120) * HOUR_MS);
      const needsApproval = reasons.length > 0;
      const decidedMs = needsApproval ? Math.min(latest + HOUR_MS / 2, createdMs + rng.real(0.2, 30) * HOUR_MS) : createdMs;
      const approver = needsApproval ? supervisors[rng.int(0, supervisors.length - 1)]! : null;
      const overrideReason = override ? OVERRIDE_REASONS[rng.int(0, OVERRIDE_REASONS.length - 1)]! : null;
      const suggestedReasons = JSON.stringify(t.suggestion?.reasons ?? []);
      const [row] = await queryRows<{ id: string | number }>(
        tx,
        sql`insert into decisions (ticket_id, suggested_outcome, suggested_reasons, policy_version, chosen_outcome, amount, currency,
              is_override, override_reason, approval_reason, decided_by, approved_by, state, idempotency_key, request_hash, created_at, decided_at)
            values (${ticketId}, ${suggested}, ${suggestedReasons}::jsonb, ${t.suggestion?.policyVersion ?? '2026-06-10'}, ${outcome},
              ${amount}, ${amount ? t.currency : null}, ${override}, ${overrideReason}, ${needsApproval ? reasons.join(',') : null},
              ${agent.id}, ${approver?.id ?? null}, 'executed', ${`demo-history-${seed}-${ticketId}`}, 'demo',
              ${new Date(createdMs).toISOString()}::timestamptz, ${new Date(decidedMs).toISOString()}::timestamptz)
            returning id`,
      );
      const decisionId = Number(row!.id);
      if (outcome === 'balance_credit' && amount)
        await tx.execute(
          sql`insert into ledger_entries (customer_id, amount, currency, kind, ticket_id, decision_id, idempotency_key, created_by, created_at)
              values (${Number(t.customer_id)}, ${amount}, ${t.currency}, 'decision_credit', ${ticketId}, ${decisionId},
                ${`demo-history-credit-${seed}-${ticketId}`}, ${agent.id}, ${new Date(decidedMs).toISOString()}::timestamptz)`,
        );
      const origin = JSON.stringify({ via: 'ui', ip: '198.51.100.24', userAgent: 'Mozilla/5.0 (demo history)' });
      const event = (
        at: number,
        who: { id: number; email: string; role: string },
        action: string,
        before: unknown,
        after: unknown,
        reason: string | null,
      ) =>
        events.push({
          at: new Date(at),
          sql: sql`(${new Date(at).toISOString()}::timestamptz, ${who.id}, ${who.email}, ${who.role}, ${action}, 'decision', ${String(decisionId)},
                    ${before === null ? null : JSON.stringify(before)}::jsonb, ${JSON.stringify(after)}::jsonb, ${reason}, ${origin}::jsonb)`,
        });
      const proposed = {
        ticketId,
        state: needsApproval ? 'awaiting_approval' : 'executed',
        outcome,
        amount,
        isOverride: override,
        approvalReasons: reasons,
      };
      event(
        createdMs,
        agent,
        'decision.proposed',
        { ticketId, ticketStatus: 'open', suggestedOutcome: suggested },
        proposed,
        overrideReason,
      );
      if (approver)
        event(
          decidedMs,
          approver,
          'decision.approved',
          { ticketId, state: 'awaiting_approval' },
          { ticketId, state: 'executed', outcome, amount },
          'Checked against the evidence.',
        );
      made += 1;
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = 0; i < events.length; i += 500)
      await tx.execute(
        sql`insert into audit_events (at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, reason, origin)
            values ${sql.join(
              events.slice(i, i + 500).map((e) => e.sql),
              sql`, `,
            )}`,
      );
    // The history is the past: its reviews are not news in anyone's navigation ("My proposals").
    await tx.execute(sql`update staff_users set proposals_seen_at = ${now.toISOString()}::timestamptz`);
  });
  return made;
}

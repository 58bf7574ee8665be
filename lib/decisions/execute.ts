/**
 * Executing a decision: every effect of its outcome, inside the caller's transaction (which already
 * holds the ticket's row lock). Internal: transports never reach it; `hooks` exist for fault tests.
 */
import { sql } from 'drizzle-orm';
import { builtOnce, type Tx } from '@/db';
import type { decisions, TicketStatus } from '@/db/schema';
import { auditActor, type StaffActor, type Ctx } from '@/lib/auth/actor';
import type { AuditInput } from '@/lib/audit';
import { appendLedgerEntry } from '@/lib/ledger';
import { TICKET_CHANNEL, type TicketChange } from '@/lib/live/notify';
import { PROVIDER_JOBS_CHANNEL } from '@/lib/provider/config';
import { insertJobsSql, jobsJson, type NewProviderJob, type ProviderJobKind, type ProviderJobPayload } from '@/lib/provider/outbox';
import type { Reason } from '@/lib/policy';
import type { DecidableOutcome } from '@/lib/validation/decisions';
import { isCancelStep, type LockedTicket } from './ticket';

/**
 * The writes of an execution that do not depend on each other, as one statement (its text built
 * once): the outbox jobs (`jobs`, as `jobsJson` gives them) and the workers' wake-up per
 * job, as `enqueueProviderJobs`; the reply in the conversation (`body`, none when null); the
 * customer's suspension (`suspendCustomerId`); the ticket's new status (and no assignee with
 * `unassign`) and `notifyTicketChanged`. Returns the jobs' ids and kinds, in the order given, and
 * the message's id.
 */
const writeEffects = builtOnce<{ jobs: { id: number | string; kind: ProviderJobKind }[] | null; messageId: number | string | null }>(() => {
  const v = (name: string) => sql.placeholder(name);
  return sql`with j as (${insertJobsSql(v('jobs'))}), m as (
      insert into ticket_messages (ticket_id, staff_id, is_internal, body, created_at)
      select ${v('ticketId')}::bigint, ${v('staffId')}::bigint, false, ${v('body')}::text, ${v('now')}::timestamptz
      where ${v('body')}::text is not null
      returning id
    ), s as (
      update customers set is_suspended = true where id = ${v('suspendCustomerId')}::bigint
    ), u as (
      update tickets set status = ${v('status')}::ticket_status, updated_at = ${v('now')}::timestamptz,
        assignee_id = case when ${v('unassign')}::boolean then null else assignee_id end
      where id = ${v('ticketId')}::bigint
    )
    select (select json_agg(json_build_object('id', id, 'kind', kind) order by id)
              from (select id, kind, pg_notify(${PROVIDER_JOBS_CHANNEL}, id::text) from j) woken) as jobs,
           (select id from m) as "messageId",
           pg_notify(${TICKET_CHANNEL}, ${v('ticketChange')}::text)`;
});

/** Fault injection for tests; no transport passes it. */
export interface ExecuteHooks {
  /** Runs right after the balance credit's ledger row is inserted. */
  afterLedgerInsert?: (tx: Tx) => Promise<void>;
  /** Runs after every write of the proposal or review (audit rows included), just before commit. */
  beforeCommit?: (tx: Tx) => Promise<void>;
}

/** The ticket's status once a decision with this outcome is executed. */
export const STATUS_AFTER: Record<DecidableOutcome, TicketStatus> = {
  deny: 'resolved',
  request_info: 'waiting_customer',
  reprocess: 'resolved',
  refill: 'resolved',
  balance_credit: 'resolved',
  original_method_refund: 'resolved',
  escalate: 'escalated',
};

export interface ExecutionEffects {
  ticketStatus: { before: TicketStatus; after: TicketStatus };
  ledgerEntryId: number | null;
  jobs: { id: number; kind: ProviderJobKind }[];
  messageId: number | null;
  isAccountSuspended: boolean;
  isUnassigned: boolean;
  /** A cancel sent to the panel: the decision waits for the panel's answer (`awaiting_panel`), nothing credited, nothing told. */
  isAwaitingPanel: boolean;
}

export type DecisionRow = typeof decisions.$inferSelect;

/** The reason code of a decision credit's ledger row: `override`, or the suggestion's first reason. */
export function creditReasonCode(isOverride: boolean, suggestedReasons: unknown): string | null {
  const reasons = (suggestedReasons as Reason[] | null) ?? [];
  return isOverride ? 'override' : (reasons[0]?.code ?? null);
}

/**
 * Writes the decision's effects: the ledger row (balance credit), the outbox jobs (reprocess,
 * refill, credit_granted, account_suspended, customer_reply), the customer's reply in the
 * conversation, the customer's suspension, and the ticket's new status. The caller has already
 * checked the amount against the room left on the order or payment (under its row lock), marks the
 * decision executed and writes the audit rows.
 */
export async function executeDecision(
  tx: Tx,
  {
    decision,
    ticket,
    executor,
    now,
    ledgerEntryId: ledgerWritten = null,
  }: {
    decision: DecisionRow;
    ticket: LockedTicket;
    executor: StaffActor;
    now: Date;
    /** The balance credit's ledger row, when it was written with the decision (`propose.ts`). */
    ledgerEntryId?: number | null;
  },
  hooks: ExecuteHooks = {},
): Promise<ExecutionEffects> {
  const outcome = decision.chosenOutcome as DecidableOutcome;
  // A cancel: the panel is told to cancel and refunds the charge itself when it has. No ledger row,
  // no reply yet (the reply says "it is canceled"): both wait for the panel's answer (settle.ts).
  const isCancel = isCancelStep(outcome, ticket);
  const base: ProviderJobPayload = {
    ticketId: ticket.id,
    decisionId: decision.id,
    customerExternalId: ticket.customerExternalId,
    orderNumber: ticket.orderNumber ?? null,
  };
  const job = (kind: ProviderJobKind, payload: Partial<ProviderJobPayload>): NewProviderJob => ({
    kind,
    ticketId: ticket.id,
    decisionId: decision.id,
    payload: { ...base, ...payload },
  });

  let ledgerEntryId: number | null = null;
  if (outcome === 'balance_credit' && !isCancel) {
    // The same row as propose.ts's `insertDecision` writes with the decision.
    ledgerEntryId =
      ledgerWritten ??
      (
        await appendLedgerEntry(tx, {
          customerId: ticket.customerId,
          amount: decision.amount!,
          currency: decision.currency!,
          kind: 'decision_credit',
          ticketId: ticket.id,
          decisionId: decision.id,
          reasonCode: creditReasonCode(decision.isOverride, decision.suggestedReasons),
          note: `Decision ${decision.id} on T-${ticket.id}`,
          idempotencyKey: decision.idempotencyKey,
          createdBy: executor.id,
          createdAt: now,
        })
      ).id;
    await hooks.afterLedgerInsert?.(tx);
  }

  // The outbox jobs, in this order, go as one statement.
  const jobs: NewProviderJob[] = [];
  if (isCancel) {
    jobs.push(
      job('cancel', {
        amount: decision.amount,
        currency: decision.currency,
        message: `Cancel order ${ticket.orderNumber} for T-${ticket.id}; refund its charge to the balance when it is canceled`,
      }),
    );
  } else if (outcome === 'balance_credit') {
    jobs.push({
      ...job('credit_granted', {
        ledgerEntryId,
        amount: decision.amount,
        currency: decision.currency,
        message: `Balance credit for T-${ticket.id}`,
      }),
      ledgerEntryId,
    });
  }
  if (outcome === 'reprocess' || outcome === 'refill') {
    jobs.push(
      job(outcome, {
        message: `${outcome === 'reprocess' ? 'Reprocess' : 'Refill'} order ${ticket.orderNumber ?? '(none)'} for T-${ticket.id}`,
      }),
    );
  }
  // A cash refund is recorded as the reply that announces it, with the amount for the panel.
  const isCashRefund = outcome === 'original_method_refund';
  if (!isCancel && (decision.reply || isCashRefund)) {
    jobs.push(
      job('customer_reply', {
        message: decision.reply ?? null,
        amount: isCashRefund ? decision.amount : null,
        currency: isCashRefund ? decision.currency : null,
      }),
    );
  }
  const isAccountSuspended = decision.accountAction === 'suspend';
  if (isAccountSuspended) {
    jobs.push(job('account_suspended', { message: `Account suspended by decision ${decision.id} on T-${ticket.id}` }));
  }
  // While the panel answers, the ticket stays where it was (an approved one back to open), its bar blocked.
  const after = isCancel ? (ticket.status === 'awaiting_approval' ? 'open' : ticket.status) : STATUS_AFTER[outcome];
  const isUnassigned = outcome === 'escalate';
  const [written] = await writeEffects(tx, {
    jobs: jobsJson(jobs),
    ticketId: ticket.id,
    staffId: decision.decidedBy,
    body: decision.reply && !isCancel ? decision.reply : null,
    suspendCustomerId: isAccountSuspended ? ticket.customerId : null,
    status: after,
    unassign: isUnassigned,
    now: now.toISOString(),
    ticketChange: JSON.stringify({ id: ticket.id, kind: 'updated' } satisfies TicketChange),
  });
  const jobRows = (written?.jobs ?? []).map((j) => ({ id: Number(j.id), kind: j.kind }));
  const messageId = written?.messageId == null ? null : Number(written.messageId);

  return {
    ticketStatus: { before: ticket.status, after },
    ledgerEntryId,
    jobs: jobRows,
    messageId,
    isAccountSuspended,
    isUnassigned,
    isAwaitingPanel: isCancel,
  };
}

/** The audit rows of an execution (written last, with `recordMany`). */
export function executionAuditRows(
  ctx: Ctx,
  actor: StaffActor,
  decision: DecisionRow,
  customerId: number,
  effects: ExecutionEffects,
): AuditInput[] {
  const rows: AuditInput[] = [
    {
      actor: auditActor(actor),
      action: effects.isAwaitingPanel ? 'decision.cancel_requested' : 'decision.executed',
      entityType: 'decision',
      entityId: decision.id,
      before: { ticketId: decision.ticketId, ticketStatus: effects.ticketStatus.before },
      after: {
        ticketId: decision.ticketId,
        outcome: decision.chosenOutcome,
        amount: decision.amount,
        currency: decision.currency,
        ticketStatus: effects.ticketStatus.after,
        ledgerEntryId: effects.ledgerEntryId,
        jobs: effects.jobs,
        messageId: effects.messageId,
        isAccountSuspended: effects.isAccountSuspended,
        isUnassigned: effects.isUnassigned,
        isAwaitingPanel: effects.isAwaitingPanel,
      },
      origin: ctx.origin,
    },
  ];
  if (effects.isAccountSuspended) {
    rows.push({
      actor: auditActor(actor),
      action: 'customer.suspended',
      entityType: 'customer',
      entityId: customerId,
      before: { isSuspended: false },
      after: { isSuspended: true },
      reason: `Decision ${decision.id} on T-${decision.ticketId}`,
      origin: ctx.origin,
    });
  }
  return rows;
}

/**
 * Executing a decision: every effect of its outcome, inside the caller's transaction (which already
 * holds the ticket's row lock). Internal: transports never reach it; `hooks` exist for fault tests.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { customers, decisions, ticketMessages, tickets, type TicketStatus } from '@/db/schema';
import { auditActor, type StaffActor, type Ctx } from '@/lib/auth/actor';
import type { AuditInput } from '@/lib/audit';
import { appendLedgerEntry } from '@/lib/ledger';
import { notifyTicketChanged } from '@/lib/live/notify';
import { enqueueProviderJobs, type NewProviderJob, type ProviderJobKind, type ProviderJobPayload } from '@/lib/provider/outbox';
import type { Reason } from '@/lib/policy';
import type { DecidableOutcome } from '@/lib/validation/decisions';
import { isCancelStep, type LockedTicket } from './ticket';

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
    ledgerEntryId: written = null,
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
      written ??
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
  // The remaining writes do not depend on each other: they are sent together (pipelined on the
  // transaction's connection) and the transaction fails as a whole if any of them fails.
  const [jobRows, messageId] = await Promise.all([
    enqueueProviderJobs(tx, jobs),
    decision.reply && !isCancel
      ? tx
          .insert(ticketMessages)
          .values({ ticketId: ticket.id, staffId: decision.decidedBy, isInternal: false, body: decision.reply, createdAt: now })
          .returning({ id: ticketMessages.id })
          .then(([message]) => message!.id)
      : Promise.resolve(null),
    isAccountSuspended ? tx.update(customers).set({ isSuspended: true }).where(eq(customers.id, ticket.customerId)) : null,
    tx
      .update(tickets)
      .set({ status: after, updatedAt: now, ...(isUnassigned ? { assigneeId: null } : {}) })
      .where(eq(tickets.id, ticket.id)),
    notifyTicketChanged(tx, { id: ticket.id, kind: 'updated' }),
  ]);

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

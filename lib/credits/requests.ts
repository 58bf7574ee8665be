/**
 * Writing side of /credits: an admin requests a manual credit or the reversal of a credit; at or
 * under the approval threshold it executes at once, above it a second admin approves or rejects.
 * Each call is one transaction: the manual_credits row, the ledger entry when it executes and the
 * audit rows commit together or not at all.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { customers, ledgerEntries, manualCredits } from '@/db/schema';
import { auditActor, authorizeStaff, type StaffActor, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { lockPersonCredits, replayOf, requestHash, reviewStep, runCommand } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { appendLedgerEntry, customerBalances } from '@/lib/ledger';
import { currentCreditLimits, currentPolicyParams, type CreditLimits } from '@/lib/policy-params';
import { approvalThresholdFor } from '@/lib/policy/params';
import { enqueueProviderJob } from '@/lib/provider/outbox';
import { parseInput } from '@/lib/validation/parse';
import { requestManualCreditSchema, requestReversalSchema, reviewManualCreditSchema, type CreditReason } from '@/lib/validation/credits';
import { formatMoney, toCents } from '@/lib/money';
import { creditCurrencies } from './queries';
import { needsSecondAdmin } from './threshold';

export { IDEMPOTENCY_CONFLICT } from '@/lib/command';

export type ManualCreditState = (typeof manualCredits.state.enumValues)[number];

/** A manual credit or reversal request as it stands, with the ledger entry it wrote once executed. */
export interface ManualCreditResult {
  id: number;
  customerId: number;
  /** Positive: for a reversal, the amount it takes back. */
  amount: string;
  currency: string;
  isReversal: boolean;
  reversesLedgerId: number | null;
  reasonCode: CreditReason;
  note: string;
  state: ManualCreditState;
  requestedBy: number;
  /** The second admin who reviewed it (approved or rejected; `state` says which). */
  approvedBy: number | null;
  reviewReason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  /** The ledger entry written when it executed; null while waiting or when rejected. */
  ledgerEntryId: number | null;
  /** Why it needed a second admin, in words (above the threshold, or above a rolling-window limit); null: it needed none. */
  approvalReason: string | null;
}

/** The ledger entry of an executed manual credit carries this idempotency key: one entry per request. */
export const ledgerKeyOf = (manualCreditId: number) => `manual-credit:${manualCreditId}`;

const RESULT_COLUMNS = {
  id: manualCredits.id,
  customerId: manualCredits.customerId,
  amount: manualCredits.amount,
  currency: manualCredits.currency,
  isReversal: manualCredits.isReversal,
  reversesLedgerId: manualCredits.reversesLedgerId,
  reasonCode: manualCredits.reasonCode,
  note: manualCredits.note,
  state: manualCredits.state,
  requestedBy: manualCredits.requestedBy,
  approvedBy: manualCredits.approvedBy,
  reviewReason: manualCredits.reviewReason,
  approvalReason: manualCredits.approvalReason,
  createdAt: manualCredits.createdAt,
  decidedAt: manualCredits.decidedAt,
  ledgerEntryId: ledgerEntries.id,
};

async function resultOf(tx: Tx, manualCreditId: number): Promise<ManualCreditResult> {
  const [row] = await tx
    .select(RESULT_COLUMNS)
    .from(manualCredits)
    .leftJoin(ledgerEntries, eq(ledgerEntries.manualCreditId, manualCredits.id))
    .where(eq(manualCredits.id, manualCreditId));
  return row!;
}

/**
 * The earlier result when this key was used before for the same request (the requester is part of
 * the request's hash); a conflict when it was used for a different one; null when the key is new.
 */
async function replayByKey(tx: Tx, idempotencyKey: string, request: { hash: string; actorId: number }): Promise<ManualCreditResult | null> {
  const [earlier] = await tx
    .select({ id: manualCredits.id, requestHash: manualCredits.requestHash, requestedBy: manualCredits.requestedBy })
    .from(manualCredits)
    .where(eq(manualCredits.idempotencyKey, idempotencyKey));
  return replayOf(earlier, request, (id) => resultOf(tx, id));
}

const alreadyReversed = (ledgerEntryId: number) =>
  new AppError('conflict', `Ledger entry #${ledgerEntryId} has already been reversed; an entry can be reversed only once.`);

/** Unique violations that reach the caller, as conflicts; any other is rethrown as it is. */
function creditConflict(violation: string): string | null {
  if (violation.includes('ledger_entries_one_reversal'))
    return 'That credit has already been reversed; an entry can be reversed only once.';
  if (violation.includes('ledger_entries_idempotency_key')) return 'This request has already been executed.';
  return null;
}

/**
 * Runs one write command. Unique constraints settle races: a concurrent request with the same
 * idempotency key makes this one fail with 23505, and the second run then finds that request (a
 * replay, or a conflict when it differs); a concurrent second reversal of the same entry is a conflict.
 */
const runCreditCommand = <T>(work: (tx: Tx) => Promise<T>): Promise<T> =>
  runCommand(work, { uniqueConflict: creditConflict, retryOnceOn: 'manual_credits_idempotency_key' });

type ManualCreditRow = typeof manualCredits.$inferSelect;

/** Writes the ledger entry of a request that executes now, and its `credit.executed` audit row. */
async function executeRequest(tx: Tx, request: ManualCreditRow, actor: StaffActor, ctx: Ctx) {
  if (request.isReversal && request.reversesLedgerId !== null) {
    const [done] = await tx
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.reversesId, request.reversesLedgerId));
    if (done) throw alreadyReversed(request.reversesLedgerId);
  }
  const entry = await appendLedgerEntry(tx, {
    customerId: request.customerId,
    amount: request.isReversal ? `-${request.amount}` : request.amount,
    currency: request.currency,
    kind: request.isReversal ? 'reversal' : 'manual_credit',
    manualCreditId: request.id,
    reversesId: request.isReversal ? request.reversesLedgerId : null,
    reasonCode: request.reasonCode,
    note: request.note,
    idempotencyKey: ledgerKeyOf(request.id),
    // The requester moved the money; the approver is on the request and in the audit log.
    createdBy: request.requestedBy,
  });
  // Every ledger movement reaches the panel through the outbox, in this transaction.
  const [customer] = await tx.select({ externalId: customers.externalId }).from(customers).where(eq(customers.id, request.customerId));
  const job = await enqueueProviderJob(tx, {
    kind: request.isReversal ? 'credit_reversed' : 'credit_granted',
    ledgerEntryId: entry.id,
    payload: {
      customerExternalId: customer!.externalId,
      ledgerEntryId: entry.id,
      reversesLedgerEntryId: entry.reversesId,
      amount: request.amount,
      currency: request.currency,
      message: request.isReversal
        ? `Reversal of ledger entry #${request.reversesLedgerId} (request #${request.id}): ${request.note}`
        : `Manual credit (request #${request.id}): ${request.note}`,
    },
  });
  const balance = (await customerBalances(tx, request.customerId)).find((b) => b.currency === request.currency)?.balance ?? '0.00';
  await record(tx, {
    actor: auditActor(actor),
    action: 'credit.executed',
    entityType: 'manual_credit',
    entityId: request.id,
    after: {
      ledgerEntryId: entry.id,
      customerId: request.customerId,
      kind: entry.kind,
      amount: entry.amount,
      currency: entry.currency,
      reversesLedgerId: entry.reversesId,
      requestedBy: request.requestedBy,
      approvedBy: request.approvedBy,
      balance,
      job: { id: job.id, kind: job.kind },
    },
    origin: ctx.origin,
  });
  return entry;
}

/** Stores a new request (and executes it when it needs no second admin), with its audit rows. */
async function createRequest(
  tx: Tx,
  actor: StaffActor,
  ctx: Ctx,
  values: Pick<
    ManualCreditRow,
    'customerId' | 'amount' | 'currency' | 'isReversal' | 'reversesLedgerId' | 'reasonCode' | 'note' | 'idempotencyKey' | 'requestHash'
  >,
): Promise<ManualCreditResult> {
  const threshold = approvalThresholdFor(await currentPolicyParams(tx), values.currency);
  const windowReason = values.isReversal ? null : await splitCreditReason(tx, actor, values, await currentCreditLimits(tx));
  const secondAdminReason = needsSecondAdmin(values.amount, threshold)
    ? `${formatMoney(values.amount, values.currency)} is above the approval threshold of ${formatMoney(threshold, values.currency)}.`
    : windowReason;
  const waits = secondAdminReason !== null;
  const [request] = await tx
    .insert(manualCredits)
    .values({
      ...values,
      requestedBy: actor.id,
      approvalReason: secondAdminReason,
      state: waits ? 'awaiting_approval' : 'executed',
      decidedAt: waits ? null : new Date(),
    })
    .returning();
  await record(tx, {
    actor: auditActor(actor),
    action: 'credit.requested',
    entityType: 'manual_credit',
    entityId: request!.id,
    after: {
      customerId: values.customerId,
      amount: values.amount,
      currency: values.currency,
      isReversal: values.isReversal,
      reversesLedgerId: values.reversesLedgerId,
      reasonCode: values.reasonCode,
      note: values.note,
      state: request!.state,
      needsSecondAdmin: waits,
      secondAdminReason,
    },
    reason: values.note,
    origin: ctx.origin,
  });
  if (!waits) await executeRequest(tx, request!, actor, ctx);
  return resultOf(tx, request!.id);
}

/**
 * Four-eyes that cannot be split: what this admin has credited this customer, and everyone, within
 * the rolling window (credits they requested that executed), plus this one. Above either limit the request
 * waits for a second admin; the reason in words, or null. The caller holds the admin's credit lock
 * (`lockPersonCredits`), so a parallel request by the same admin counts this one.
 */
async function splitCreditReason(
  tx: Tx,
  actor: StaffActor,
  values: { customerId: number; amount: string; currency: string },
  limits: CreditLimits,
): Promise<string | null> {
  const [sums] = await tx
    .select({
      customer: sql<string>`coalesce(sum(${manualCredits.amount}) filter (where ${manualCredits.customerId} = ${values.customerId}), 0)::numeric(14,2)::text`,
      total: sql<string>`coalesce(sum(${manualCredits.amount}), 0)::numeric(14,2)::text`,
    })
    .from(manualCredits)
    .where(
      and(
        eq(manualCredits.requestedBy, actor.id),
        eq(manualCredits.isReversal, false),
        eq(manualCredits.state, 'executed'),
        gt(manualCredits.createdAt, sql`now() - make_interval(hours => ${limits.windowHours})`),
      ),
    );
  const customerAfter = toCents(sums!.customer) + toCents(values.amount);
  const totalAfter = toCents(sums!.total) + toCents(values.amount);
  const hours = `the last ${limits.windowHours} hours`;
  if (customerAfter > toCents(limits.manualPerCustomer))
    return `You have credited this customer ${formatMoney(sums!.customer, values.currency)} in ${hours}; with ${formatMoney(values.amount, values.currency)} more that is above the ${formatMoney(limits.manualPerCustomer, values.currency)} one admin may credit one customer alone.`;
  if (totalAfter > toCents(limits.manualPerAdminTotal))
    return `You have credited ${formatMoney(sums!.total, values.currency)} in ${hours}; with ${formatMoney(values.amount, values.currency)} more that is above the ${formatMoney(limits.manualPerAdminTotal, values.currency)} one admin may credit alone.`;
  return null;
}

/**
 * Requests a manual balance credit for a customer. At or under the approval threshold it executes
 * at once (ledger entry `manual_credit`); above it, it waits for a second admin. The currency is
 * one of the customer's ledger currencies or USD. The same idempotency key with the same request
 * returns the first result and writes nothing.
 */
export async function requestManualCredit(ctx: Ctx, input: unknown): Promise<ManualCreditResult> {
  return runCreditCommand(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'credits.manage');
    const { customerId, amount, currency, reasonCode, note, idempotencyKey } = parseInput(requestManualCreditSchema, input);
    // This admin's requests take turns, so the rolling-window count below sees every earlier one.
    await lockPersonCredits(tx, 'manual', actor.id);
    const hash = requestHash({ action: 'credit', requestedBy: actor.id, customerId, amount, currency, reasonCode, note });
    const earlier = await replayByKey(tx, idempotencyKey, { hash, actorId: actor.id });
    if (earlier) return earlier;

    const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId));
    if (!customer) throw new AppError('not_found', `There is no customer with id ${customerId}.`);
    const currencies = await creditCurrencies(tx, customerId);
    if (!currencies.includes(currency)) {
      const message = `Credit this customer in ${currencies.join(' or ')}: ${currency} is not a currency of their balance.`;
      throw new AppError('invalid', `currency: ${message}`, { currency: [message] });
    }
    return createRequest(tx, actor, ctx, {
      customerId,
      amount,
      currency,
      isReversal: false,
      reversesLedgerId: null,
      reasonCode,
      note,
      idempotencyKey,
      requestHash: hash,
    });
  });
}

/**
 * Requests the reversal of a credit issued in error: the reversal takes back the original amount in
 * its currency (ledger entry `reversal`, negative, `reverses_id` the original). An entry is reversed
 * at most once; the balance may go below zero. Above the threshold a second admin approves.
 */
export async function requestReversal(ctx: Ctx, input: unknown): Promise<ManualCreditResult> {
  return runCreditCommand(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'credits.manage');
    const { ledgerEntryId, reasonCode, note, idempotencyKey } = parseInput(requestReversalSchema, input);
    const hash = requestHash({ action: 'reversal', requestedBy: actor.id, ledgerEntryId, reasonCode, note });
    const earlier = await replayByKey(tx, idempotencyKey, { hash, actorId: actor.id });
    if (earlier) return earlier;

    // Locks the original: requests to reverse the same entry take turns, so the checks below hold.
    const [original] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.id, ledgerEntryId)).for('update');
    if (!original) throw new AppError('not_found', `There is no ledger entry #${ledgerEntryId}.`);
    if (original.kind === 'reversal' || toCents(original.amount) <= 0n) {
      throw new AppError(
        'conflict',
        `Ledger entry #${ledgerEntryId} is not a credit (it is a ${original.kind.replace('_', ' ')} of ${formatMoney(original.amount, original.currency)}); only credits can be reversed.`,
      );
    }
    const [done] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.reversesId, ledgerEntryId));
    if (done) throw alreadyReversed(ledgerEntryId);
    const [waiting] = await tx
      .select({ id: manualCredits.id })
      .from(manualCredits)
      .where(and(eq(manualCredits.reversesLedgerId, ledgerEntryId), eq(manualCredits.state, 'awaiting_approval')));
    if (waiting)
      throw new AppError(
        'conflict',
        `A reversal of ledger entry #${ledgerEntryId} is already waiting for a second admin (request #${waiting.id}).`,
      );

    return createRequest(tx, actor, ctx, {
      customerId: original.customerId,
      amount: original.amount,
      currency: original.currency,
      isReversal: true,
      reversesLedgerId: original.id,
      reasonCode,
      note,
      idempotencyKey,
      requestHash: hash,
    });
  });
}

/**
 * A second admin approves (executes) or rejects (with a reason) a request waiting for approval.
 * The requester cannot approve their own request; they may withdraw it by rejecting it.
 */
export async function reviewManualCredit(ctx: Ctx, input: unknown): Promise<ManualCreditResult> {
  return runCreditCommand(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'credits.manage');
    const { manualCreditId, approve, reason } = parseInput(reviewManualCreditSchema, input);
    // Locks the request: concurrent reviews take turns, and only the first one finds it waiting.
    const [request] = await tx.select().from(manualCredits).where(eq(manualCredits.id, manualCreditId)).for('update');
    if (!request) throw new AppError('not_found', `There is no manual credit request #${manualCreditId}.`);
    // The requester may withdraw (reject) their own request; a decided request is never replayed.
    const step = reviewStep(
      { state: request.state, requestedBy: request.requestedBy, reviewedBy: request.approvedBy },
      { actorId: actor.id, approve },
      { ownMayReject: true, replaysSameVerdict: false },
    );
    if (step === 'already_decided' || step === 'replay') {
      const what =
        request.state === 'executed'
          ? 'has already been approved and executed'
          : request.state === 'rejected'
            ? 'has already been rejected'
            : 'is not waiting for approval';
      throw new AppError('conflict', `Request #${manualCreditId} ${what}; nothing was changed.`);
    }
    if (step === 'own_request') {
      throw new AppError('forbidden', 'You requested this credit yourself; another admin has to approve it.');
    }

    const decidedAt = new Date();
    const [reviewed] = await tx
      .update(manualCredits)
      .set({ state: approve ? 'executed' : 'rejected', approvedBy: actor.id, reviewReason: reason, decidedAt })
      .where(eq(manualCredits.id, manualCreditId))
      .returning();
    await record(tx, {
      actor: auditActor(actor),
      action: approve ? 'credit.approved' : 'credit.rejected',
      entityType: 'manual_credit',
      entityId: manualCreditId,
      before: { state: request.state },
      after: {
        state: reviewed!.state,
        reviewedBy: actor.id,
        requestedBy: request.requestedBy,
        customerId: request.customerId,
        amount: request.amount,
        currency: request.currency,
        isReversal: request.isReversal,
        ...(approve ? {} : { isWithdrawn: request.requestedBy === actor.id }),
      },
      reason,
      origin: ctx.origin,
    });
    if (approve) await executeRequest(tx, reviewed!, actor, ctx);
    return resultOf(tx, manualCreditId);
  });
}

/** Reading side of /credits: the customer search, a customer's ledger, the requests awaiting a second admin. */
import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb, type Tx } from '@/db';
import type { TicketDelivery } from '@/lib/provider/deliveries';
import { customers, ledgerEntries, manualCredits, providerJobs, staffUsers } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { CUSTOMER_COLUMNS } from '@/lib/customers/columns';
import { AppError } from '@/lib/errors';
import { customerBalances } from '@/lib/ledger';
import { parseInput } from '@/lib/validation/parse';
import { customerLedgerSchema, DEFAULT_CREDIT_CURRENCY, searchCustomersSchema } from '@/lib/validation/credits';
import { currentPolicyParams } from '@/lib/policy-params';
import type { ManualCreditResult } from './requests';
import { addMoney, subtractMoney, toCents } from '@/lib/money';

export const CUSTOMER_SEARCH_LIMIT = 20;
/** The newest entries shown on a customer's view; the balance always sums the whole ledger. */
export const LEDGER_PAGE_SIZE = 200;

/** Read-only work in one transaction, so the balance and the entries come from one snapshot. */
async function readOnly<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(work, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

export type CustomerSummary = {
  id: number;
  externalId: string;
  username: string;
  email: string;
  isReseller: boolean;
  isSuspended: boolean;
  hasChargebackOpen: boolean;
  isFraudFlagged: boolean;
};

/**
 * Customers whose username or email contains `q` (case-insensitive), or whose panel id is `q`;
 * exact matches first, then by username. An empty search finds nobody.
 */
export async function searchCustomers(ctx: Ctx, input: unknown): Promise<CustomerSummary[]> {
  return readOnly(async (tx) => {
    await authorizeStaff(tx, ctx, 'credits.manage');
    const { q } = parseInput(searchCustomersSchema, input);
    if (!q) return [];
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const isExact = sql`(${customers.externalId} = ${q} or lower(${customers.username}) = lower(${q}) or lower(${customers.email}) = lower(${q}))`;
    return tx
      .select(CUSTOMER_COLUMNS)
      .from(customers)
      .where(or(eq(customers.externalId, q), ilike(customers.username, pattern), ilike(customers.email, pattern)))
      .orderBy(sql`${isExact} desc`, sql`lower(${customers.username})`, asc(customers.id))
      .limit(CUSTOMER_SEARCH_LIMIT);
  });
}

export type LedgerKind = (typeof ledgerEntries.kind.enumValues)[number];
export type StaffRef = { id: number; name: string };

export interface LedgerRow {
  id: number;
  kind: LedgerKind;
  /** Signed: positive for credits, negative for reversals. */
  amount: string;
  currency: string;
  reasonCode: string | null;
  note: string | null;
  createdAt: Date;
  createdBy: StaffRef;
  /** The second admin who approved the manual credit behind this entry, if one was needed. */
  approvedBy: StaffRef | null;
  ticketId: number | null;
  decisionId: number | null;
  manualCreditId: number | null;
  /** For a reversal: the entry it takes back. */
  reversesId: number | null;
  /** For a reversed credit: the reversal entry. */
  reversedBy: { id: number; createdAt: Date } | null;
  /** A reversal of this entry that waits for a second admin. */
  pendingReversalId: number | null;
  /** A credit (positive) that is neither reversed nor waiting to be. */
  canReverse: boolean;
  /** The balance in this entry's currency if it were reversed now (may be negative); null when it cannot be. */
  balanceAfterReversal: string | null;
  /** Its delivery to the panel (`credit_granted` / `credit_reversed` outbox job); null when none was queued (entries before the outbox carried ledger movements). */
  delivery: LedgerDelivery | null;
}

/** The delivery state of a ledger movement's outbox job, as the ticket page shows its own jobs. */
export type LedgerDelivery = Pick<TicketDelivery, 'kind' | 'state' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'deliveredAt'> & {
  jobId: number;
};

/** A request waiting for a second admin, with who asked and what it does to the balance. */
export interface ManualCreditRequest extends Pick<
  ManualCreditResult,
  'id' | 'amount' | 'currency' | 'isReversal' | 'reversesLedgerId' | 'reasonCode' | 'note' | 'createdAt'
> {
  customer: { id: number; username: string; externalId: string };
  requestedBy: StaffRef;
  /** The customer's balance in this currency now, and what it becomes when the request executes. */
  balance: string;
  balanceAfter: string;
  /** False for the requester: they cannot approve their own request. */
  canApprove: boolean;
}

export interface CustomerLedger {
  customer: CustomerSummary;
  /** Balance per currency: the sum of the whole ledger. */
  balances: { currency: string; balance: string }[];
  /** Currencies a credit may be issued in: the customer's ledger currencies, and USD. */
  currencies: string[];
  /** Newest first, at most LEDGER_PAGE_SIZE. */
  entries: LedgerRow[];
  hasMore: boolean;
  /** This customer's requests waiting for a second admin. */
  pending: ManualCreditRequest[];
  /** Amounts strictly above this need a second admin. */
  approvalThreshold: string;
}

const creator = alias(staffUsers, 'creator');
const approver = alias(staffUsers, 'approver');
const reversal = alias(ledgerEntries, 'reversal');
const requester = alias(staffUsers, 'requester');

/** The currencies a credit to this customer may use: those of their ledger, and USD. */
export async function creditCurrencies(tx: Tx, customerId: number): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ currency: ledgerEntries.currency })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, customerId));
  return [...new Set([DEFAULT_CREDIT_CURRENCY, ...rows.map((r) => r.currency)])].sort();
}

const balanceIn = (balances: { currency: string; balance: string }[], currency: string) =>
  balances.find((b) => b.currency === currency)?.balance ?? '0.00';

/** What a request does to the balance: a credit adds its amount, a reversal takes it back. */
const balanceAfterRequest = (balance: string, request: { amount: string; isReversal: boolean }) =>
  request.isReversal ? subtractMoney(balance, request.amount) : addMoney(balance, request.amount);

async function pendingRequests(tx: Tx, actorId: number, customerId?: number): Promise<ManualCreditRequest[]> {
  const rows = await tx
    .select({
      id: manualCredits.id,
      customer: { id: customers.id, username: customers.username, externalId: customers.externalId },
      amount: manualCredits.amount,
      currency: manualCredits.currency,
      isReversal: manualCredits.isReversal,
      reversesLedgerId: manualCredits.reversesLedgerId,
      reasonCode: manualCredits.reasonCode,
      note: manualCredits.note,
      requestedBy: { id: requester.id, name: requester.name },
      createdAt: manualCredits.createdAt,
      balance: sql<string>`coalesce((select sum(${ledgerEntries.amount}) from ${ledgerEntries} where ${ledgerEntries.customerId} = ${manualCredits.customerId} and ${ledgerEntries.currency} = ${manualCredits.currency}), 0)::numeric(14,2)::text`,
    })
    .from(manualCredits)
    .innerJoin(customers, eq(customers.id, manualCredits.customerId))
    .innerJoin(requester, eq(requester.id, manualCredits.requestedBy))
    .where(
      and(eq(manualCredits.state, 'awaiting_approval'), customerId === undefined ? undefined : eq(manualCredits.customerId, customerId)),
    )
    .orderBy(asc(manualCredits.createdAt), asc(manualCredits.id));
  return rows.map((r) => ({ ...r, balanceAfter: balanceAfterRequest(r.balance, r), canApprove: r.requestedBy.id !== actorId }));
}

/**
 * A customer's view: balance per currency, the newest ledger entries with who and why, whether each
 * credit can still be reversed, and their requests waiting for a second admin.
 */
export async function getCustomerLedger(ctx: Ctx, input: unknown): Promise<CustomerLedger> {
  return readOnly(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'credits.manage');
    const { customerId } = parseInput(customerLedgerSchema, input);
    const [customer] = await tx.select(CUSTOMER_COLUMNS).from(customers).where(eq(customers.id, customerId));
    if (!customer) throw new AppError('not_found', `There is no customer with id ${customerId}.`);

    const balances = await customerBalances(tx, customerId);
    const rows = await tx
      .select({
        id: ledgerEntries.id,
        kind: ledgerEntries.kind,
        amount: ledgerEntries.amount,
        currency: ledgerEntries.currency,
        reasonCode: ledgerEntries.reasonCode,
        note: ledgerEntries.note,
        createdAt: ledgerEntries.createdAt,
        createdById: creator.id,
        createdByName: creator.name,
        approvedById: approver.id,
        approvedByName: approver.name,
        ticketId: ledgerEntries.ticketId,
        decisionId: ledgerEntries.decisionId,
        manualCreditId: ledgerEntries.manualCreditId,
        reversesId: ledgerEntries.reversesId,
        reversalId: reversal.id,
        reversalAt: reversal.createdAt,
        job: {
          jobId: providerJobs.id,
          kind: providerJobs.kind,
          state: providerJobs.state,
          attempts: providerJobs.attempts,
          lastError: providerJobs.lastError,
          nextAttemptAt: providerJobs.nextAttemptAt,
          deliveredAt: providerJobs.deliveredAt,
        },
        pendingReversalId: sql<
          number | null
        >`(select min(${manualCredits.id}) from ${manualCredits} where ${manualCredits.reversesLedgerId} = ${ledgerEntries.id} and ${manualCredits.state} = 'awaiting_approval')`.mapWith(
          (v: unknown) => (v == null ? null : Number(v)),
        ),
      })
      .from(ledgerEntries)
      .innerJoin(creator, eq(creator.id, ledgerEntries.createdBy))
      .leftJoin(manualCredits, eq(manualCredits.id, ledgerEntries.manualCreditId))
      .leftJoin(approver, eq(approver.id, manualCredits.approvedBy))
      .leftJoin(reversal, eq(reversal.reversesId, ledgerEntries.id))
      .leftJoin(providerJobs, eq(providerJobs.ledgerEntryId, ledgerEntries.id))
      .where(eq(ledgerEntries.customerId, customerId))
      .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
      .limit(LEDGER_PAGE_SIZE + 1);

    const entries: LedgerRow[] = rows.slice(0, LEDGER_PAGE_SIZE).map((r) => {
      const canReverse = toCents(r.amount) > 0n && r.kind !== 'reversal' && r.reversalId === null && r.pendingReversalId === null;
      return {
        id: r.id,
        kind: r.kind,
        amount: r.amount,
        currency: r.currency,
        reasonCode: r.reasonCode,
        note: r.note,
        createdAt: r.createdAt,
        createdBy: { id: r.createdById, name: r.createdByName },
        approvedBy: r.approvedById === null || r.approvedByName === null ? null : { id: r.approvedById, name: r.approvedByName },
        ticketId: r.ticketId,
        decisionId: r.decisionId,
        manualCreditId: r.manualCreditId,
        reversesId: r.reversesId,
        reversedBy: r.reversalId === null || r.reversalAt === null ? null : { id: r.reversalId, createdAt: r.reversalAt },
        pendingReversalId: r.pendingReversalId,
        canReverse,
        balanceAfterReversal: canReverse ? subtractMoney(balanceIn(balances, r.currency), r.amount) : null,
        delivery:
          r.job?.jobId != null
            ? { ...r.job, jobId: r.job.jobId, nextAttemptAt: r.job.state === 'pending' ? r.job.nextAttemptAt : null }
            : null,
      };
    });

    return {
      customer,
      balances,
      currencies: await creditCurrencies(tx, customerId),
      entries,
      hasMore: rows.length > LEDGER_PAGE_SIZE,
      pending: await pendingRequests(tx, actor.id, customerId),
      approvalThreshold: (await currentPolicyParams(tx)).approvalThreshold,
    };
  });
}

/** Every request waiting for a second admin, oldest first; `canApprove` is false on the actor's own. */
export async function listPendingManualCredits(ctx: Ctx): Promise<ManualCreditRequest[]> {
  return readOnly(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'credits.manage');
    return pendingRequests(tx, actor.id);
  });
}

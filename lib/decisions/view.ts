/** A decision as the desk and the API show it, and the query that reads it. */
import { asc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '@/db';
import { decisions, staffUsers } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { decisionSchema, type Decision, type Reason } from '@/lib/policy';
import { APPROVAL_REASONS, type AccountAction, type ApprovalReason, type DecidableOutcome } from '@/lib/validation/decisions';

export type DecisionState = (typeof decisions.state.enumValues)[number];

/** A decision as the desk and the API show it. */
export interface DecisionView {
  id: number;
  ticketId: number;
  state: DecisionState;
  outcome: DecidableOutcome;
  amount: string | null;
  currency: string | null;
  accountAction: AccountAction;
  isOverride: boolean;
  overrideReason: string | null;
  /** Why a supervisor had to (or has to) approve it; empty: it needed no approval. */
  approvalReasons: ApprovalReason[];
  reply: string | null;
  suggestedOutcome: string;
  suggestedReasons: Reason[];
  policyVersion: string;
  /** The policy parameter set (version; 1 = built-in defaults) its suggestion and threshold came from, stored at proposal. */
  paramsVersion: number;
  proposedBy: { id: number; name: string };
  /** Who approved or rejected it. */
  reviewedBy: { id: number; name: string } | null;
  /** Why it was rejected (or the approver's note). */
  reviewReason: string | null;
  createdAt: Date;
  /** When it was executed or rejected. */
  decidedAt: Date | null;
}

const proposer = alias(staffUsers, 'proposer');
const reviewer = alias(staffUsers, 'reviewer');

export const DECISION_VIEW_COLUMNS = {
  id: decisions.id,
  ticketId: decisions.ticketId,
  state: decisions.state,
  outcome: decisions.chosenOutcome,
  amount: decisions.amount,
  currency: decisions.currency,
  accountAction: decisions.accountAction,
  isOverride: decisions.isOverride,
  overrideReason: decisions.overrideReason,
  approvalReason: decisions.approvalReason,
  reply: decisions.reply,
  suggestedOutcome: decisions.suggestedOutcome,
  suggestedReasons: decisions.suggestedReasons,
  policyVersion: decisions.policyVersion,
  paramsVersion: decisions.paramsVersion,
  proposedById: decisions.decidedBy,
  proposedByName: proposer.name,
  reviewedById: decisions.approvedBy,
  reviewedByName: reviewer.name,
  reviewReason: decisions.reviewReason,
  createdAt: decisions.createdAt,
  decidedAt: decisions.decidedAt,
};

const viewQuery = (db: Db | Tx) =>
  db
    .select(DECISION_VIEW_COLUMNS)
    .from(decisions)
    .innerJoin(proposer, eq(proposer.id, decisions.decidedBy))
    .leftJoin(reviewer, eq(reviewer.id, decisions.approvedBy));
type ViewRow = Awaited<ReturnType<typeof viewQuery>>[number];

export const parseApprovalReasons = (stored: string | null): ApprovalReason[] =>
  (stored ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ApprovalReason => (APPROVAL_REASONS as readonly string[]).includes(s));

export function toView(row: ViewRow): DecisionView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    state: row.state,
    outcome: row.outcome as DecidableOutcome,
    amount: row.amount,
    currency: row.currency,
    accountAction: row.accountAction as AccountAction,
    isOverride: row.isOverride,
    overrideReason: row.overrideReason,
    approvalReasons: parseApprovalReasons(row.approvalReason),
    reply: row.reply,
    suggestedOutcome: row.suggestedOutcome,
    suggestedReasons: Array.isArray(row.suggestedReasons) ? (row.suggestedReasons as Reason[]) : [],
    policyVersion: row.policyVersion,
    paramsVersion: row.paramsVersion,
    proposedBy: { id: row.proposedById, name: row.proposedByName ?? `staff ${row.proposedById}` },
    reviewedBy: row.reviewedById === null ? null : { id: row.reviewedById, name: row.reviewedByName ?? `staff ${row.reviewedById}` },
    reviewReason: row.reviewReason,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

/** The decisions matching `where`, oldest first, as views. */
export async function selectDecisionViews(db: Db | Tx, where: SQL | undefined, limit?: number): Promise<DecisionView[]> {
  const query = viewQuery(db).where(where).orderBy(asc(decisions.createdAt), asc(decisions.id));
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map(toView);
}

export async function decisionView(db: Db | Tx, decisionId: number): Promise<DecisionView> {
  const [view] = await selectDecisionViews(db, eq(decisions.id, decisionId));
  if (!view) throw new AppError('not_found', `There is no decision ${decisionId}.`);
  return view;
}

/** The stored policy suggestion, or null when there is none or another policy version wrote it. */
export function readStoredSuggestion(stored: unknown): Decision | null {
  if (stored == null) return null;
  const parsed = decisionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** The view of a decision row as just written, with the names of who proposed and who reviewed it. */
export function viewOfRow(row: typeof decisions.$inferSelect, names: { proposedBy: string; reviewedBy: string | null }): DecisionView {
  return toView({
    id: row.id,
    ticketId: row.ticketId,
    state: row.state,
    outcome: row.chosenOutcome,
    amount: row.amount,
    currency: row.currency,
    accountAction: row.accountAction,
    isOverride: row.isOverride,
    overrideReason: row.overrideReason,
    approvalReason: row.approvalReason,
    reply: row.reply,
    suggestedOutcome: row.suggestedOutcome,
    suggestedReasons: row.suggestedReasons,
    policyVersion: row.policyVersion,
    paramsVersion: row.paramsVersion,
    proposedById: row.decidedBy,
    proposedByName: names.proposedBy,
    reviewedById: row.approvedBy,
    reviewedByName: names.reviewedBy,
    reviewReason: row.reviewReason,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  });
}

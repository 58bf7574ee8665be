/**
 * Decisions and approvals (the money path): see README.md. Transports (server actions, REST routes)
 * call only these; the fault-injection hooks of the functions in propose.ts and review.ts are not
 * reachable from here.
 */
import type { Ctx } from '@/lib/auth/actor';
import * as propose from './propose';
import * as review from './review';

export { getDecisionContext, listPendingApprovals, listTicketDecisions, type DecisionContext, type PendingApproval } from './read';
export type { DecisionResult } from './propose';
export type { DecisionView, DecisionState } from './view';

/** Proposes a decision on a ticket; executes it at once when it needs no approval. Idempotent by `idempotencyKey`. */
export function proposeDecision(ctx: Ctx, input: unknown): Promise<propose.DecisionResult> {
  return propose.proposeDecision(ctx, input);
}

/** Approves (and executes) or rejects a decision waiting for approval. */
export function reviewDecision(ctx: Ctx, input: unknown): Promise<propose.DecisionResult> {
  return review.reviewDecision(ctx, input);
}
export { countUnseenReviews, listMyProposals, type MyProposal } from './proposals';
export { withdrawCancel } from './withdraw';

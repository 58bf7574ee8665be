'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { reviewDecision } from '@/lib/decisions';
import type { ReviewDecisionInput } from '@/lib/validation/decisions';

async function review(input: ReviewDecisionInput) {
  const result = await runAction(input, reviewDecision);
  if (result.ok) {
    revalidatePath('/approvals');
    revalidatePath(`/tickets/${result.data.decision.ticketId}`);
    revalidatePath('/tickets');
  }
  return result;
}

/** Approves a waiting decision, which executes it (ledger row, provider jobs, reply, ticket status) at once. */
export async function approveDecisionAction(input: { decisionId: number; idempotencyKey?: string }) {
  return review({ ...input, approve: true });
}

/** Rejects a waiting decision with a reason the proposer sees on the ticket. */
export async function rejectDecisionAction(input: { decisionId: number; reason: string; idempotencyKey?: string }) {
  return review({ ...input, approve: false });
}

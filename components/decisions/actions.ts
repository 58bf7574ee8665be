'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { proposeDecision } from '@/lib/decisions';
import type { ProposeDecisionInput } from '@/lib/validation/decisions';

/**
 * The decision bar's action: proposes (and, when nothing needs approval, executes) a decision. The
 * form sends a fresh Idempotency-Key per attempt, so a double submit is recorded once.
 */
export async function proposeDecisionAction(input: ProposeDecisionInput) {
  const result = await runAction(input, proposeDecision);
  if (result.ok) {
    revalidatePath(`/tickets/${result.data.decision.ticketId}`);
    revalidatePath('/tickets');
    revalidatePath('/approvals');
  }
  return result;
}

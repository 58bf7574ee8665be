'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { requestManualCredit, requestReversal, reviewManualCredit } from '@/lib/credits';
import type { RequestManualCreditInput, RequestReversalInput, ReviewManualCreditInput } from '@/lib/validation/credits';

/** Issues a manual credit (or asks a second admin to approve it); the page re-renders with the new ledger. */
export async function requestManualCreditAction(input: RequestManualCreditInput) {
  const result = await runAction(input, requestManualCredit);
  if (result.ok) revalidatePath('/credits');
  return result;
}

/** Reverses a credit (or asks a second admin to approve the reversal). */
export async function requestReversalAction(input: RequestReversalInput) {
  const result = await runAction(input, requestReversal);
  if (result.ok) revalidatePath('/credits');
  return result;
}

/** A second admin approves (executes) or rejects a waiting request. */
export async function reviewManualCreditAction(input: ReviewManualCreditInput) {
  const result = await runAction(input, reviewManualCredit);
  if (result.ok) revalidatePath('/credits');
  return result;
}

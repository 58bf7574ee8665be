'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { proposeDecision, withdrawCancel } from '@/lib/decisions';
import { saveFindings } from '@/lib/tickets/findings';
import { addTicketMessage } from '@/lib/tickets/messages';
import type { ProposeDecisionInput, WithdrawCancelInput } from '@/lib/validation/decisions';
import type { AddTicketMessageInput, SaveFindingsInput } from '@/lib/validation/tickets';

const ticketPath = (input: unknown) => {
  const id = (input as { ticketId?: unknown } | null)?.ticketId;
  return `/tickets/${encodeURIComponent(String(id))}`;
};

/** Saves the findings and re-runs the policy check; the page re-renders with the new suggestion. */
export async function saveFindingsAction(input: SaveFindingsInput) {
  const result = await runAction(input, saveFindings);
  if (result.ok) {
    revalidatePath(ticketPath(input));
    revalidatePath('/tickets');
  }
  return result;
}

/** Adds a reply or an internal note; the page re-renders with it in the conversation. */
export async function addTicketMessageAction(input: AddTicketMessageInput) {
  const result = await runAction(input, addTicketMessage);
  if (result.ok) revalidatePath(ticketPath(input));
  return result;
}

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

/** Withdraws a cancel whose delivery to the panel failed for good; the ticket goes back to the queue. */
export async function withdrawCancelAction(input: WithdrawCancelInput) {
  const result = await runAction(input, withdrawCancel);
  if (result.ok) {
    revalidatePath(`/tickets/${result.data.ticketId}`);
    revalidatePath('/tickets');
    revalidatePath('/deliveries');
  }
  return result;
}

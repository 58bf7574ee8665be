'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { saveFindings } from '@/lib/tickets/findings';
import { addTicketMessage } from '@/lib/tickets/messages';
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

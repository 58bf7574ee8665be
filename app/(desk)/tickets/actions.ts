'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { assignTicket, claimNextTicket, claimTicket, takeOverTicket } from '@/lib/tickets/claim';

export async function claimTicketAction(input: unknown) {
  const result = await runAction(input, claimTicket);
  if (result.ok) revalidatePath('/tickets', 'layout');
  return result;
}

export async function assignTicketAction(input: unknown) {
  const result = await runAction(input, assignTicket);
  if (result.ok) revalidatePath('/tickets', 'layout');
  return result;
}

/** Takes over a ticket another person has claimed; they are told on the ticket. */
export async function takeOverTicketAction(input: unknown) {
  const result = await runAction(input, takeOverTicket);
  if (result.ok) revalidatePath('/tickets', 'layout');
  return result;
}

export async function claimNextTicketAction() {
  return runAction(undefined, (ctx) => claimNextTicket(ctx));
}

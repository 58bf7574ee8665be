import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requirePageActor } from '@/lib/auth/session';
import { ticketExists } from '@/lib/tickets/detail';
import { TICKET_ID_PATTERN } from './ticket-id';

/**
 * Answers an unknown or malformed ticket id with a real 404. It runs before the page's loading
 * skeleton (loading.tsx) starts the stream; once streaming, the status is fixed at 200.
 */
export default async function TicketLayout({ children, params }: { children: ReactNode; params: Promise<{ ticketId: string }> }) {
  const { ticketId } = await params;
  if (!TICKET_ID_PATTERN.test(ticketId)) notFound();
  const { ctx } = await requirePageActor('tickets.work');
  if (!(await ticketExists(ctx, Number(ticketId)))) notFound();
  return children;
}

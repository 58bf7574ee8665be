'use client';

import { useRouter } from 'next/navigation';
import { useLive } from '@/components/live/live-provider';

/** "3 new or changed tickets — Show": the queue never jumps under the pointer. */
export function LiveNotice() {
  const router = useRouter();
  const { changedTicketIds, clearChanges } = useLive();
  if (changedTicketIds.length === 0) return null;
  const n = changedTicketIds.length;
  return (
    <button
      type="button"
      onClick={() => {
        clearChanges();
        router.refresh();
      }}
      className="rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow hover:bg-indigo-700"
      data-testid="live-notice"
    >
      {n} new or changed ticket{n === 1 ? '' : 's'} · Show
    </button>
  );
}

/** On the ticket page: this ticket changed (elsewhere or by a worker); show it when you are ready. */
export function TicketLiveNotice({ ticketId }: { ticketId: number }) {
  const router = useRouter();
  const { changedTicketIds, clearChanges } = useLive();
  if (!changedTicketIds.includes(ticketId)) return null;
  return (
    <button
      type="button"
      onClick={() => {
        clearChanges();
        router.refresh();
      }}
      className="rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow hover:bg-indigo-700"
      data-testid="ticket-live-notice"
    >
      This ticket changed · Show
    </button>
  );
}

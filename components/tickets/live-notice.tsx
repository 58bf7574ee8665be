'use client';

import { useRouter } from 'next/navigation';
import { useLive } from '@/components/live/live-provider';

/** A pill that shows waiting changes when pressed: nothing moves under the pointer by itself. */
function ShowChanges({ label, testId }: { label: string; testId: string }) {
  const router = useRouter();
  const { clearChanges } = useLive();
  return (
    <button
      type="button"
      onClick={() => {
        clearChanges();
        router.refresh();
      }}
      className="rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow hover:bg-indigo-700"
      data-testid={testId}
    >
      {label} · Show
    </button>
  );
}

/** On the queue: "3 new or changed tickets · Show". */
export function LiveNotice() {
  const n = useLive().changedTicketIds.length;
  return n ? <ShowChanges label={`${n} new or changed ticket${n === 1 ? '' : 's'}`} testId="live-notice" /> : null;
}

/** On the ticket page: this ticket changed (elsewhere or by the panel's answer). */
export function TicketLiveNotice({ ticketId }: { ticketId: number }) {
  return useLive().changedTicketIds.includes(ticketId) ? <ShowChanges label="This ticket changed" testId="ticket-live-notice" /> : null;
}

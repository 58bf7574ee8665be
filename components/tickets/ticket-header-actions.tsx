import { Viewers } from '@/components/live/live-provider';
import { ClaimButton, type ClaimTicketAction } from './claim-buttons';
import { TicketLiveNotice } from './live-notice';

/** Top right of the ticket header: who else has it open, changes made elsewhere, and Claim. */
export function TicketHeaderActions({
  ticketId,
  status,
  assigneeId,
  claimAction,
}: {
  ticketId: number;
  status: string;
  assigneeId: number | null;
  claimAction: ClaimTicketAction;
}) {
  return (
    <div className="flex flex-wrap items-center justify-end gap-3">
      <TicketLiveNotice ticketId={ticketId} />
      <Viewers ticketId={ticketId} showNames />
      {assigneeId === null && status !== 'resolved' ? <ClaimButton ticketId={ticketId} size="md" action={claimAction} /> : null}
    </div>
  );
}

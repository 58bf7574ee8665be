import { Viewers } from '@/components/live/live-provider';
import {
  ClaimButton,
  ReassignControl,
  TakeOverButton,
  type AssignTicketAction,
  type ClaimTicketAction,
  type TakeOverTicketAction,
} from './claim-buttons';
import { TicketLiveNotice } from './live-notice';

/**
 * Top right of the ticket header: who else has it open, changes made elsewhere, and the claim
 * controls: Claim (unassigned), Take over (claimed by someone else; they are told), and for
 * supervisors Reassign.
 */
export function TicketHeaderActions({
  ticketId,
  status,
  assignee,
  selfId,
  claimAction,
  takeOverAction,
  assign,
}: {
  ticketId: number;
  status: string;
  assignee: { id: number; name: string } | null;
  selfId: number;
  claimAction: ClaimTicketAction;
  takeOverAction: TakeOverTicketAction;
  /** Supervisors and admins: whom they can give the ticket to, and the action. */
  assign: { staff: { id: number; name: string; role: string }[]; action: AssignTicketAction } | null;
}) {
  const isOpen = status !== 'resolved';
  return (
    <div className="flex flex-wrap items-center justify-end gap-3">
      <TicketLiveNotice ticketId={ticketId} />
      <Viewers ticketId={ticketId} showNames />
      {isOpen && assignee === null ? <ClaimButton ticketId={ticketId} size="md" action={claimAction} /> : null}
      {isOpen && assignee !== null && assignee.id !== selfId ? (
        <TakeOverButton ticketId={ticketId} assigneeName={assignee.name} action={takeOverAction} />
      ) : null}
      {isOpen && assign ? (
        <ReassignControl ticketId={ticketId} assigneeId={assignee?.id ?? null} staff={assign.staff} action={assign.action} />
      ) : null}
    </div>
  );
}

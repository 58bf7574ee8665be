/**
 * SLOT for the queue's owner: Claim / release and presence ("also viewing") on the ticket page.
 * The page renders this at the top right of the ticket header (`data-slot="ticket-header-actions"`)
 * with everything it needs; replace the body with e.g. `<ClaimButton ticketId={ticketId} />` and
 * `<Viewers ticketId={ticketId} showNames />` (wrap the page in `LiveProvider` for the heartbeat).
 */
export function TicketHeaderActions(props: { ticketId: number; status: string; assigneeId: number | null; actorId: number }) {
  void props;
  return null;
}

import type { Metadata } from 'next';
import { BUILT_IN_VERSION } from '@/lib/policy-params';
import { notFound } from 'next/navigation';
import { DecisionPanel } from '@/components/decisions/decision-panel';
import { DeliveryList } from '@/components/delivery/delivery-status';
import { EvidenceGallery } from '@/components/evidence/evidence-gallery';
import { EvidenceUpload } from '@/components/evidence/evidence-upload';
import { LiveProvider } from '@/components/live/live-provider';
import { NextTicketButton } from '@/components/tickets/claim-buttons';
import { OtherTickets } from '@/components/tickets/other-tickets';
import { ConversationReplyForm } from '@/components/tickets/conversation-reply-form';
import { ConversationThread } from '@/components/tickets/conversation-thread';
import { FindingsForm } from '@/components/tickets/findings-form';
import { SuggestionPanel } from '@/components/tickets/suggestion-panel';
import { TicketHeader } from '@/components/tickets/ticket-header';
import { TicketHeaderActions } from '@/components/tickets/ticket-header-actions';
import { PanelEmpty, TicketPanel } from '@/components/tickets/ticket-panel';
import { TicketPayment } from '@/components/tickets/ticket-payment';
import { formatUtc, relativeToNow } from '@/lib/dates';
import { OrderTimeline } from '@/components/timeline/order-timeline';
import { roleHas } from '@/lib/auth/permissions';
import { requirePageActor } from '@/lib/auth/session';
import { getDecisionContext } from '@/lib/decisions';
import { isAppError } from '@/lib/errors';
import { isOrderClaim, isPaymentClaim } from '@/lib/policy';
import { listViewers } from '@/lib/live/presence';
import { listTicketDeliveries } from '@/lib/provider/deliveries';
import { getTicketDetail } from '@/lib/tickets/detail';
import { replyTemplates } from '@/lib/tickets/messages';
import { findingsReadFor } from '@/lib/validation/tickets';
import { listAssignees } from '@/lib/tickets/claim';
import { assignTicketAction, claimNextTicketAction, claimTicketAction, takeOverTicketAction } from '../actions';
import { addTicketMessageAction, proposeDecisionAction, saveFindingsAction, withdrawCancelAction } from './actions';
import { TICKET_ID_PATTERN } from './ticket-id';

type Params = { params: Promise<{ ticketId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { ticketId } = await params;
  return { title: TICKET_ID_PATTERN.test(ticketId) ? `T-${ticketId}` : 'Ticket' };
}

export default async function TicketPage({ params }: Params) {
  const { ticketId } = await params;
  const { actor, ctx } = await requirePageActor('tickets.work');
  if (!TICKET_ID_PATTERN.test(ticketId)) notFound();
  const id = Number(ticketId);
  const canAssign = roleHas(actor.role, 'tickets.assign');
  // All of the page's reads at once: none needs another's answer. The page streams nothing before
  // they are in (no loading skeleton), so an unknown ticket is a real 404.
  const detailRead = getTicketDetail(ctx, id).catch((error: unknown) => {
    if (!isAppError(error) || (error.code !== 'not_found' && error.code !== 'invalid')) throw error;
    return null;
  });
  const panelReads = Promise.all([
    listViewers(ctx, [id]),
    getDecisionContext(ctx, id),
    listTicketDeliveries(ctx, id),
    canAssign ? listAssignees(ctx) : Promise.resolve(null),
  ]);
  // An unknown ticket fails these too: the 404 below, not an unhandled rejection.
  panelReads.catch(() => {});
  const detail = await detailRead;
  if (!detail) notFound();
  const [viewers, decisionContext, deliveries, assignees] = await panelReads;

  const now = new Date();
  const { ticket, order, payment, evidence, findings, suggestion, messages, customer } = detail;
  const isResolved = ticket.status === 'resolved';
  const templates = replyTemplates({
    ticketId: ticket.id,
    username: customer.username,
    orderNumber: order?.externalId ?? ticket.orderNumberGiven,
    agentName: actor.name,
    suggestion,
  });
  const fromCustomer = evidence.filter((e) => e.isCustomerUpload).length;

  return (
    <LiveProvider selfId={actor.id} presenceTicketId={ticket.id} initialViewers={viewers}>
      <div data-testid="ticket-page" data-ticket-id={ticket.id} data-claim={ticket.claim} data-status={ticket.status}>
        <TicketHeader
          detail={detail}
          now={now}
          actions={
            <>
              <TicketHeaderActions
                ticketId={ticket.id}
                status={ticket.status}
                assignee={detail.assignee?.id != null ? { id: detail.assignee.id, name: detail.assignee.name } : null}
                selfId={actor.id}
                claimAction={claimTicketAction}
                takeOverAction={takeOverTicketAction}
                assign={assignees ? { staff: assignees, action: assignTicketAction } : null}
              />
              {/* On to the next one after a decision, here or with `n`. */}
              <NextTicketButton action={claimNextTicketAction} hasShortcut />
            </>
          }
        />
        {roleHas(actor.role, 'audit.read') ? (
          <a
            href={`/audit?ticket=${ticket.id}`}
            className="-mt-2 mb-3 inline-block text-sm text-indigo-700 hover:underline"
            data-testid="ticket-audit-link"
          >
            Audit log of this ticket
          </a>
        ) : null}

        {/* Two columns from 1280px: the order beside the evidence; stacked, in reading order, below that. */}
        <div className="grid items-start gap-4 xl:grid-cols-2">
          <div className="min-w-0 space-y-4" data-testid="left-column">
            <TicketPanel
              id="order"
              title="Order timeline"
              meta={order ? `${detail.timeline.length} event${detail.timeline.length === 1 ? '' : 's'}` : undefined}
            >
              {order ? (
                <OrderTimeline order={order} events={detail.timeline} ticket={ticket} now={now} />
              ) : (
                <PanelEmpty title="No order on this ticket">
                  {ticket.orderNumberGiven ? (
                    <>
                      The customer wrote order number <span className="font-mono">“{ticket.orderNumberGiven}”</span>, which matches no
                      order.
                    </>
                  ) : isPaymentClaim(ticket.claim) ? (
                    'This is a payment claim; see the payment below.'
                  ) : isOrderClaim(ticket.claim) ? (
                    'The customer gave no order number.'
                  ) : (
                    'The claim is not about one order.'
                  )}
                </PanelEmpty>
              )}
            </TicketPanel>

            <TicketPanel id="payment" title="Payment">
              {payment ? (
                <TicketPayment payment={payment} now={now} />
              ) : (
                <PanelEmpty title="No payment on this ticket">
                  {isPaymentClaim(ticket.claim)
                    ? 'The customer’s payment reference matched no payment; the policy asks for one.'
                    : 'The claim is not about a payment.'}
                </PanelEmpty>
              )}
            </TicketPanel>

            <TicketPanel
              id="other-tickets"
              title="The customer’s other tickets"
              meta={detail.otherTickets.length ? `${detail.otherTickets.length}${detail.hasMoreOtherTickets ? '+' : ''}` : undefined}
            >
              {detail.otherTickets.length ? (
                <OtherTickets tickets={detail.otherTickets} hasMore={detail.hasMoreOtherTickets} now={now} />
              ) : (
                <PanelEmpty title="No other tickets">This is the customer’s only ticket.</PanelEmpty>
              )}
            </TicketPanel>

            <TicketPanel id="delivery" title="Delivery to the panel">
              <DeliveryList deliveries={deliveries} now={now} />
            </TicketPanel>
          </div>

          <div className="min-w-0 space-y-4" data-testid="right-column">
            <TicketPanel
              id="evidence"
              title="Evidence"
              meta={
                evidence.length
                  ? `${evidence.length} file${evidence.length === 1 ? '' : 's'} · ${fromCustomer} from the customer`
                  : undefined
              }
            >
              {roleHas(actor.role, 'evidence.upload') ? <EvidenceUpload ticketId={ticket.id} /> : null}
              {evidence.length ? (
                <EvidenceGallery files={evidence} now={now} />
              ) : (
                <PanelEmpty title="No evidence attached">
                  Order and payment claims need at least one file before they can be reviewed.
                </PanelEmpty>
              )}
            </TicketPanel>

            <TicketPanel
              id="suggestion"
              title="Suggestion"
              meta={
                suggestion
                  ? `Suggested under policy ${suggestion.policyVersion}, parameters v${ticket.suggestionParamsVersion ?? BUILT_IN_VERSION}`
                  : undefined
              }
            >
              <SuggestionPanel suggestion={suggestion} isUnreadable={detail.isSuggestionUnreadable} />
            </TicketPanel>

            <TicketPanel id="decision" title="Decision">
              <DecisionPanel
                ticketId={ticket.id}
                context={decisionContext}
                action={proposeDecisionAction}
                withdrawAction={withdrawCancelAction}
              />
            </TicketPanel>

            <TicketPanel
              id="findings"
              title="Findings"
              meta={
                findings ? (
                  <span data-testid="findings-saved">
                    Saved by {findings.updatedBy?.name ?? 'the system'}{' '}
                    <time dateTime={findings.updatedAt.toISOString()} title={formatUtc(findings.updatedAt)}>
                      {relativeToNow(findings.updatedAt, now)}
                    </time>
                  </span>
                ) : (
                  'Not saved yet'
                )
              }
            >
              <FindingsForm
                ticketId={ticket.id}
                findings={findings?.values ?? null}
                savedAt={findings?.updatedAt ?? null}
                isLocked={isResolved}
                readByPolicy={findingsReadFor(ticket.claim)}
                action={saveFindingsAction}
              />
            </TicketPanel>

            <TicketPanel
              id="conversation"
              title="Conversation"
              meta={messages.length ? `${messages.length} message${messages.length === 1 ? '' : 's'}` : undefined}
            >
              <div className="space-y-3">
                {messages.length ? (
                  <ConversationThread messages={messages} customerName={customer.username} now={now} />
                ) : (
                  <PanelEmpty title="No messages yet">Replies and internal notes appear here.</PanelEmpty>
                )}
                <ConversationReplyForm
                  ticketId={ticket.id}
                  templates={templates}
                  action={addTicketMessageAction}
                  canSetStatus={ticket.status !== 'awaiting_approval' && ticket.status !== 'resolved'}
                />
              </div>
            </TicketPanel>
          </div>
        </div>
      </div>
    </LiveProvider>
  );
}

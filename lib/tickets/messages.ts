import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { customers, orders, ticketMessages, tickets } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import { getClause, type Decision, type MissingInfo, type Outcome, type ReasonCode } from '@/lib/policy';
import { enqueueProviderJob } from '@/lib/provider/outbox';
import { parseInput } from '@/lib/validation/parse';
import { CUSTOMER_REASON, customerReasons } from './customer-words';
import { addTicketMessageSchema, type MessageKind } from '@/lib/validation/tickets';
import { checkClaimOf } from './claim';

/**
 * Adds a reply to the customer or an internal note to a ticket, with its audit row
 * (`ticket.reply_sent` / `ticket.note_added`) in the same transaction.
 */
export async function addTicketMessage(ctx: Ctx, input: unknown) {
  const { ticketId, body, isInternal, setStatus } = parseInput(addTicketMessageSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.work');
    const [ticket] = await tx
      .select({ id: tickets.id, status: tickets.status, customerExternalId: customers.externalId, orderNumber: orders.externalId })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .leftJoin(orders, eq(orders.id, tickets.orderId))
      .where(eq(tickets.id, ticketId))
      // A reply may stamp the ticket's first response (trigger) or set its status: lock the row for that
      // update now, so parallel replies take turns instead of deadlocking on a shared lock's upgrade.
      .for(setStatus || !isInternal ? 'update' : 'share', { of: tickets });
    if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);
    await checkClaimOf(tx, ticketId, actor);
    const statusAfter = !isInternal && setStatus && setStatus !== ticket.status ? setStatus : null;
    if (statusAfter && (ticket.status === 'awaiting_approval' || ticket.status === 'resolved')) {
      throw new AppError(
        'conflict',
        ticket.status === 'resolved'
          ? `T-${ticketId} is already resolved; send the reply without changing its status.`
          : `T-${ticketId} has a decision waiting for approval; its status follows that decision. Send the reply without changing the status.`,
      );
    }
    const [message] = await tx
      .insert(ticketMessages)
      .values({ ticketId, staffId: actor.id, isInternal, body })
      .returning({ id: ticketMessages.id, createdAt: ticketMessages.createdAt });
    // A reply reaches the customer through the panel, delivered from the outbox.
    if (!isInternal) {
      await enqueueProviderJob(tx, {
        kind: 'customer_reply',
        ticketId,
        payload: { ticketId, customerExternalId: ticket.customerExternalId, orderNumber: ticket.orderNumber, message: body },
      });
    }
    if (statusAfter) {
      await tx.update(tickets).set({ status: statusAfter, updatedAt: new Date() }).where(eq(tickets.id, ticketId));
      await record(tx, {
        actor: auditActor(actor),
        action: 'ticket.status_changed',
        entityType: 'ticket',
        entityId: ticketId,
        before: { status: ticket.status },
        after: { status: statusAfter, by: 'reply', messageId: message!.id },
        origin: ctx.origin,
      });
    }
    await record(tx, {
      actor: auditActor(actor),
      action: isInternal ? 'ticket.note_added' : 'ticket.reply_sent',
      entityType: 'ticket',
      entityId: ticketId,
      after: { messageId: message!.id, isInternal, body },
      origin: ctx.origin,
    });
    return {
      id: message!.id,
      ticketId,
      isInternal,
      body,
      createdAt: message!.createdAt,
      author: { id: actor.id, name: actor.name },
      status: statusAfter ?? ticket.status,
    };
  });
}

export interface ReplyTemplate {
  id: string;
  label: string;
  /** Whether the text is meant for the customer (`reply`) or for colleagues (`note`). */
  kind: MessageKind;
  body: string;
}

export interface ReplyTemplateInput {
  ticketId: number;
  username: string;
  orderNumber: string | null;
  /** The signature: the agent's name. */
  agentName: string;
  suggestion: Decision | null;
}

const MISSING_WORDS: Record<MissingInfo, string> = {
  order_number: 'the order number',
  target_link: 'the link or username exactly as you submitted it with the order',
  explanation: 'a short description of what went wrong',
  evidence: 'a screenshot or other proof of the problem',
  payment_reference: 'the payment’s transaction id (and the payment method you used)',
};

const money = (d: Decision) => (d.amount && d.currency ? formatMoney(d.amount, d.currency) : 'the amount due');

/** One or two sentences telling the customer what the suggested outcome means for them. */
function outcomeSentence(d: Decision): string {
  const sentences: Record<Outcome, string> = {
    deny: 'After reviewing your request, we are not able to offer a refund, credit or redo in this case.',
    request_info: `To review your request we need ${listWords(d.missingInfo.map((m) => MISSING_WORDS[m]))}. Please reply to this message with ${d.missingInfo.length > 1 ? 'these details' : 'it'}.`,
    verify: 'We are checking the details of your request with our team and will get back to you as soon as we have an answer.',
    reprocess: 'We will run your order again at no extra cost.',
    refill: 'We will request a refill for your order.',
    balance_credit: `We will add ${money(d)} to your panel balance.`,
    original_method_refund: `We will refund ${money(d)} to your original payment method after a final check.`,
    escalate: 'We have passed your request to a senior member of the team, who will get back to you.',
  };
  return sentences[d.outcome];
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'a few more details';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const reasonLine = (r: Decision['reasons'][number]) => `${r.summary} (policy: ${getClause(r.clause).title})`;

/**
 * Reply templates for the reply box, from the ticket's stored suggestion: the whole suggestion
 * explained to the customer, each reason on its own, an acknowledgement, and an internal note that
 * sums the suggestion up for colleagues. Pure: same input, same templates.
 */
export function replyTemplates(input: ReplyTemplateInput): ReplyTemplate[] {
  const { ticketId, username, orderNumber, agentName, suggestion } = input;
  const greeting = `Hello ${username},`;
  const about = orderNumber ? `your ticket T-${ticketId} about order ${orderNumber}` : `your ticket T-${ticketId}`;
  const closing = `Best regards,\n${agentName}`;
  const reply = (...paragraphs: string[]) => [greeting, ...paragraphs, closing].join('\n\n');

  const templates: ReplyTemplate[] = [
    {
      id: 'acknowledge',
      label: 'Acknowledge: we are looking into it',
      kind: 'reply',
      body: reply(`Thank you for contacting us about ${about}. We are looking into it and will get back to you shortly.`),
    },
  ];
  if (!suggestion) return templates;

  const reasons = customerReasons(suggestion);
  templates.unshift({
    id: 'suggestion',
    label: `Suggested outcome: ${OUTCOME_LABEL[suggestion.outcome]}`,
    kind: 'reply',
    body: reply(
      `Thank you for contacting us about ${about}. ${outcomeSentence(suggestion)}`,
      ...(reasons.length ? [reasons.join(' ')] : []),
    ),
  });
  // One template per reason, in the customer's words; the label names the reason for the agent.
  suggestion.reasons.forEach((r, i) => {
    const words = CUSTOMER_REASON[r.code as ReasonCode];
    if (!words) return;
    templates.push({
      id: `reason-${i}-${r.code}`,
      label: `Reason: ${getClause(r.clause).title} (${r.code})`,
      kind: 'reply',
      body: reply(`Regarding ${about}: ${words}`),
    });
  });
  const noteLines = [
    `Policy ${suggestion.policyVersion} suggests ${OUTCOME_LABEL[suggestion.outcome]}${suggestion.amount ? ` of ${money(suggestion)}` : ''}${suggestion.requiresApproval === 'supervisor' ? ' (needs supervisor approval)' : ''}.`,
    ...suggestion.reasons.map((r) => `- ${r.code}: ${reasonLine(r)}`),
    ...(suggestion.toVerify.length ? [`To verify: ${suggestion.toVerify.join(', ')}.`] : []),
    ...(suggestion.missingInfo.length ? [`Missing: ${suggestion.missingInfo.join(', ')}.`] : []),
  ];
  templates.push({ id: 'note-summary', label: 'Internal note: the suggestion in brief', kind: 'note', body: noteLines.join('\n') });
  return templates;
}

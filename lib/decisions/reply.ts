/**
 * Customer replies drafted for a decision: the outcome in plain words, then the policy's reasons
 * as a support person would say them (only when the agent takes the suggested outcome; an override's
 * reasons are the agent's own). Pure: same input, same text.
 */
import type { Decision, MissingInfo } from '@/lib/policy';
import { customerReasons } from '@/lib/tickets/customer-words';
import { AMOUNT_TOKEN, type DecidableOutcome } from '@/lib/validation/decisions';

/** What is missing, in the customer's words. */
export const MISSING_WORDS: Record<MissingInfo, string> = {
  order_number: 'the order number',
  target_link: 'the link or username exactly as you submitted it with the order',
  explanation: 'a short description of what went wrong',
  evidence: 'a screenshot or other proof of the problem',
  payment_reference: 'the payment’s transaction id (and the payment method you used)',
};

export interface DraftInput {
  ticketId: number;
  username: string;
  orderNumber: string | null;
  /** The signature. */
  agentName: string;
  outcome: DecidableOutcome;
  suggestion: Decision | null;
}

/** The list of what the customer must send, one line each; empty when the suggestion names nothing. */
export function missingInfoLines(suggestion: Decision | null): string[] {
  return (suggestion?.missingInfo ?? []).map((m) => `- ${MISSING_WORDS[m] ?? m}`);
}

function outcomeParagraphs(outcome: DecidableOutcome, suggestion: Decision | null): string[] {
  switch (outcome) {
    case 'deny':
      return ['After reviewing your request, we are not able to offer a refund, credit or redo in this case.'];
    case 'request_info': {
      const lines = missingInfoLines(suggestion);
      return lines.length
        ? [
            `To review your request we need the following from you:\n${lines.join('\n')}`,
            'Please reply to this message with these details.',
          ]
        : ['To review your request we need a few more details from you. Please reply to this message with them.'];
    }
    case 'reprocess':
      return ['We will run your order again at no extra cost.'];
    case 'refill':
      return ['We will request a refill for your order.'];
    case 'balance_credit':
      return [`We have added ${AMOUNT_TOKEN} to your panel balance.`];
    case 'original_method_refund':
      return [`We will refund ${AMOUNT_TOKEN} to your original payment method. It can take a few business days to appear.`];
    case 'escalate':
      return ['We have passed your request to a senior member of the team, who will get back to you.'];
  }
}

/**
 * A reply for `outcome`, with `{{amount}}` where the amount goes (see `fillDraft`). The policy's
 * reasons, in the customer's words, follow when the outcome is the suggested one.
 */
export function draftReply(input: DraftInput): string {
  const { ticketId, username, orderNumber, agentName, outcome, suggestion } = input;
  const about = orderNumber ? `your ticket T-${ticketId} about order ${orderNumber}` : `your ticket T-${ticketId}`;
  const [first, ...rest] = outcomeParagraphs(outcome, suggestion);
  const paragraphs = [`Hello ${username},`, `Thank you for contacting us about ${about}. ${first}`, ...rest];
  // The reasons in the customer's words (lib/tickets/customer-words.ts), never the clause titles.
  if (suggestion && suggestion.outcome === outcome && outcome !== 'request_info') {
    const reasons = customerReasons(suggestion);
    if (reasons.length) paragraphs.push(reasons.join(' '));
  }
  paragraphs.push(`Best regards,\n${agentName}`);
  return paragraphs.join('\n\n');
}

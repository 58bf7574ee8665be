/**
 * The rules a proposal is held to, as pure functions of the ticket, the policy's suggestion and the
 * room left on the order or payment (no database, no clock): `proposeDecision` applies them in this
 * file's order, reading what they need under the ticket's lock. Each refusal is a typed `AppError`.
 */
import { AppError } from '@/lib/errors';
import type { Decision } from '@/lib/policy';
import {
  OVERRIDE_REASON_MIN,
  amountCents,
  isOverrideOf,
  isPayingOutcome,
  sameAmount,
  type AccountAction,
  type DecidableOutcome,
  type SuggestedChoice,
} from '@/lib/validation/decisions';
import { describeRoom, money, type CreditRoom } from './credit-room';

const OUTCOME_WORDS: Record<string, string> = {
  deny: 'deny',
  request_info: 'request information',
  verify: 'verify the facts first',
  reprocess: 'reprocess',
  refill: 'refill',
  balance_credit: 'a balance credit',
  original_method_refund: 'a cash refund',
  escalate: 'escalate',
};

export const suggestedChoiceOf = (s: Decision | null): SuggestedChoice | null =>
  s && { outcome: s.outcome, amount: s.amount, accountAction: s.accountAction, requiresApproval: s.requiresApproval };

/** The suggestion in words: "a balance credit of 7.50 USD". */
export function describeSuggestion(s: Decision | null): string {
  if (!s) return 'nothing yet';
  return `${OUTCOME_WORDS[s.outcome] ?? s.outcome}${s.amount ? ` of ${money(s.amount, s.currency)}` : ''}`;
}

const invalid = (field: string, message: string) => new AppError('invalid', `${field}: ${message}`, { [field]: [message] });

/** What the agent proposes (parsed by `proposeDecisionSchema`). */
export interface Proposal {
  outcome: DecidableOutcome;
  amount?: string;
  reason?: string;
  reply?: string;
  accountAction?: AccountAction;
}

/**
 * 1. Whether the ticket takes a proposal now: not resolved, nothing waiting for approval, and an
 * outcome it can take (reprocess and refill need an order; an escalated ticket is not escalated again).
 */
export function checkTicketTakesProposal(
  ticket: { id: number; status: string; orderId: number | null },
  pendingDecisionId: number | null,
  outcome: DecidableOutcome,
): void {
  const t = `T-${ticket.id}`;
  if (ticket.status === 'resolved') throw new AppError('conflict', `${t} is already resolved.`);
  if (pendingDecisionId !== null) throw new AppError('conflict', `${t} already has a decision waiting for approval.`);
  if ((outcome === 'reprocess' || outcome === 'refill') && ticket.orderId === null) {
    throw invalid('outcome', `${t} has no order to ${outcome}.`);
  }
  if (outcome === 'escalate' && ticket.status === 'escalated') {
    throw new AppError('conflict', `${t} is already escalated; a supervisor decides it from here.`);
  }
}

/**
 * 2. The proposal against the suggestion: the account action (the suggestion's unless given) and
 * whether it is an override, which needs a written reason of at least 15 characters.
 */
export function choiceAgainst(suggestion: Decision, p: Proposal): { accountAction: AccountAction; isOverride: boolean } {
  const accountAction = p.accountAction ?? suggestion.accountAction;
  const isOverride = isOverrideOf(suggestedChoiceOf(suggestion), { outcome: p.outcome, amount: p.amount ?? null, accountAction });
  if (isOverride && (p.reason ?? '').length < OVERRIDE_REASON_MIN) {
    throw invalid(
      'reason',
      `This departs from the suggestion (${describeSuggestion(suggestion)}), so it needs a written reason of at least ${OVERRIDE_REASON_MIN} characters.`,
    );
  }
  return { accountAction, isOverride };
}

/**
 * 3. The amount and currency of a paying outcome (null for the others). The amount is the given one
 * or the suggestion's for the same outcome; the cap is the room left on the order or payment, and
 * when taking the suggestion also the suggested amount.
 */
export function paymentOf(
  ticketId: number,
  p: Proposal,
  suggestion: Decision,
  isOverride: boolean,
  room: CreditRoom | null,
): { amount: string | null; currency: string | null } {
  if (!isPayingOutcome(p.outcome)) return { amount: null, currency: null };
  const t = `T-${ticketId}`;
  if (!room) throw invalid('amount', `${t} has no order or payment, so there is nothing to credit or refund.`);
  const amount = p.amount ?? (suggestion.outcome === p.outcome ? suggestion.amount : null);
  if (!amount) throw invalid('amount', `Give the amount: the suggestion (${describeSuggestion(suggestion)}) names none for this outcome.`);
  const currency = room.currency;
  const suggestedCap = !isOverride && suggestion.amount ? suggestion.amount : null;
  const cap = suggestedCap && amountCents(suggestedCap) < amountCents(room.remaining) ? suggestedCap : room.remaining;
  if (amountCents(amount) > amountCents(cap)) {
    const why = sameAmount(cap, suggestedCap) ? `the policy allows ${money(cap, currency)}` : describeRoom(room);
    throw invalid('amount', `At most ${money(cap, currency)} can be paid on ${t} (${why}); ${money(amount, currency)} is more.`);
  }
  return { amount, currency };
}

/**
 * 4. A request for information needs the agent's own reply unless it follows a suggestion that
 * lists what is missing (the drafted reply then says exactly that).
 */
export function checkReplyGiven(p: Proposal, suggestion: Decision): void {
  if (p.outcome === 'request_info' && !p.reply && (p.outcome !== suggestion.outcome || suggestion.missingInfo.length === 0)) {
    throw invalid('reply', 'Write the reply: say exactly what the customer must send (the policy names nothing missing here).');
  }
}

/**
 * 5. A cancel (a balance credit on a cancel request for an order not started) refunds the order's
 * whole charge: the panel cancels the order and refunds its own charge, so no other amount can be
 * promised (`isCancelStep` of ./ticket says when a credit is a cancel).
 */
export function checkCancelAmount(
  ticket: { id: number; orderNumber: string | null; orderCharge: string | null; orderCurrency: string | null },
  amount: string | null,
): void {
  if (amount === null || ticket.orderCharge === null || sameAmount(amount, ticket.orderCharge)) return;
  throw invalid(
    'amount',
    `A cancel refunds order ${ticket.orderNumber}’s whole charge of ${money(ticket.orderCharge, ticket.orderCurrency)}, which the panel refunds when it cancels the order; ${money(amount, ticket.orderCurrency)} is not that charge.`,
  );
}

/**
 * Reason codes, the clauses each may cite, and the one-sentence summaries an agent reads aloud.
 */
import type { Case } from './case';
import type { ClauseId } from './clauses';
import { formatCents } from './money';
import type { Verdict } from './rules';
import { describeInstant, type Instant } from './time';

/** Every reason code with the clauses it may cite (the first is the usual one). */
export const REASON_CLAUSES = {
  chargeback: ['chargebacks'],
  fraud_review: ['fraud'],
  serial_refunds: ['fraud'],
  mandatory_law: ['mandatory-law'],
  reseller_dispute: ['fraud'],
  dissatisfaction: ['not-refundable'],
  price_change: ['not-refundable'],
  change_of_mind: ['not-refundable'],
  invalid_link: ['not-refundable', 'refill'],
  unused_balance: ['stored-value'],
  crypto_final: ['crypto'],
  untimely: ['eligibility'],
  missing_info: ['eligibility'],
  link_mismatch: ['eligibility'],
  target_private: ['not-refundable', 'refill'],
  target_changed: ['not-refundable', 'refill'],
  duplicate_order: ['not-refundable', 'refill'],
  multiple_providers: ['not-refundable', 'refill'],
  platform_action: ['not-refundable', 'refill'],
  funds_in_balance: ['stored-value'],
  needs_verification: ['review-process', 'fiat', 'refill', 'third-party'],
  not_company_fault: ['review-process', 'started-delivery'],
  crypto_balance_only: ['crypto'],
  fiat_exception: ['fiat'],
  fiat_conditions_unmet: ['fiat'],
  cancel_before_start: ['order-stages'],
  already_canceled: ['order-stages'],
  started_order: ['order-stages', 'started-delivery'],
  refill_not_offered: ['refill'],
  refill_window_expired: ['refill'],
  refill_eligible: ['refill'],
  minor_variance: ['not-refundable'],
  completed_order: ['started-delivery'],
  company_fault: ['exclusive-remedies'],
  chargeback_threat: ['chargebacks'],
  no_cash_refund: ['exclusive-remedies'],
} as const satisfies Record<string, readonly ClauseId[]>;

export type ReasonCode = keyof typeof REASON_CLAUSES;
/** Codes only ever added to a decision, never deciding it. */
export type AddedCode = 'chargeback_threat' | 'no_cash_refund';
export type DecidingCode = Exclude<ReasonCode, AddedCode>;

export const REASON_CODES = Object.keys(REASON_CLAUSES) as ReasonCode[];

export interface Reason {
  code: ReasonCode;
  clause: ClauseId;
  summary: string;
}

const money = (cents: bigint | null, currency: string | null) => `${formatCents(cents ?? 0n)} ${currency ?? ''}`.trim();
/** `a`, `a and b`, `a, b and c`. */
const listing = (items: readonly string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
const when = (t: Instant | null) => (t === null ? 'an unknown time' : describeInstant(t));

const TARGET_PROBLEMS = {
  invalid_link: 'the link was found invalid',
  target_private: 'the target was found private or hidden',
  target_changed: 'the target was found changed, renamed or deleted',
  duplicate_order: 'another order ran for the same target at the same time',
  multiple_providers: 'other panels or providers were used on the same target',
  platform_action: 'the platform itself removed, filtered or penalised the delivery',
} as const;

function untimelySummary(c: Case): string {
  const opened = describeInstant(c.openedAt);
  if (c.kind === 'payment') {
    const days = c.params.claimWindowDays;
    return `The ticket was opened ${opened}, after the deadline of ${when(c.deadline)} (${days} days after the payment), so the claim is too late.`;
  }
  return `The ticket was opened ${opened}, after the review deadline of ${when(c.deadline)}, so the claim is too late.`;
}

const MISSING_WORDS = {
  order_number: 'the order number',
  target_link: 'the target link exactly as submitted',
  explanation: 'an explanation',
  evidence: 'at least one screenshot or other evidence',
  payment_reference: 'a reference to the payment',
} as const;

function needsVerificationSummary(c: Case, v: Verdict): string {
  switch (v.clause) {
    case 'fiat':
      return 'The payment qualifies for a refund to its original method only if the processor allows it, so verify processorAllowsRefund first.';
    case 'refill':
      return `A refill needs the target to be public and unchanged, so verify ${listing(v.toVerify)} first.`;
    case 'third-party':
      return 'Verify whether the shortfall is the fault of the Company or a provider it chose (companyFault) before deciding.';
    default:
      return c.kind === 'other'
        ? 'This claim fits no listed case, so an agent must read the ticket and decide.'
        : 'Verify whether the payment problem is the fault of the Company (companyFault) before deciding.';
  }
}

/** The one-sentence summary of the deciding reason. */
export function decidingSummary(c: Case, v: Verdict): string {
  const { input } = c;
  const order = input.order;
  switch (v.code) {
    case 'chargeback':
      return 'The account has an open chargeback, so the request is denied and the account is suspended.';
    case 'fraud_review':
      return 'Fraud is suspected on this account, so a supervisor decides and the account is placed under review.';
    case 'serial_refunds':
      return `The account made ${input.account.refundRequests90d} refund requests in ${c.params.refundRequestWindowDays} days (${c.params.serialRefundRequests} or more is serial), so a supervisor decides and the account is placed under review.`;
    case 'mandatory_law':
      return 'The customer invokes a statutory right, so a supervisor must decide the case.';
    case 'reseller_dispute':
      return "A reseller is passing on its own customer's dispute, which the Company does not take on.";
    case 'dissatisfaction':
      return 'Dissatisfaction with the quality or speed of delivery is not refundable.';
    case 'price_change':
      return 'A price change after purchase is not refundable.';
    case 'change_of_mind':
      return 'A change of mind or misunderstanding of the service is not refundable.';
    case 'unused_balance':
      return 'Unused panel balance is store credit and is not paid out.';
    case 'crypto_final':
      return 'Crypto payments are final once confirmed, so the payment issue is not remedied.';
    case 'untimely':
      return untimelySummary(c);
    case 'missing_info':
      return `Ask the customer for ${listing(v.missingInfo.map((m) => MISSING_WORDS[m]))} before the claim can be reviewed.`;
    case 'link_mismatch':
      return "The link in the ticket differs from the order's link, so ask the customer for the target link exactly as submitted.";
    case 'invalid_link':
      if (input.ticket.claim === 'wrong_link') return 'A wrong or invalid link given by the customer is not refundable.';
      return targetProblem(v);
    case 'target_private':
    case 'target_changed':
    case 'duplicate_order':
    case 'multiple_providers':
    case 'platform_action':
      return targetProblem(v);
    case 'funds_in_balance':
      return `The payment of ${input.payment?.amount ?? ''} ${input.payment?.currency ?? ''} was already credited, so the funds sit in the panel balance.`;
    case 'needs_verification':
      return needsVerificationSummary(c, v);
    case 'not_company_fault':
      return v.clause === 'started-delivery'
        ? 'The shortfall was found not to be the fault of the Company, so nothing is due.'
        : 'The payment problem was found not to be the fault of the Company, so nothing is due.';
    case 'crypto_balance_only':
      return `The Company's error on a crypto payment is made good as a balance credit of ${money(v.amountCents, v.currency)} only.`;
    case 'fiat_exception':
      return `Every condition for an exceptional refund of ${money(v.amountCents, v.currency)} to the original payment method is met, subject to supervisor approval.`;
    case 'fiat_conditions_unmet':
      return `Not every condition for a refund to the original payment method is met, so ${money(v.amountCents, v.currency)} is credited to the balance instead.`;
    case 'cancel_before_start':
      return `The order has not started, so it is canceled and its charge of ${money(v.amountCents, v.currency)} credited to the balance.`;
    case 'already_canceled':
      return 'The order is already canceled.';
    case 'started_order':
      return v.clause === 'order-stages'
        ? `The order is already ${order?.status ?? 'under way'}, so it can no longer be canceled.`
        : 'Delivery has started and the shortfall was found not to be the fault of the Company, so nothing is due.';
    case 'refill_not_offered':
      return 'The service offers no refill, so drops are not covered.';
    case 'refill_window_expired':
      return `The refill window of ${order?.service.refillDays ?? 0} days ended ${when(c.deadline)}, before the ticket was opened ${describeInstant(c.openedAt)}.`;
    case 'refill_eligible':
      return c.deadline === null
        ? 'The target is public and unchanged and the service has lifetime refill, so the order is refilled.'
        : `The target is public and unchanged within the refill window ending ${describeInstant(c.deadline)}, so the order is refilled.`;
    case 'minor_variance':
      return `${order?.delivered ?? 0} of ${order?.quantity ?? 0} were delivered, and a shortfall of at most ${c.params.minorVariancePercent}% or an over-delivery is not refundable.`;
    case 'completed_order':
      return 'The order is completed and the shortfall was found not to be the fault of the Company, so it is final.';
    case 'company_fault':
      return v.outcome === 'reprocess'
        ? 'Nothing was delivered through the fault of the Company or its provider, so the order is run again.'
        : `The fault of the Company or its provider left ${(order?.quantity ?? 0) - (order?.delivered ?? 0)} of ${order?.quantity ?? 0} undelivered, so ${money(v.amountCents, v.currency)} is credited to the balance.`;
  }
}

function targetProblem(v: Verdict): string {
  const problem = TARGET_PROBLEMS[v.code as keyof typeof TARGET_PROBLEMS];
  const consequence = v.clause === 'refill' ? 'no refill is due' : 'the claim is not refundable';
  return `${problem.charAt(0).toUpperCase()}${problem.slice(1)}, so ${consequence}.`;
}

export function chargebackThreatReason(): Reason {
  return {
    code: 'chargeback_threat',
    clause: 'chargebacks',
    summary: 'The customer threatened a chargeback, so the account is placed under review.',
  };
}

export function noCashRefundReason(): Reason {
  return {
    code: 'no_cash_refund',
    clause: 'exclusive-remedies',
    summary: 'A refund to the original payment method is not given for this claim; at most a rerun or balance credit is.',
  };
}

/**
 * The policy's reasons as a support person would say them to the customer: plain sentences, no
 * clause titles, no reason codes, no internal field names or timestamps to the millisecond (those
 * stay on the agent's side of the page). Typed by the reason codes, so a new code cannot go unworded.
 * Pure: the reply drafts of decisions and the reply templates of the conversation read it.
 */
import type { Decision, ReasonCode } from '@/lib/policy';

/** null: nothing worth telling the customer (an internal matter); the outcome sentence says enough. */
export const CUSTOMER_REASON: Record<ReasonCode, string | null> = {
  chargeback: 'Because a payment dispute is open on your account, we cannot offer anything further while it is under review.',
  fraud_review: 'Your account is under a routine review, so we cannot offer a refund or credit at the moment.',
  serial_refunds: 'Your account has had several refund requests recently, so this one needs a closer review.',
  mandatory_law: 'You mentioned a legal right to a refund, so a senior colleague will review your request.',
  reseller_dispute: 'We can only handle requests about your own orders, not disputes with your customers.',
  dissatisfaction: 'Delivery speed, audience quality and results are not covered by refunds under our refund policy.',
  price_change: 'Price changes after an order is placed are not refunded.',
  change_of_mind: 'Orders cannot be refunded because of a change of mind once they are placed.',
  invalid_link: 'The link on the order does not lead to a valid public page, so the order could not be delivered as placed.',
  unused_balance: 'Panel balance can be used for new orders but cannot be paid out.',
  crypto_final: 'Crypto payments cannot be reversed once they are confirmed.',
  untimely: 'Your request reached us after the review window for this order had closed.',
  missing_info: null,
  link_mismatch: 'The link you sent us is not the one on the order, so please send the link exactly as you placed it.',
  target_private: 'Your profile or post was private or hidden, so it could not be delivered to.',
  target_changed: 'Your profile or post was renamed, changed or deleted after the order was placed.',
  duplicate_order: 'Another order was running for the same link at the same time, which the provider cannot tell apart.',
  multiple_providers: 'Other services were also delivering to the same link, which the provider cannot tell apart.',
  platform_action: 'The platform itself removed or filtered part of the delivery, which is outside our control.',
  funds_in_balance: 'The amount is already in your panel balance, ready to use for new orders.',
  needs_verification: 'We are checking a few details with our team first.',
  not_company_fault: 'We could not find a fault on our side or with the provider for this order.',
  crypto_balance_only: 'For crypto payments we can only return the amount to your panel balance.',
  fiat_exception: 'The payment was taken twice or never credited, so we can return it to your payment method.',
  fiat_conditions_unmet: 'A refund to your payment method is only possible in a few cases, and this one is not among them.',
  cancel_before_start: 'Your order had not started yet, so it can be cancelled.',
  already_canceled: 'This order has already been cancelled.',
  started_order: 'Your order had already started, so it can no longer be cancelled.',
  refill_not_offered: 'The service of this order does not include refills.',
  refill_window_expired: 'The refill period of this service has ended for this order.',
  refill_eligible: 'Your order is within its refill period.',
  minor_variance: 'The difference in the count is within the normal range for this service.',
  completed_order: 'Your order was completed as placed.',
  company_fault: 'The problem was on our side, and we are sorry for the trouble.',
  chargeback_threat: 'Please keep the conversation here: opening a payment dispute would put the account on hold.',
  no_cash_refund: 'For this kind of issue we fix the order or add credit to your panel balance rather than refund the payment.',
};

/** The customer-facing sentences of a suggestion's reasons (deciding reason first), without repeats. */
export function customerReasons(suggestion: Pick<Decision, 'reasons'>): string[] {
  const lines = suggestion.reasons.map((r) => CUSTOMER_REASON[r.code as ReasonCode] ?? null).filter((l): l is string => Boolean(l));
  return [...new Set(lines)];
}

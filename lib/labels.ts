/**
 * What the desk calls each value of its enums: one table per enum, typed by the enum, so a new value
 * cannot go without a label. Pure; pages, components and server code (reply templates) read it.
 */
import type { orderEventKind, orderStatus } from '@/db/schema/panel';
import type { decisionState, providerJobKind, requestedRemedy, ticketStatus } from '@/db/schema/tickets';
import type { AccountAction, Claim, Outcome } from '@/lib/policy';

type EnumOf<E extends { enumValues: readonly string[] }> = E['enumValues'][number];

/**
 * The values of enums whose label tables live beside their components (which never import db/):
 * they type their tables by these, so a new value without an entry is a type error there too.
 */
export type OrderStatus = EnumOf<typeof orderStatus>;
export type OrderEventKind = EnumOf<typeof orderEventKind>;
export type ProviderJobKind = EnumOf<typeof providerJobKind>;

/** Policy outcomes, suggested or decided (the decision bar offers all but `verify`). */
export const OUTCOME_LABEL: Record<Outcome, string> = {
  deny: 'Deny',
  request_info: 'Request information',
  verify: 'Verify',
  reprocess: 'Reprocess',
  refill: 'Refill',
  balance_credit: 'Balance credit',
  original_method_refund: 'Cash refund',
  escalate: 'Escalate',
};

/** What the customer asked for on the ticket. */
export const REMEDY_LABEL: Record<EnumOf<typeof requestedRemedy>, string> = {
  original_method_refund: 'Refund to original method',
  balance_credit: 'Balance credit',
  reprocess: 'Reprocess',
  refill: 'Refill',
  cancel: 'Cancel',
};

export const CLAIM_LABEL: Record<Claim, string> = {
  not_started: 'Not started',
  not_delivered: 'Not delivered',
  partial_delivery: 'Partial delivery',
  drop: 'Drop',
  cancel_request: 'Cancel request',
  duplicate_payment: 'Duplicate payment',
  payment_not_credited: 'Payment not credited',
  slow_delivery: 'Slow delivery',
  quality: 'Quality',
  wrong_link: 'Wrong link',
  crypto_payment_issue: 'Crypto payment',
  unused_balance: 'Unused balance',
  price_change: 'Price change',
  change_of_mind: 'Change of mind',
  other: 'Other',
};

export const TICKET_STATUS_LABEL: Record<EnumOf<typeof ticketStatus>, string> = {
  open: 'Open',
  waiting_customer: 'Waiting for customer',
  awaiting_approval: 'Awaiting approval',
  escalated: 'Escalated',
  resolved: 'Resolved',
};

export const DECISION_STATE_LABEL: Record<EnumOf<typeof decisionState>, string> = {
  proposed: 'Proposed',
  awaiting_approval: 'Awaiting approval',
  awaiting_panel: 'Waiting for the panel',
  executed: 'Executed',
  rejected: 'Rejected',
};

export const ACCOUNT_ACTION_LABEL: Record<AccountAction, string> = {
  none: 'No account action',
  review: 'Review the account',
  suspend: 'Suspend the account',
};

/** A label for a value typed only as a string (read from storage): the table's label, or the value itself. */
export function labelOf<K extends string>(table: Record<K, string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value as K] : value;
}

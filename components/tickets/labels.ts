import type { Tone } from '@/components/ui/badge';

export const CLAIM_LABEL: Record<string, string> = {
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

export const OUTCOME_LABEL: Record<string, string> = {
  deny: 'Deny',
  request_info: 'Request info',
  verify: 'Verify',
  reprocess: 'Reprocess',
  refill: 'Refill',
  balance_credit: 'Balance credit',
  original_method_refund: 'Cash refund',
  escalate: 'Escalate',
};

export const OUTCOME_TONE: Record<string, Tone> = {
  deny: 'danger',
  request_info: 'warning',
  verify: 'info',
  reprocess: 'accent',
  refill: 'accent',
  balance_credit: 'success',
  original_method_refund: 'success',
  escalate: 'warning',
};

export const STATUS_LABEL: Record<string, string> = {
  open: 'Open',
  waiting_customer: 'Waiting for customer',
  awaiting_approval: 'Awaiting approval',
  escalated: 'Escalated',
  resolved: 'Resolved',
};

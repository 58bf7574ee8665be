import type { Tone } from '@/components/ui/badge';
import type { DecidableOutcome } from '@/lib/validation/decisions';

/** The decision bar's names for the outcomes. */
export const DECISION_OUTCOME_LABEL: Record<DecidableOutcome, string> = {
  deny: 'Deny',
  request_info: 'Request information',
  reprocess: 'Reprocess',
  refill: 'Refill',
  balance_credit: 'Balance credit',
  original_method_refund: 'Cash refund to original method',
  escalate: 'Escalate',
};

export const DECISION_OUTCOME_HINT: Record<DecidableOutcome, string> = {
  deny: 'No remedy; the reply explains why. Resolves the ticket.',
  request_info: 'Ask the customer for what is missing. The ticket waits for the customer.',
  reprocess: 'Run the order again through the provider. Resolves the ticket.',
  refill: 'Ask the provider to refill the order. Resolves the ticket.',
  balance_credit: 'Credit the customer’s panel balance. Resolves the ticket.',
  original_method_refund: 'Send money back to the original payment method. Always needs a supervisor.',
  escalate: 'Hand the ticket to the supervisors’ queue. Needs a supervisor to accept.',
};

export const DECISION_STATE_LABEL: Record<string, string> = {
  proposed: 'Proposed',
  awaiting_approval: 'Awaiting approval',
  executed: 'Executed',
  rejected: 'Rejected',
};

export const DECISION_STATE_TONE: Record<string, Tone> = {
  proposed: 'neutral',
  awaiting_approval: 'warning',
  executed: 'success',
  rejected: 'danger',
};

export const ACCOUNT_ACTION_LABEL: Record<string, string> = {
  none: 'No account action',
  review: 'Review the account',
  suspend: 'Suspend the account',
};

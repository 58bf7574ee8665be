import type { Tone } from '@/components/ui/badge';
import type { DecisionState } from '@/lib/decisions';
import type { DecidableOutcome } from '@/lib/validation/decisions';

export const DECISION_OUTCOME_HINT: Record<DecidableOutcome, string> = {
  deny: 'No remedy; the reply explains why. Resolves the ticket.',
  request_info: 'Ask the customer for what is missing. The ticket waits for the customer.',
  reprocess: 'Run the order again through the provider. Resolves the ticket.',
  refill: 'Ask the provider to refill the order. Resolves the ticket.',
  balance_credit: 'Credit the customer’s panel balance. Resolves the ticket.',
  original_method_refund: 'Send money back to the original payment method. Always needs a supervisor.',
  escalate: 'Hand the ticket to the supervisors’ queue. Needs a supervisor to accept.',
};

export const DECISION_STATE_TONE: Record<DecisionState, Tone> = {
  proposed: 'neutral',
  awaiting_approval: 'warning',
  awaiting_panel: 'info',
  executed: 'success',
  rejected: 'danger',
};

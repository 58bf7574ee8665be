import type { Tone } from '@/components/ui/badge';
import type { Outcome } from '@/lib/policy';

/** The badge colour of each policy outcome (the names are in lib/labels). */
export const OUTCOME_TONE: Record<Outcome, Tone> = {
  deny: 'danger',
  request_info: 'warning',
  verify: 'info',
  reprocess: 'accent',
  refill: 'accent',
  balance_credit: 'success',
  original_method_refund: 'success',
  escalate: 'warning',
};

import { DEFAULT_POLICY_PARAMS } from '@/lib/policy/params';
import { centsAbove, parseDecimal } from '@/lib/policy/money';
import { toCents } from '@/lib/money';

/** Manual credits and reversals strictly above this amount need a second admin (policy parameter). */
export const approvalThreshold = (): string => DEFAULT_POLICY_PARAMS.approvalThreshold;

/** True when `amount` (a positive decimal string, two decimals at most) is strictly above the threshold. */
export const needsSecondAdmin = (amount: string, threshold = approvalThreshold()): boolean =>
  centsAbove(toCents(amount), parseDecimal(threshold));

import { isAbove } from '@/lib/validation/decisions';

/**
 * True when `amount` (a positive decimal string, two decimals at most) is strictly above the
 * approval threshold in force (`currentPolicyParams(tx).approvalThreshold`): a second admin approves.
 */
export const needsSecondAdmin = (amount: string, threshold: string): boolean => isAbove(amount, threshold);

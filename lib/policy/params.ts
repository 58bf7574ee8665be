import { z } from 'zod';
import { DECIMAL_PATTERN } from './money';

/** The figures of the refund policy, versioned together. */
export interface PolicyParams {
  /** Reported as `policyVersion`. */
  readonly version: string;
  /** Days after the status change (orders) or `paidAt` (payments) to open a ticket (rule 3). */
  readonly claimWindowDays: number;
  /** A shortfall of at most this percentage of the quantity is a minor variance (rule 7). */
  readonly minorVariancePercent: number;
  /** This many refund requests in 90 days or more is serial refund behaviour (rule 1). */
  readonly serialRefundRequests: number;
  /** A balance credit strictly above this amount needs a supervisor (rule 9). */
  readonly approvalThreshold: string;
}

/** Policy `2026-06-10`. */
export const DEFAULT_POLICY_PARAMS: PolicyParams = Object.freeze({
  version: '2026-06-10',
  claimWindowDays: 7,
  minorVariancePercent: 2,
  serialRefundRequests: 5,
  approvalThreshold: '50.00',
});

const wholeNumber = (max: number) => z.number().int().min(0).max(max);

export const policyParamsSchema = z.strictObject({
  version: z.string().trim().min(1),
  claimWindowDays: wholeNumber(1_000_000),
  minorVariancePercent: wholeNumber(100),
  serialRefundRequests: wholeNumber(Number.MAX_SAFE_INTEGER),
  approvalThreshold: z.string().regex(DECIMAL_PATTERN),
});

const checked = new WeakSet<PolicyParams>([DEFAULT_POLICY_PARAMS]);

/** Throws when a parameter object other than the defaults is malformed (checked once per object). */
export function assertPolicyParams(params: PolicyParams): void {
  if (checked.has(params)) return;
  const result = policyParamsSchema.safeParse(params);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TypeError(`policy params: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  checked.add(params);
}

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
  /** This many refund requests in the window or more is serial refund behaviour (rule 1). */
  readonly serialRefundRequests: number;
  /**
   * The window `refundRequests90d` is counted over, in days: the customer's other tickets opened
   * in this many days before this one. Not read by the check (its input is the count); the desk
   * computes the input with it, and the reason's sentence names it.
   */
  readonly refundRequestWindowDays: number;
  /** A balance credit strictly above this amount needs a supervisor (rule 9), in any currency not listed below. */
  readonly approvalThreshold: string;
  /** Per currency (ISO 4217 code → amount): the threshold of rule 9 in that currency, instead of `approvalThreshold`. */
  readonly approvalThresholds: Readonly<Record<string, string>>;
}

/** Policy `2026-06-10`. */
export const DEFAULT_POLICY_PARAMS: PolicyParams = Object.freeze({
  version: '2026-06-10',
  claimWindowDays: 7,
  minorVariancePercent: 2,
  serialRefundRequests: 5,
  refundRequestWindowDays: 90,
  approvalThreshold: '50.00',
  approvalThresholds: Object.freeze({}),
});

/** The threshold of rule 9 in `currency`: its own, else `approvalThreshold`. */
export function approvalThresholdFor(params: PolicyParams, currency: string | null | undefined): string {
  return (currency ? params.approvalThresholds[currency] : undefined) ?? params.approvalThreshold;
}

const wholeNumber = (max: number) => z.number().int().min(0).max(max);

export const policyParamsSchema = z.strictObject({
  version: z.string().trim().min(1),
  claimWindowDays: wholeNumber(1_000_000),
  minorVariancePercent: wholeNumber(100),
  serialRefundRequests: wholeNumber(Number.MAX_SAFE_INTEGER),
  // Sets stored before these existed read as the defaults of policy 2026-06-10.
  refundRequestWindowDays: z.number().int().min(1).max(3650).default(90),
  approvalThreshold: z.string().regex(DECIMAL_PATTERN),
  approvalThresholds: z.record(z.string().regex(/^[A-Z]{3}$/), z.string().regex(DECIMAL_PATTERN)).default({}),
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

/** The closed vocabularies of CONTRACT.md, in contract order. */

export const ORDER_CLAIMS = ['not_started', 'not_delivered', 'partial_delivery', 'drop', 'cancel_request'] as const;
export const PAYMENT_CLAIMS = ['duplicate_payment', 'payment_not_credited'] as const;
export const NEVER_REMEDIED_CLAIMS = [
  'slow_delivery',
  'quality',
  'wrong_link',
  'crypto_payment_issue',
  'unused_balance',
  'price_change',
  'change_of_mind',
] as const;
export const CLAIMS = [...ORDER_CLAIMS, ...PAYMENT_CLAIMS, ...NEVER_REMEDIED_CLAIMS, 'other'] as const;

export const REMEDIES = ['original_method_refund', 'balance_credit', 'reprocess', 'refill', 'cancel'] as const;
export const ORDER_STATUSES = ['submitted', 'processing', 'partial', 'completed', 'canceled'] as const;
export const PAYMENT_METHODS = ['crypto', 'card', 'bank', 'wallet'] as const;

export const OUTCOMES = [
  'deny',
  'request_info',
  'verify',
  'reprocess',
  'refill',
  'balance_credit',
  'original_method_refund',
  'escalate',
] as const;
export const ACCOUNT_ACTIONS = ['none', 'review', 'suspend'] as const;
export const APPROVALS = ['none', 'supervisor'] as const;

/** The seven findings, in contract order. */
export const FINDING_NAMES = [
  'linkValid',
  'targetPublic',
  'targetUnchanged',
  'duplicateOrderSameTarget',
  'otherProvidersUsed',
  'platformAction',
  'companyFault',
] as const;

/** Names `toVerify` may hold: the findings plus the one payment field that may be unknown. */
export const VERIFY_NAMES = [...FINDING_NAMES, 'processorAllowsRefund'] as const;

/** Names `missingInfo` may hold, in the order they are listed. */
export const MISSING_INFO = ['order_number', 'target_link', 'explanation', 'evidence', 'payment_reference'] as const;

export type OrderClaim = (typeof ORDER_CLAIMS)[number];
export type PaymentClaim = (typeof PAYMENT_CLAIMS)[number];
export type NeverRemediedClaim = (typeof NEVER_REMEDIED_CLAIMS)[number];
export type Claim = (typeof CLAIMS)[number];
export type Remedy = (typeof REMEDIES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];
export type Approval = (typeof APPROVALS)[number];
export type FindingName = (typeof FINDING_NAMES)[number];
export type VerifyName = (typeof VERIFY_NAMES)[number];
export type MissingInfo = (typeof MISSING_INFO)[number];

const orderClaimSet: ReadonlySet<string> = new Set(ORDER_CLAIMS);
const paymentClaimSet: ReadonlySet<string> = new Set(PAYMENT_CLAIMS);
const neverRemediedSet: ReadonlySet<string> = new Set(NEVER_REMEDIED_CLAIMS);

export function isOrderClaim(claim: Claim): claim is OrderClaim {
  return orderClaimSet.has(claim);
}

export function isPaymentClaim(claim: Claim): claim is PaymentClaim {
  return paymentClaimSet.has(claim);
}

export function isNeverRemediedClaim(claim: Claim): claim is NeverRemediedClaim {
  return neverRemediedSet.has(claim);
}

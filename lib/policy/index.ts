/** Refund policy check engine (see README.md). Pure TypeScript: no clock, database or I/O. */
export {
  ACCOUNT_ACTIONS,
  APPROVALS,
  CLAIMS,
  FINDING_NAMES,
  MISSING_INFO,
  NEVER_REMEDIED_CLAIMS,
  ORDER_CLAIMS,
  ORDER_STATUSES,
  OUTCOMES,
  PAYMENT_CLAIMS,
  PAYMENT_METHODS,
  REMEDIES,
  VERIFY_NAMES,
  isNeverRemediedClaim,
  isOrderClaim,
  isPaymentClaim,
  type AccountAction,
  type Approval,
  type Claim,
  type FindingName,
  type MissingInfo,
  type NeverRemediedClaim,
  type OrderClaim,
  type OrderStatus,
  type Outcome,
  type PaymentClaim,
  type PaymentMethod,
  type Remedy,
  type VerifyName,
} from './constants';
export { CLAUSES, CLAUSE_IDS, getClause, type Clause, type ClauseId } from './clauses';
export { REASON_CLAUSES, REASON_CODES, type Reason, type ReasonCode } from './reasons';
export {
  policyInputSchema,
  formatIssues,
  type PolicyInput,
  type PolicyInputRaw,
  type TicketInput,
  type OrderInput,
  type ServiceInput,
  type PaymentInput,
  type AccountInput,
  type FindingsInput,
} from './schema';
export { parsePolicyInput, safeParsePolicyInput, PolicyInputError, type ParseResult } from './validate';
export { decisionSchema, type Alternative, type Decision } from './output';
export { approvalThresholdFor, DEFAULT_POLICY_PARAMS, policyParamsSchema, type PolicyParams } from './params';
export { checkPolicy, checkPolicyParsed, safeCheckPolicy, eligibilityDeadline, type CheckResult } from './check';

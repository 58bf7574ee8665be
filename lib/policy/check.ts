/** The policy check: `checkPolicy(input, params?) → Decision`. Pure: no clock, no I/O. */
import { findAlternatives } from './alternatives';
import { factsOf, prepareCase, type Case } from './case';
import { centsAbove, formatCents, parseDecimal } from './money';
import type { Alternative, Decision } from './output';
import { approvalThresholdFor, assertPolicyParams, DEFAULT_POLICY_PARAMS, type PolicyParams } from './params';
import { chargebackThreatReason, decidingSummary, noCashRefundReason, type Reason } from './reasons';
import { decideBeforeFacts, decideOnFacts, type Verdict } from './rules';
import type { PolicyInput } from './schema';
import { formatInstant } from './time';
import { parsePolicyInput, parsePolicyInputWithInstants, PolicyInputError } from './validate';

/** Rule 8: an original-method refund asked for on an order claim, slow_delivery or quality. */
function refusesCash(c: Case): boolean {
  const { claim, requestedRemedy } = c.input.ticket;
  return requestedRemedy === 'original_method_refund' && (c.kind === 'order' || claim === 'slow_delivery' || claim === 'quality');
}

/** Rule 9 (and rule 6's supervisor for an original-method refund). */
function needsSupervisor(v: Verdict, params: PolicyParams): boolean {
  if (v.outcome === 'escalate' || v.outcome === 'original_method_refund') return true;
  return (
    v.outcome === 'balance_credit' &&
    v.amountCents !== null &&
    centsAbove(v.amountCents, parseDecimal(approvalThresholdFor(params, v.currency)))
  );
}

function toDecision(c: Case, v: Verdict, alternatives: Alternative[]): Decision {
  const { ticket } = c.input;
  const reasons: Reason[] = [{ code: v.code, clause: v.clause, summary: decidingSummary(c, v) }];
  let accountAction = v.accountAction;
  if (ticket.chargebackThreatened) {
    reasons.push(chargebackThreatReason());
    if (accountAction === 'none') accountAction = 'review';
  }
  if (refusesCash(c)) reasons.push(noCashRefundReason());
  return {
    outcome: v.outcome,
    amount: v.amountCents === null ? null : formatCents(v.amountCents),
    currency: v.amountCents === null ? null : v.currency,
    accountAction,
    requiresApproval: needsSupervisor(v, c.params) ? 'supervisor' : 'none',
    reasons,
    missingInfo: [...v.missingInfo],
    toVerify: [...v.toVerify],
    alternatives,
    policyVersion: c.params.version,
  };
}

function decideCase(c: Case): Decision {
  const facts = factsOf(c.input);
  const early = decideBeforeFacts(c);
  if (early !== null) return toDecision(c, early, []);
  const verdict = decideOnFacts(c, facts);
  return toDecision(c, verdict, findAlternatives(c, facts, verdict));
}

/** The check on an input already validated by `parsePolicyInput` or `policyInputSchema`. */
export function checkPolicyParsed(input: PolicyInput, params: PolicyParams = DEFAULT_POLICY_PARAMS): Decision {
  assertPolicyParams(params);
  return decideCase(prepareCase(input, params));
}

/**
 * Validates a raw input (a `PolicyInputRaw`, e.g. straight from JSON.parse) and decides it.
 * Throws `PolicyInputError` (message `field.path: problem`) for a bad input.
 */
export function checkPolicy(input: unknown, params: PolicyParams = DEFAULT_POLICY_PARAMS): Decision {
  assertPolicyParams(params);
  const parsed = parsePolicyInputWithInstants(input);
  return decideCase(prepareCase(parsed.input, params, parsed.instants));
}

export type CheckResult = { ok: true; decision: Decision } | { ok: false; error: string };

/** Like `checkPolicy`, but a bad input is returned as `{ ok: false, error }` instead of thrown. */
export function safeCheckPolicy(input: unknown, params: PolicyParams = DEFAULT_POLICY_PARAMS): CheckResult {
  try {
    return { ok: true, decision: checkPolicy(input, params) };
  } catch (err) {
    if (err instanceof PolicyInputError) return { ok: false, error: err.message };
    throw err;
  }
}

/**
 * The ticket's deadline per rule 3 as an ISO string: `paidAt` + 7 days for a payment claim; for a
 * drop, the end of the refill window (null for lifetime or no refill); for any other claim with an
 * order, the earlier of 7 days and the service's review or refill window after `statusChangedAt`.
 * Null when there is nothing to count from. Throws `PolicyInputError` for a bad input.
 */
export function eligibilityDeadline(input: unknown, params: PolicyParams = DEFAULT_POLICY_PARAMS): string | null {
  assertPolicyParams(params);
  const deadline = prepareCase(parsePolicyInput(input), params).deadline;
  return deadline === null ? null : formatInstant(deadline);
}

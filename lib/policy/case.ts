/**
 * A validated input read once into the values the rules need: instants, deadlines, the claim's
 * kind. Findings stay apart (`Facts`) so alternatives can re-run the rules with one fact changed.
 */
import { isNeverRemediedClaim, isOrderClaim, isPaymentClaim, type VerifyName } from './constants';
import type { PolicyParams } from './params';
import type { PolicyInput } from './schema';
import { addDays, earlier, parseInstant, type Instant } from './time';
import type { InputInstants } from './validate';

/** The seven findings plus `processorAllowsRefund`: what an agent can verify. */
export type Facts = Readonly<Record<VerifyName, boolean | null>>;

export type ClaimKind = 'order' | 'payment' | 'never' | 'other';

export interface Case {
  readonly input: PolicyInput;
  readonly params: PolicyParams;
  readonly kind: ClaimKind;
  readonly openedAt: Instant;
  readonly statusChangedAt: Instant | null;
  readonly paidAt: Instant | null;
  /**
   * Rule 3: the last moment a ticket is on time. For a drop, the end of the refill window
   * (rule 7). Null when there is none (no order/payment to count from, lifetime or no refill).
   */
  readonly deadline: Instant | null;
}

/** Parses an instant that validation has already accepted. */
function instant(s: string): Instant {
  const t = parseInstant(s);
  if (t === null) throw new Error(`unvalidated time ${JSON.stringify(s)}`);
  return t;
}

function kindOf(input: PolicyInput): ClaimKind {
  const claim = input.ticket.claim;
  if (isOrderClaim(claim)) return 'order';
  if (isPaymentClaim(claim)) return 'payment';
  if (isNeverRemediedClaim(claim)) return 'never';
  return 'other';
}

function deadlineOf(input: PolicyInput, params: PolicyParams, changed: Instant | null, paid: Instant | null) {
  const { claim } = input.ticket;
  const order = input.order;
  if (claim === 'drop') {
    const refill = order?.service.refillDays ?? null;
    return changed !== null && refill !== null && refill > 0 ? addDays(changed, refill) : null;
  }
  if (isPaymentClaim(claim)) return paid === null ? null : addDays(paid, params.claimWindowDays);
  if (order === null || changed === null) return null;
  const { reviewWindowDays, refillDays } = order.service;
  const windowDays = reviewWindowDays ?? (refillDays !== null && refillDays > 0 ? refillDays : null);
  const base = addDays(changed, params.claimWindowDays);
  return windowDays === null ? base : earlier(base, addDays(changed, windowDays));
}

/** Reads a validated input; `instants` are those validation read, when it handed them back. */
export function prepareCase(input: PolicyInput, params: PolicyParams, instants?: InputInstants): Case {
  const statusChangedAt = instants ? instants.statusChangedAt : input.order === null ? null : instant(input.order.statusChangedAt);
  const paidAt = instants ? instants.paidAt : input.payment === null ? null : instant(input.payment.paidAt);
  return {
    input,
    params,
    kind: kindOf(input),
    openedAt: instants ? instants.openedAt : instant(input.ticket.openedAt),
    statusChangedAt,
    paidAt,
    deadline: deadlineOf(input, params, statusChangedAt, paidAt),
  };
}

export function factsOf(input: PolicyInput): Facts {
  const f = input.findings;
  return {
    linkValid: f.linkValid,
    targetPublic: f.targetPublic,
    targetUnchanged: f.targetUnchanged,
    duplicateOrderSameTarget: f.duplicateOrderSameTarget,
    otherProvidersUsed: f.otherProvidersUsed,
    platformAction: f.platformAction,
    companyFault: f.companyFault,
    processorAllowsRefund: input.payment === null ? null : input.payment.processorAllowsRefund,
  };
}

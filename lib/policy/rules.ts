/**
 * The nine rules of CONTRACT.md "How the policy reads here". The first rule that applies decides.
 * Rules 1–4 and `other` (rule 8) never read the findings; rules 5–7 do, so alternatives re-run
 * only `decideOnFacts`.
 */
import type { Case, Facts } from './case';
import type { ClauseId } from './clauses';
import type { AccountAction, MissingInfo, Outcome, VerifyName } from './constants';
import { parseDecimal, prorateCentsDown, toCentsDown } from './money';
import type { DecidingCode } from './reasons';
import type { OrderInput, PaymentInput, PolicyInput } from './schema';
import { isAfter } from './time';

export interface Verdict {
  readonly outcome: Outcome;
  readonly code: DecidingCode;
  readonly clause: ClauseId;
  readonly accountAction: AccountAction;
  readonly missingInfo: readonly MissingInfo[];
  readonly toVerify: readonly VerifyName[];
  /** For balance_credit and original_method_refund: whole cents, rounded down. */
  readonly amountCents: bigint | null;
  readonly currency: string | null;
}

const NONE: readonly never[] = Object.freeze([]);

function verdict(
  outcome: Outcome,
  code: DecidingCode,
  clause: ClauseId,
  more: Partial<Omit<Verdict, 'outcome' | 'code' | 'clause'>> = {},
): Verdict {
  return {
    outcome,
    code,
    clause,
    accountAction: more.accountAction ?? 'none',
    missingInfo: more.missingInfo ?? NONE,
    toVerify: more.toVerify ?? NONE,
    amountCents: more.amountCents ?? null,
    currency: more.currency ?? null,
  };
}

function credit(
  outcome: 'balance_credit' | 'original_method_refund',
  code: DecidingCode,
  clause: ClauseId,
  cents: bigint,
  currency: string,
): Verdict {
  return verdict(outcome, code, clause, { amountCents: cents, currency });
}

// ---- rules 1–4 --------------------------------------------------------------------------------

/** Rule 1: account gates (`chargebackThreatened` is applied to the finished decision). */
function accountGate(c: Case): Verdict | null {
  const { account, ticket } = c.input;
  if (account.chargebackOpen) return verdict('deny', 'chargeback', 'chargebacks', { accountAction: 'suspend' });
  if (account.fraudSuspected) return verdict('escalate', 'fraud_review', 'fraud', { accountAction: 'review' });
  if (account.refundRequests90d >= c.params.serialRefundRequests) {
    return verdict('escalate', 'serial_refunds', 'fraud', { accountAction: 'review' });
  }
  if (ticket.mandatoryLawClaimed) return verdict('escalate', 'mandatory_law', 'mandatory-law');
  if (ticket.resellerDownstreamDispute) return verdict('deny', 'reseller_dispute', 'fraud');
  return null;
}

/** Rule 2: claims that are never remedied. */
function neverRemedied(c: Case): Verdict | null {
  switch (c.input.ticket.claim) {
    case 'quality':
    case 'slow_delivery':
      return verdict('deny', 'dissatisfaction', 'not-refundable');
    case 'price_change':
      return verdict('deny', 'price_change', 'not-refundable');
    case 'change_of_mind':
      return verdict('deny', 'change_of_mind', 'not-refundable');
    case 'wrong_link':
      return verdict('deny', 'invalid_link', 'not-refundable');
    case 'unused_balance':
      return verdict('deny', 'unused_balance', 'stored-value');
    case 'crypto_payment_issue':
      return verdict('deny', 'crypto_final', 'crypto');
    default:
      return null;
  }
}

/** Rule 3: on time (drops are judged by their refill window in rule 7). */
function untimely(c: Case): Verdict | null {
  if (c.input.ticket.claim === 'drop' || c.deadline === null) return null;
  return isAfter(c.openedAt, c.deadline) ? verdict('deny', 'untimely', 'eligibility') : null;
}

/** Rule 4's link test: character for character after trimming both. */
export function linksMatch(targetLink: string, orderLink: string): boolean {
  return targetLink.trim() === orderLink.trim();
}

/** Rule 4: a complete request. */
function incomplete(c: Case): Verdict | null {
  const { ticket, order, payment } = c.input;
  const missing: MissingInfo[] = [];
  let mismatch = false;
  if (c.kind === 'order') {
    if (ticket.orderNumber === null || order === null) missing.push('order_number');
    if (ticket.targetLink === null) missing.push('target_link');
    else if (order !== null && !linksMatch(ticket.targetLink, order.link)) {
      missing.push('target_link');
      mismatch = true;
    }
  }
  if (ticket.explanation === null) missing.push('explanation');
  if (ticket.evidenceCount < 1) missing.push('evidence');
  if (c.kind === 'payment' && payment === null) missing.push('payment_reference');
  if (missing.length === 0) return null;
  const code = mismatch && missing.length === 1 ? 'link_mismatch' : 'missing_info';
  return verdict('request_info', code, 'eligibility', { missingInfo: missing });
}

/** Rules 1–4, and rule 8's `other`. Null when the findings decide (rules 5–7). */
export function decideBeforeFacts(c: Case): Verdict | null {
  const gate = accountGate(c);
  if (gate !== null) return gate;
  if (c.kind === 'never') return neverRemedied(c);
  const late = untimely(c);
  if (late !== null) return late;
  if (c.kind === 'other') return verdict('verify', 'needs_verification', 'review-process');
  return incomplete(c);
}

// ---- rules 5–7 --------------------------------------------------------------------------------

/** Rule 5: user- or platform-caused, the first that applies. */
function userOrPlatformCaused(c: Case, f: Facts): Verdict | null {
  let code: DecidingCode;
  if (f.linkValid === false) code = 'invalid_link';
  else if (f.targetPublic === false) code = 'target_private';
  else if (f.targetUnchanged === false) code = 'target_changed';
  else if (f.duplicateOrderSameTarget === true) code = 'duplicate_order';
  else if (f.otherProvidersUsed === true) code = 'multiple_providers';
  else if (f.platformAction === true) code = 'platform_action';
  else return null;
  return verdict('deny', code, c.input.ticket.claim === 'drop' ? 'refill' : 'not-refundable');
}

/** An order "started" when it is processing, partial or completed, or anything was delivered. */
export function orderStarted(order: OrderInput | null): boolean {
  if (order === null) return false;
  return order.status === 'processing' || order.status === 'partial' || order.status === 'completed' || order.delivered > 0;
}

/** Rule 6: payment claims. */
function paymentRule(input: PolicyInput, payment: PaymentInput, f: Facts): Verdict {
  if (payment.credited) return verdict('deny', 'funds_in_balance', 'stored-value');
  if (f.companyFault === null) {
    return verdict('verify', 'needs_verification', 'review-process', { toVerify: ['companyFault'] });
  }
  if (f.companyFault === false) return verdict('deny', 'not_company_fault', 'review-process');
  const cents = toCentsDown(parseDecimal(payment.amount));
  if (payment.method === 'crypto') return credit('balance_credit', 'crypto_balance_only', 'crypto', cents, payment.currency);
  const exceptional = (payment.duplicate || payment.overcharged) && !payment.balanceSpent && !orderStarted(input.order);
  if (exceptional && f.processorAllowsRefund === true) {
    return credit('original_method_refund', 'fiat_exception', 'fiat', cents, payment.currency);
  }
  if (exceptional && f.processorAllowsRefund === null) {
    return verdict('verify', 'needs_verification', 'fiat', { toVerify: ['processorAllowsRefund'] });
  }
  return credit('balance_credit', 'fiat_conditions_unmet', 'fiat', cents, payment.currency);
}

/** `(quantity − delivered) × 100 ≤ percent × quantity`, exactly; over-delivery counts too. */
export function isMinorVariance(quantity: number, delivered: number, percent: number): boolean {
  if (delivered >= quantity) return true;
  const shortfall = quantity - delivered;
  if (quantity <= 90_000_000_000_000) return shortfall * 100 <= percent * quantity; // all below 2^53
  return BigInt(shortfall) * 100n <= BigInt(percent) * BigInt(quantity);
}

function cancelRule(order: OrderInput): Verdict {
  switch (order.status) {
    case 'submitted':
      return verdict('balance_credit', 'cancel_before_start', 'order-stages', {
        amountCents: toCentsDown(parseDecimal(order.charge)),
        currency: order.currency,
      });
    case 'canceled':
      return verdict('deny', 'already_canceled', 'order-stages');
    default:
      return verdict('deny', 'started_order', 'order-stages');
  }
}

function dropRule(c: Case, order: OrderInput, f: Facts): Verdict {
  if (order.service.refillDays === null) return verdict('deny', 'refill_not_offered', 'refill');
  if (c.deadline !== null && isAfter(c.openedAt, c.deadline)) {
    return verdict('deny', 'refill_window_expired', 'refill');
  }
  const unknown: VerifyName[] = [];
  if (f.targetPublic === null) unknown.push('targetPublic');
  if (f.targetUnchanged === null) unknown.push('targetUnchanged');
  if (unknown.length > 0) return verdict('verify', 'needs_verification', 'refill', { toVerify: unknown });
  return verdict('refill', 'refill_eligible', 'refill');
}

function deliveryRule(c: Case, order: OrderInput, f: Facts): Verdict {
  if (isMinorVariance(order.quantity, order.delivered, c.params.minorVariancePercent)) {
    return verdict('deny', 'minor_variance', 'not-refundable');
  }
  if (f.companyFault === null) {
    return verdict('verify', 'needs_verification', 'third-party', { toVerify: ['companyFault'] });
  }
  if (f.companyFault === false) {
    const code = order.status === 'completed' ? 'completed_order' : order.status === 'submitted' ? 'not_company_fault' : 'started_order';
    return verdict('deny', code, 'started-delivery');
  }
  if (order.delivered === 0 && order.status !== 'completed') {
    return verdict('reprocess', 'company_fault', 'exclusive-remedies');
  }
  const undelivered = Math.max(0, order.quantity - order.delivered);
  const cents = prorateCentsDown(parseDecimal(order.charge), undelivered, order.quantity);
  return credit('balance_credit', 'company_fault', 'exclusive-remedies', cents, order.currency);
}

/** Rules 5–7 for a case that passed rules 1–4 (so its order or payment is there). */
export function decideOnFacts(c: Case, f: Facts): Verdict {
  const { order, payment, ticket } = c.input;
  if (c.kind === 'payment') {
    if (payment === null) throw new Error('rule 6 reached without a payment');
    return paymentRule(c.input, payment, f);
  }
  if (order === null) throw new Error('rule 5 reached without an order');
  const caused = userOrPlatformCaused(c, f);
  if (caused !== null) return caused;
  if (ticket.claim === 'cancel_request') return cancelRule(order);
  if (ticket.claim === 'drop') return dropRule(c, order, f);
  return deliveryRule(c, order, f);
}

/** One test (or a few) per rule of CONTRACT.md "How the policy reads here" and per boundary. */
import { describe, expect, it } from 'vitest';
import { checkPolicy, DEFAULT_POLICY_PARAMS, eligibilityDeadline, type Decision, type PolicyParams } from './index';
import { DAY, input, merge, paymentInput, type Patch } from './test-support';

const decide = (patch: Patch = {}, params?: PolicyParams) => checkPolicy(input(patch), params);
const decidePayment = (patch: Patch = {}) => checkPolicy(paymentInput(patch));
const codes = (d: Decision) => d.reasons.map((r) => r.code);
const first = (d: Decision) => d.reasons[0];
const iso = (ms: number) => new Date(ms).toISOString();
const CHANGED = Date.parse('2026-06-28T10:00:00Z');

/** An order claim with everything known in the customer's favour, company fault confirmed. */
const favourable: Patch = {
  findings: {
    linkValid: true,
    targetPublic: true,
    targetUnchanged: true,
    duplicateOrderSameTarget: false,
    otherProvidersUsed: false,
    platformAction: false,
    companyFault: true,
  },
};

describe('policy parameters', () => {
  it('defaults are policy 2026-06-10 and the decision reports the version', () => {
    expect(DEFAULT_POLICY_PARAMS).toEqual({
      version: '2026-06-10',
      claimWindowDays: 7,
      minorVariancePercent: 2,
      serialRefundRequests: 5,
      refundRequestWindowDays: 90,
      approvalThreshold: '50.00',
      approvalThresholds: {},
    });
    expect(decide().policyVersion).toBe('2026-06-10');
  });

  it('other parameters are used and reported', () => {
    const params = { ...DEFAULT_POLICY_PARAMS, version: 'test-1', claimWindowDays: 1 };
    const d = decide({}, params);
    expect(d.policyVersion).toBe('test-1');
    expect(first(d)?.code).toBe('untimely'); // opened 47 h after the status change, past a 1-day window
  });

  it('rejects malformed parameters', () => {
    expect(() => decide({}, { ...DEFAULT_POLICY_PARAMS, approvalThreshold: '50,00' })).toThrow(/approvalThreshold/);
    expect(() => decide({}, { ...DEFAULT_POLICY_PARAMS, minorVariancePercent: 1.5 })).toThrow(/minorVariancePercent/);
  });
});

describe('rule 1: account gates', () => {
  it('chargebackOpen → deny, suspend (chargeback, chargebacks)', () => {
    const d = decide({ account: { chargebackOpen: true, fraudSuspected: true } });
    expect([d.outcome, d.accountAction, d.requiresApproval]).toEqual(['deny', 'suspend', 'none']);
    expect(first(d)).toMatchObject({ code: 'chargeback', clause: 'chargebacks' });
  });

  it('fraudSuspected → escalate, review, supervisor (fraud_review, fraud)', () => {
    const d = decide({ account: { fraudSuspected: true } });
    expect([d.outcome, d.accountAction, d.requiresApproval]).toEqual(['escalate', 'review', 'supervisor']);
    expect(first(d)).toMatchObject({ code: 'fraud_review', clause: 'fraud' });
  });

  it('refundRequests90d: 4 decides nothing, 5 → escalate, review (serial_refunds, fraud)', () => {
    expect(decide({ account: { refundRequests90d: 4 } }).outcome).toBe('verify');
    const d = decide({ account: { refundRequests90d: 5 } });
    expect([d.outcome, d.accountAction, d.requiresApproval]).toEqual(['escalate', 'review', 'supervisor']);
    expect(first(d)).toMatchObject({ code: 'serial_refunds', clause: 'fraud' });
    expect(first(d)?.summary).toContain('5 refund requests in 90 days');
    // The window is the desk's (it counts the input); the sentence names the one in force.
    expect(
      first(decide({ account: { refundRequests90d: 5 } }, { ...DEFAULT_POLICY_PARAMS, refundRequestWindowDays: 60 }))?.summary,
    ).toContain('5 refund requests in 60 days');
  });

  it('mandatoryLawClaimed → escalate with supervisor, no account action', () => {
    const d = decide({ ticket: { mandatoryLawClaimed: true } });
    expect([d.outcome, d.accountAction, d.requiresApproval]).toEqual(['escalate', 'none', 'supervisor']);
    expect(first(d)).toMatchObject({ code: 'mandatory_law', clause: 'mandatory-law' });
  });

  it('resellerDownstreamDispute → deny (reseller_dispute, fraud)', () => {
    const d = decide({ ticket: { resellerDownstreamDispute: true } });
    expect(d.outcome).toBe('deny');
    expect(first(d)).toMatchObject({ code: 'reseller_dispute', clause: 'fraud' });
  });

  it('gates apply in order: fraud before serial before mandatory law before reseller', () => {
    const all = {
      account: { fraudSuspected: true, refundRequests90d: 9 },
      ticket: { mandatoryLawClaimed: true, resellerDownstreamDispute: true },
    };
    expect(first(decide(all))?.code).toBe('fraud_review');
    expect(first(decide({ ...all, account: { refundRequests90d: 9 } }))?.code).toBe('serial_refunds');
    expect(first(decide({ ticket: { mandatoryLawClaimed: true, resellerDownstreamDispute: true } }))?.code).toBe('mandatory_law');
  });

  it('chargebackThreatened decides nothing, adds chargeback_threat after the deciding reason and sets review', () => {
    const plain = decide(favourable);
    const d = decide({ ...favourable, ticket: { chargebackThreatened: true } });
    expect(d.outcome).toBe(plain.outcome);
    expect(d.accountAction).toBe('review');
    expect(codes(d)).toEqual([...codes(plain), 'chargeback_threat']);
    expect(d.reasons[1]).toMatchObject({ code: 'chargeback_threat', clause: 'chargebacks' });
  });

  it('chargebackThreatened keeps suspend and is added even to a gate decision', () => {
    const d = decide({ account: { chargebackOpen: true }, ticket: { chargebackThreatened: true } });
    expect(d.accountAction).toBe('suspend');
    expect(codes(d)).toEqual(['chargeback', 'chargeback_threat']);
  });
});

describe('rule 2: claims that are never remedied', () => {
  it.each([
    ['quality', 'dissatisfaction', 'not-refundable'],
    ['slow_delivery', 'dissatisfaction', 'not-refundable'],
    ['price_change', 'price_change', 'not-refundable'],
    ['change_of_mind', 'change_of_mind', 'not-refundable'],
    ['wrong_link', 'invalid_link', 'not-refundable'],
    ['unused_balance', 'unused_balance', 'stored-value'],
    ['crypto_payment_issue', 'crypto_final', 'crypto'],
  ])('%s → deny (%s, %s), even when late and undocumented', (claim, code, clause) => {
    const d = decide({ ticket: { claim, openedAt: '2027-01-01T00:00:00Z', explanation: null, evidenceCount: 0 } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code, clause });
    expect(d.alternatives).toEqual([]);
  });
});

describe('rule 3: on time', () => {
  it('exactly 7 days after the status change is on time; 1 ms later is late', () => {
    expect(decide({ ticket: { openedAt: iso(CHANGED + 7 * DAY) } }).outcome).toBe('verify');
    const late = decide({ ticket: { openedAt: iso(CHANGED + 7 * DAY + 1) } });
    expect(late.outcome).toBe('deny');
    expect(late.reasons[0]).toMatchObject({ code: 'untimely', clause: 'eligibility' });
    expect(late.reasons[0]?.summary).toContain('2026-07-05 10:00 UTC');
  });

  it('a reviewWindowDays earlier than 7 days is the deadline (and wins over refillDays)', () => {
    const service = { refillDays: 30, reviewWindowDays: 3 };
    expect(decide({ order: { service }, ticket: { openedAt: iso(CHANGED + 3 * DAY) } }).outcome).toBe('verify');
    expect(first(decide({ order: { service }, ticket: { openedAt: iso(CHANGED + 3 * DAY + 1) } }))?.code).toBe('untimely');
    // a longer review window does not extend the 7 days
    const long = { refillDays: 30, reviewWindowDays: 10 };
    expect(first(decide({ order: { service: long }, ticket: { openedAt: iso(CHANGED + 8 * DAY) } }))?.code).toBe('untimely');
    // reviewWindowDays 0: only a ticket opened at the status change itself is on time
    const zero = { refillDays: null, reviewWindowDays: 0 };
    expect(decide({ order: { service: zero }, ticket: { openedAt: iso(CHANGED) } }).outcome).toBe('verify');
    expect(first(decide({ order: { service: zero }, ticket: { openedAt: iso(CHANGED + 1) } }))?.code).toBe('untimely');
  });

  it('refillDays above 0 is a window when no review window is stated; 0 (lifetime) and null are not', () => {
    const short = { refillDays: 2, reviewWindowDays: null };
    expect(first(decide({ order: { service: short }, ticket: { openedAt: iso(CHANGED + 2 * DAY + 1) } }))?.code).toBe('untimely');
    for (const refillDays of [0, null]) {
      const service = { refillDays, reviewWindowDays: null };
      expect(decide({ order: { service }, ticket: { openedAt: iso(CHANGED + 7 * DAY) } }).outcome).toBe('verify');
      expect(first(decide({ order: { service }, ticket: { openedAt: iso(CHANGED + 7 * DAY + 1) } }))?.code).toBe('untimely');
    }
  });

  it('a payment claim must be opened within 7 days after paidAt', () => {
    const paid = Date.parse('2026-06-28T08:00:00Z');
    expect(decidePayment({ ticket: { openedAt: iso(paid + 7 * DAY) } }).outcome).toBe('original_method_refund');
    const late = decidePayment({ ticket: { openedAt: iso(paid + 7 * DAY + 1) } });
    expect(late.outcome).toBe('deny');
    expect(late.reasons[0]).toMatchObject({ code: 'untimely', clause: 'eligibility' });
  });

  it('a payment claim is judged by paidAt only, not by an order it may also have', () => {
    const d = decidePayment({ order: { ...(input().order as object), statusChangedAt: '2026-01-01T00:00:00Z' } });
    expect(first(d)?.code).not.toBe('untimely');
  });

  it('a payment claim with payment: null is not judged here but lacks payment_reference', () => {
    const d = decidePayment({ payment: null, ticket: { openedAt: '2027-01-01T00:00:00Z' } });
    expect(d.outcome).toBe('request_info');
    expect(d.missingInfo).toEqual(['payment_reference']);
  });

  it('`other` with an order is judged; without an order it is not', () => {
    const late = iso(CHANGED + 7 * DAY + 1);
    expect(first(decide({ ticket: { claim: 'other', openedAt: late } }))?.code).toBe('untimely');
    expect(decide({ ticket: { claim: 'other', openedAt: late }, order: null }).outcome).toBe('verify');
  });

  it('a drop is not judged here but by its refill window', () => {
    const d = decide({ ...favourable, ticket: { claim: 'drop', openedAt: iso(CHANGED + 20 * DAY) } });
    expect(d.outcome).toBe('refill');
  });

  it('cancel_request is judged too', () => {
    const d = decide({ ticket: { claim: 'cancel_request', openedAt: iso(CHANGED + 8 * DAY) }, order: { status: 'submitted' } });
    expect(first(d)?.code).toBe('untimely');
  });

  it('times without a zone are UTC; offsets count', () => {
    expect(decide({ ticket: { openedAt: '2026-07-05T10:00:00' } }).outcome).toBe('verify');
    expect(first(decide({ ticket: { openedAt: '2026-07-05T10:00:00.001' } }))?.code).toBe('untimely');
    expect(decide({ ticket: { openedAt: '2026-07-05T12:00:00+02:00' } }).outcome).toBe('verify');
    expect(first(decide({ ticket: { openedAt: '2026-07-05T09:00:00-01:01' } }))?.code).toBe('untimely');
  });
});

describe('eligibilityDeadline', () => {
  it('order claims: the earlier of 7 days and the stated window after statusChangedAt', () => {
    expect(eligibilityDeadline(input())).toBe('2026-07-05T10:00:00.000Z');
    expect(eligibilityDeadline(input({ order: { service: { refillDays: 3 } } }))).toBe('2026-07-01T10:00:00.000Z');
    expect(eligibilityDeadline(input({ order: { service: { refillDays: 3, reviewWindowDays: 5 } } }))).toBe('2026-07-03T10:00:00.000Z');
    expect(eligibilityDeadline(input({ order: null }))).toBeNull();
  });

  it('drops: statusChangedAt + refillDays, null for lifetime or no refill', () => {
    const drop = { ticket: { claim: 'drop' } };
    expect(eligibilityDeadline(input(drop))).toBe('2026-07-28T10:00:00.000Z');
    expect(eligibilityDeadline(input({ ...drop, order: { service: { refillDays: 0 } } }))).toBeNull();
    expect(eligibilityDeadline(input({ ...drop, order: { service: { refillDays: null } } }))).toBeNull();
  });

  it('payment claims: paidAt + 7 days; null without a payment', () => {
    expect(eligibilityDeadline(paymentInput())).toBe('2026-07-05T08:00:00.000Z');
    expect(eligibilityDeadline(paymentInput({ payment: null }))).toBeNull();
  });

  it('keeps sub-millisecond digits and validates its input', () => {
    expect(eligibilityDeadline(input({ order: { statusChangedAt: '2026-06-28T10:00:00.123456+00:00' } }))).toBe(
      '2026-07-05T10:00:00.123456Z',
    );
    expect(() => eligibilityDeadline({})).toThrow('now: required');
  });
});

describe('rule 4: complete request', () => {
  it('an order claim lists everything absent, in order', () => {
    const d = decide({ ticket: { orderNumber: null, targetLink: ' ', explanation: '', evidenceCount: 0 } });
    expect(d.outcome).toBe('request_info');
    expect(d.reasons[0]).toMatchObject({ code: 'missing_info', clause: 'eligibility' });
    expect(d.missingInfo).toEqual(['order_number', 'target_link', 'explanation', 'evidence']);
    expect(d.alternatives).toEqual([]);
  });

  it('blank or whitespace-only texts count as absent', () => {
    expect(decide({ ticket: { explanation: ' \t\n ' } }).missingInfo).toEqual(['explanation']);
    expect(decide({ ticket: { orderNumber: '   ' } }).missingInfo).toEqual(['order_number']);
  });

  it('order: null (the number matches no order) lacks order_number', () => {
    const d = decide({ order: null });
    expect(d.outcome).toBe('request_info');
    expect(d.missingInfo).toEqual(['order_number']);
  });

  it('link comparison trims leading and trailing white space of both', () => {
    expect(decide({ ticket: { targetLink: '  https://instagram.com/acme \t' } }).outcome).toBe('verify');
    expect(decide({ ticket: { targetLink: 'https://instagram.com/acme' }, order: { link: ' https://instagram.com/acme\n' } }).outcome).toBe(
      'verify',
    );
  });

  it('otherwise exact: case and inner characters count', () => {
    expect(decide({ ticket: { targetLink: 'https://Instagram.com/acme' } }).missingInfo).toEqual(['target_link']);
    expect(decide({ ticket: { targetLink: 'https://instagram.com/acme/' } }).missingInfo).toEqual(['target_link']);
  });

  it('a link mismatch as the only gap → link_mismatch', () => {
    const d = decide({ ticket: { targetLink: 'https://instagram.com/other' } });
    expect(d.outcome).toBe('request_info');
    expect(d.reasons[0]).toMatchObject({ code: 'link_mismatch', clause: 'eligibility' });
    expect(d.missingInfo).toEqual(['target_link']);
  });

  it('a link mismatch with other gaps → missing_info listing target_link', () => {
    const d = decide({ ticket: { targetLink: 'https://instagram.com/other', evidenceCount: 0 } });
    expect(first(d)?.code).toBe('missing_info');
    expect(d.missingInfo).toEqual(['target_link', 'evidence']);
  });

  it('a payment claim needs explanation and evidence, and a payment', () => {
    const d = decidePayment({ ticket: { explanation: null, evidenceCount: 0 }, payment: null });
    expect(d.missingInfo).toEqual(['explanation', 'evidence', 'payment_reference']);
    // order number and link are not needed for a payment claim
    expect(decidePayment({ ticket: { orderNumber: null, targetLink: null } }).outcome).toBe('original_method_refund');
  });

  it('`other` needs nothing here', () => {
    const d = decide({ ticket: { claim: 'other', orderNumber: null, targetLink: null, explanation: null, evidenceCount: 0 } });
    expect(d.outcome).toBe('verify');
  });

  it('rule 3 comes before rule 4', () => {
    expect(first(decide({ ticket: { openedAt: '2026-08-01T00:00:00Z', evidenceCount: 0 } }))?.code).toBe('untimely');
  });
});

describe('rule 5: user- or platform-caused (order claims)', () => {
  it.each([
    ['linkValid', false, 'invalid_link'],
    ['targetPublic', false, 'target_private'],
    ['targetUnchanged', false, 'target_changed'],
    ['duplicateOrderSameTarget', true, 'duplicate_order'],
    ['otherProvidersUsed', true, 'multiple_providers'],
    ['platformAction', true, 'platform_action'],
  ])('%s: %s → deny (%s, not-refundable; drops: refill)', (finding, value, code) => {
    const d = decide({ findings: { [finding]: value, companyFault: true } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code, clause: 'not-refundable' });
    const drop = decide({ ticket: { claim: 'drop' }, findings: { [finding]: value } });
    expect(drop.reasons[0]).toMatchObject({ code, clause: 'refill' });
  });

  it('the first that applies decides, in contract order', () => {
    const d = decide({ findings: { platformAction: true, targetUnchanged: false, targetPublic: false } });
    expect(first(d)?.code).toBe('target_private');
  });

  it('unknown findings decide nothing here', () => {
    expect(decide({ findings: { companyFault: true } }).outcome).toBe('reprocess');
  });

  it('applies to cancel_request too, but never to payment claims', () => {
    expect(
      first(decide({ ticket: { claim: 'cancel_request' }, order: { status: 'submitted' }, findings: { linkValid: false } }))?.code,
    ).toBe('invalid_link');
    expect(decidePayment({ findings: { linkValid: false, platformAction: true } }).outcome).toBe('original_method_refund');
  });
});

describe('rule 6: payments', () => {
  it('already credited → deny (funds_in_balance, stored-value)', () => {
    const d = decidePayment({ payment: { credited: true } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code: 'funds_in_balance', clause: 'stored-value' });
  });

  it('companyFault null → verify (review-process); false → deny not_company_fault', () => {
    const unknown = decidePayment({ findings: { companyFault: null } });
    expect(unknown.outcome).toBe('verify');
    expect(unknown.reasons[0]).toMatchObject({ code: 'needs_verification', clause: 'review-process' });
    expect(unknown.toVerify).toEqual(['companyFault']);
    const no = decidePayment({ findings: { companyFault: false } });
    expect(no.outcome).toBe('deny');
    expect(no.reasons[0]).toMatchObject({ code: 'not_company_fault', clause: 'review-process' });
  });

  it('crypto, company fault → balance_credit of the amount (crypto_balance_only, crypto), never a cash refund', () => {
    const d = decidePayment({ payment: { method: 'crypto', amount: '25.009' } });
    expect([d.outcome, d.amount, d.currency]).toEqual(['balance_credit', '25.00', 'USD']);
    expect(d.reasons[0]).toMatchObject({ code: 'crypto_balance_only', clause: 'crypto' });
  });

  it('fiat with every condition → original_method_refund with supervisor (fiat_exception, fiat)', () => {
    for (const method of ['card', 'bank', 'wallet']) {
      const d = decidePayment({ payment: { method } });
      expect([d.outcome, d.amount, d.requiresApproval]).toEqual(['original_method_refund', '25.00', 'supervisor']);
      expect(d.reasons[0]).toMatchObject({ code: 'fiat_exception', clause: 'fiat' });
    }
    expect(decidePayment({ payment: { duplicate: false, overcharged: true } }).outcome).toBe('original_method_refund');
  });

  it('processorAllowsRefund null with the rest true → verify (needs_verification, fiat)', () => {
    const d = decidePayment({ payment: { processorAllowsRefund: null } });
    expect(d.outcome).toBe('verify');
    expect(d.reasons[0]).toMatchObject({ code: 'needs_verification', clause: 'fiat' });
    expect(d.toVerify).toEqual(['processorAllowsRefund']);
    expect(d.alternatives).toEqual([
      { if: 'processorAllowsRefund is true', outcome: 'original_method_refund' },
      { if: 'processorAllowsRefund is false', outcome: 'balance_credit' },
    ]);
  });

  it.each([
    ['neither duplicate nor overcharged', { payment: { duplicate: false, overcharged: false } }],
    ['balance spent', { payment: { balanceSpent: true } }],
    ['processor refuses', { payment: { processorAllowsRefund: false } }],
    ['processor unknown but balance spent', { payment: { processorAllowsRefund: null, balanceSpent: true } }],
  ])('fiat, %s → balance_credit (fiat_conditions_unmet, fiat)', (_name, patch) => {
    const d = decidePayment(patch);
    expect([d.outcome, d.amount]).toEqual(['balance_credit', '25.00']);
    expect(d.reasons[0]).toMatchObject({ code: 'fiat_conditions_unmet', clause: 'fiat' });
  });

  it('an order "started": processing, partial, completed, or anything delivered', () => {
    const order = input().order as Record<string, unknown>;
    for (const status of ['processing', 'partial', 'completed']) {
      expect(decidePayment({ order: { ...order, status, delivered: 0 } }).outcome).toBe('balance_credit');
    }
    for (const status of ['submitted', 'canceled']) {
      expect(decidePayment({ order: { ...order, status, delivered: 0 } }).outcome).toBe('original_method_refund');
      expect(decidePayment({ order: { ...order, status, delivered: 1 } }).outcome).toBe('balance_credit');
    }
  });
});

describe('rule 7: orders', () => {
  it('cancel_request per status', () => {
    const cancel = (status: string) => decide({ ticket: { claim: 'cancel_request' }, order: { status, delivered: 0 } });
    const submitted = cancel('submitted');
    expect([submitted.outcome, submitted.amount, submitted.currency]).toEqual(['balance_credit', '12.50', 'USD']);
    expect(submitted.reasons[0]).toMatchObject({ code: 'cancel_before_start', clause: 'order-stages' });
    expect(cancel('canceled').reasons[0]).toMatchObject({ code: 'already_canceled', clause: 'order-stages' });
    for (const status of ['processing', 'partial', 'completed']) {
      const d = cancel(status);
      expect(d.outcome).toBe('deny');
      expect(d.reasons[0]).toMatchObject({ code: 'started_order', clause: 'order-stages' });
    }
  });

  describe('drop', () => {
    const drop = (patch: Patch = {}) =>
      decide(merge({ ticket: { claim: 'drop' }, order: { status: 'completed', delivered: 1000 } }, patch));

    it('no refill on the service → deny (refill_not_offered, refill)', () => {
      const d = drop({ order: { service: { refillDays: null } } });
      expect(d.reasons[0]).toMatchObject({ code: 'refill_not_offered', clause: 'refill' });
    });

    it('opened exactly at the end of the refill window is on time; 1 ms later it expired', () => {
      const known = { findings: { targetPublic: true, targetUnchanged: true } };
      expect(drop({ ...known, ticket: { openedAt: iso(CHANGED + 30 * DAY) } }).outcome).toBe('refill');
      const late = drop({ ...known, ticket: { openedAt: iso(CHANGED + 30 * DAY + 1) } });
      expect(late.reasons[0]).toMatchObject({ code: 'refill_window_expired', clause: 'refill' });
    });

    it('lifetime refill (0) never ends', () => {
      const d = drop({
        order: { service: { refillDays: 0 } },
        ticket: { openedAt: '2036-01-01T00:00:00Z' },
        findings: { targetPublic: true, targetUnchanged: true },
      });
      expect(d.outcome).toBe('refill');
      expect(d.reasons[0]?.summary).toContain('lifetime');
    });

    it('targetPublic or targetUnchanged unknown → verify listing those unknown', () => {
      const both = drop();
      expect(both.outcome).toBe('verify');
      expect(both.reasons[0]).toMatchObject({ code: 'needs_verification', clause: 'refill' });
      expect(both.toVerify).toEqual(['targetPublic', 'targetUnchanged']);
      expect(both.alternatives).toContainEqual({ if: 'targetPublic is true and targetUnchanged is true', outcome: 'refill' });
      const one = drop({ findings: { targetPublic: true } });
      expect(one.toVerify).toEqual(['targetUnchanged']);
      expect(one.alternatives).toContainEqual({ if: 'targetUnchanged is true', outcome: 'refill' });
    });

    it('public and unchanged → refill (refill_eligible, refill)', () => {
      const d = drop({ findings: { targetPublic: true, targetUnchanged: true } });
      expect(d.reasons[0]).toMatchObject({ code: 'refill_eligible', clause: 'refill' });
    });
  });

  describe('not_started / not_delivered / partial_delivery', () => {
    const shortfall = (quantity: number, delivered: number, patch: Patch = {}) =>
      decide({ ...favourable, order: { status: 'partial', quantity, delivered }, ...patch });

    it('a shortfall of exactly 2% is a minor variance; just over is not', () => {
      expect(shortfall(1000, 980).reasons[0]).toMatchObject({ code: 'minor_variance', clause: 'not-refundable' });
      expect(shortfall(1000, 979).outcome).toBe('balance_credit');
      expect(shortfall(50, 49).reasons[0]?.code).toBe('minor_variance'); // 1 of 50 = 2%
      expect(shortfall(49, 48).outcome).toBe('balance_credit'); // 1 of 49 > 2%
      expect(shortfall(1, 0).outcome).toBe('reprocess');
    });

    it('over-delivery and full delivery count as minor variance', () => {
      expect(shortfall(1000, 1001).reasons[0]?.code).toBe('minor_variance');
      expect(shortfall(1000, 1000).reasons[0]?.code).toBe('minor_variance');
    });

    it('the variance percentage is a parameter', () => {
      const params = { ...DEFAULT_POLICY_PARAMS, minorVariancePercent: 5 };
      expect(first(decide({ ...favourable, order: { status: 'partial', delivered: 950 } }, params))?.code).toBe('minor_variance');
      expect(decide({ ...favourable, order: { status: 'partial', delivered: 949 } }, params).outcome).toBe('balance_credit');
    });

    it('companyFault null → verify (needs_verification, third-party)', () => {
      const d = decide();
      expect(d.reasons[0]).toMatchObject({ code: 'needs_verification', clause: 'third-party' });
      expect(d.toVerify).toEqual(['companyFault']);
    });

    it.each([
      ['completed', 'completed_order'],
      ['submitted', 'not_company_fault'],
      ['processing', 'started_order'],
      ['partial', 'started_order'],
      ['canceled', 'started_order'],
    ])('companyFault false on a %s order → deny (%s, started-delivery)', (status, code) => {
      const d = decide({ order: { status }, findings: { companyFault: false } });
      expect(d.outcome).toBe('deny');
      expect(d.reasons[0]).toMatchObject({ code, clause: 'started-delivery' });
    });

    it('company fault, nothing delivered, not completed → reprocess (a canceled order included)', () => {
      for (const status of ['submitted', 'processing', 'partial', 'canceled']) {
        const d = decide({ ...favourable, order: { status, delivered: 0 } });
        expect(d.outcome).toBe('reprocess');
        expect(d.reasons[0]).toMatchObject({ code: 'company_fault', clause: 'exclusive-remedies' });
        expect([d.amount, d.currency]).toEqual([null, null]);
      }
    });

    it('company fault on a completed order with nothing delivered → the whole charge as credit', () => {
      const d = decide({ ...favourable, order: { status: 'completed', delivered: 0 } });
      expect([d.outcome, d.amount]).toEqual(['balance_credit', '12.50']);
    });

    it('credit = charge × (quantity − delivered) / quantity, rounded down to the cent', () => {
      expect(shortfall(1000, 400).amount).toBe('7.50');
      expect(shortfall(3, 1, { order: { status: 'partial', quantity: 3, delivered: 1, charge: '10.00' } }).amount).toBe('6.66'); // 6.666…
      expect(shortfall(3, 2, { order: { status: 'partial', quantity: 3, delivered: 2, charge: '0.05' } }).amount).toBe('0.01'); // 0.01666…
      expect(shortfall(7, 1, { order: { status: 'partial', quantity: 7, delivered: 1, charge: '1.999999' } }).amount).toBe('1.71'); // 1.71428…
      expect(shortfall(100, 1, { order: { status: 'partial', quantity: 100, delivered: 1, charge: '0.10' } }).amount).toBe('0.09'); // 0.099
      expect(shortfall(10, 9, { order: { status: 'partial', quantity: 10, delivered: 9, charge: '0.05' } }).amount).toBe('0.00'); // 0.005
    });

    it('large figures stay exact', () => {
      const d = shortfall(3, 1, { order: { status: 'partial', quantity: 3, delivered: 1, charge: '999999999999999999.99' } });
      expect(d.amount).toBe('666666666666666666.66');
    });
  });
});

describe('rule 8: no cash refund; other', () => {
  it('original_method_refund asked for on an order claim → no_cash_refund added to whatever it earns', () => {
    const d = decide({
      ...favourable,
      ticket: { requestedRemedy: 'original_method_refund' },
      order: { status: 'partial', delivered: 400 },
    });
    expect(d.outcome).toBe('balance_credit');
    expect(codes(d)).toEqual(['company_fault', 'no_cash_refund']);
    expect(d.reasons[1]).toMatchObject({ clause: 'exclusive-remedies' });
  });

  it('… also for slow_delivery and quality, after chargeback_threat', () => {
    for (const claim of ['slow_delivery', 'quality']) {
      const d = decide({ ticket: { claim, requestedRemedy: 'original_method_refund', chargebackThreatened: true } });
      expect(codes(d)).toEqual(['dissatisfaction', 'chargeback_threat', 'no_cash_refund']);
    }
  });

  it('… also when a gate or rule 4 decides, and for a drop or cancel request', () => {
    expect(codes(decide({ account: { fraudSuspected: true }, ticket: { requestedRemedy: 'original_method_refund' } }))).toEqual([
      'fraud_review',
      'no_cash_refund',
    ]);
    expect(codes(decide({ ticket: { claim: 'drop', requestedRemedy: 'original_method_refund', evidenceCount: 0 } }))).toEqual([
      'missing_info',
      'no_cash_refund',
    ]);
  });

  it('… but not for payment claims, other never-remedied claims, `other` or other remedies', () => {
    expect(codes(decidePayment({ ticket: { requestedRemedy: 'original_method_refund' } }))).toEqual(['fiat_exception']);
    expect(codes(decide({ ticket: { claim: 'price_change', requestedRemedy: 'original_method_refund' } }))).toEqual(['price_change']);
    expect(codes(decide({ ticket: { claim: 'other', requestedRemedy: 'original_method_refund' } }))).toEqual(['needs_verification']);
    expect(codes(decide({ ticket: { requestedRemedy: 'balance_credit' } }))).toEqual(['needs_verification']);
  });

  it('`other` (after rules 1 and 3) → verify (needs_verification, review-process) with nothing listed', () => {
    const d = decide({ ticket: { claim: 'other' }, findings: { companyFault: true, linkValid: false } });
    expect(d.outcome).toBe('verify');
    expect(d.reasons[0]).toMatchObject({ code: 'needs_verification', clause: 'review-process' });
    expect([d.toVerify, d.missingInfo, d.alternatives]).toEqual([[], [], []]);
    expect(decide({ ticket: { claim: 'other' }, account: { chargebackOpen: true } }).outcome).toBe('deny');
  });
});

describe('rule 9: supervisor approval', () => {
  const credit = (charge: string) => decide({ ...favourable, order: { status: 'completed', delivered: 0, charge } });

  it('a balance credit of 50.00 needs none; 50.01 needs a supervisor', () => {
    expect([credit('50.00').amount, credit('50.00').requiresApproval]).toEqual(['50.00', 'none']);
    expect([credit('50.01').amount, credit('50.01').requiresApproval]).toEqual(['50.01', 'supervisor']);
  });

  it('the credited amount (rounded down) is what is compared', () => {
    expect([credit('50.009').amount, credit('50.009').requiresApproval]).toEqual(['50.00', 'none']);
  });

  it('the threshold is a parameter', () => {
    const params = { ...DEFAULT_POLICY_PARAMS, approvalThreshold: '10' };
    expect(decide({ ...favourable, order: { status: 'completed', delivered: 0 } }, params).requiresApproval).toBe('supervisor');
  });

  it('a currency may have its own threshold; every other currency keeps approvalThreshold', () => {
    const params = { ...DEFAULT_POLICY_PARAMS, approvalThresholds: { USD: '40.00', EUR: '80.00' } };
    const inUsd = (charge: string) => decide({ ...favourable, order: { status: 'completed', delivered: 0, charge } }, params);
    const inCurrency = (charge: string, currency: string) =>
      decide({ ...favourable, order: { status: 'completed', delivered: 0, charge, currency } }, params);
    expect([inUsd('40.00').requiresApproval, inUsd('40.01').requiresApproval]).toEqual(['none', 'supervisor']);
    expect([inCurrency('80.00', 'EUR').requiresApproval, inCurrency('80.01', 'EUR').requiresApproval]).toEqual(['none', 'supervisor']);
    expect([inCurrency('50.00', 'GBP').requiresApproval, inCurrency('50.01', 'GBP').requiresApproval]).toEqual(['none', 'supervisor']);
    expect(() => decide({}, { ...DEFAULT_POLICY_PARAMS, approvalThresholds: { usd: '40.00' } })).toThrow(/approvalThresholds/);
  });

  it('every escalate needs a supervisor; deny, verify and reprocess do not', () => {
    expect(decide({ ticket: { mandatoryLawClaimed: true } }).requiresApproval).toBe('supervisor');
    expect(decide().requiresApproval).toBe('none');
    expect(decide(favourable).requiresApproval).toBe('none');
  });
});

describe('alternatives', () => {
  it('list only flips of unknown or negative facts that change the outcome, in fact order, true before false', () => {
    const d = decide({ findings: { linkValid: true, targetPublic: false } });
    expect(d.outcome).toBe('deny');
    expect(d.alternatives).toEqual([{ if: 'targetPublic is true', outcome: 'verify' }]);
  });

  it('for an unknown company fault: what a confirmation either way would do', () => {
    const d = decide({
      findings: {
        linkValid: true,
        targetPublic: true,
        targetUnchanged: true,
        duplicateOrderSameTarget: false,
        otherProvidersUsed: false,
        platformAction: false,
      },
    });
    expect(d.alternatives).toEqual([
      { if: 'companyFault is true', outcome: 'reprocess' },
      { if: 'companyFault is false', outcome: 'deny' },
    ]);
  });

  it('a negative fact that is not deciding gives no alternative when flipping it alone changes nothing', () => {
    const d = decide({
      findings: {
        targetPublic: false,
        targetUnchanged: false,
        linkValid: true,
        duplicateOrderSameTarget: false,
        otherProvidersUsed: false,
        platformAction: false,
      },
    });
    expect(d.alternatives).toEqual([]);
  });

  it('none when rules 1–4 decide', () => {
    expect(decide({ ticket: { evidenceCount: 0 } }).alternatives).toEqual([]);
    expect(decide({ account: { fraudSuspected: true } }).alternatives).toEqual([]);
  });
});

describe('summaries', () => {
  it('are one sentence with figures where they help', () => {
    const credit = decide({ ...favourable, order: { status: 'partial', delivered: 400 } });
    expect(credit.reasons[0]?.summary).toMatch(/7\.50 USD/);
    expect(credit.reasons[0]?.summary).toMatch(/600 of 1000/);
    const missing = decide({ ticket: { orderNumber: null, evidenceCount: 0 } });
    expect(missing.reasons[0]?.summary).toBe(
      'Ask the customer for the order number and at least one screenshot or other evidence before the claim can be reviewed.',
    );
  });
});

/** Properties that hold for every valid input (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEGATIVE_VALUE } from './alternatives';
import {
  checkPolicy,
  decisionSchema,
  isOrderClaim,
  parsePolicyInput,
  REASON_CLAUSES,
  VERIFY_NAMES,
  type Decision,
  type PolicyInput,
  type PolicyInputRaw,
  type VerifyName,
} from './index';
import { centsAbove, parseDecimal } from './money';
import { rawInputArb } from './test-support';

const RUNS = { numRuns: 1500 };
const PAYING = new Set(['balance_credit', 'original_method_refund']);

const cents = (amount: string) => {
  const [whole = '0', frac = ''] = amount.split('.');
  return BigInt(whole + frac.padEnd(2, '0'));
};

/** The input with one fact (finding or processorAllowsRefund) set to `value`. */
function withFact(raw: PolicyInputRaw, name: VerifyName, value: boolean | null): PolicyInput {
  const parsed = structuredClone(parsePolicyInput(raw));
  if (name === 'processorAllowsRefund') {
    if (parsed.payment !== null) parsed.payment.processorAllowsRefund = value;
  } else parsed.findings[name] = value;
  return parsed;
}

function factValue(p: PolicyInput, name: VerifyName): boolean | null {
  return name === 'processorAllowsRefund' ? (p.payment?.processorAllowsRefund ?? null) : p.findings[name];
}

describe('properties', () => {
  it('same input → same output (and the input is not changed)', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const before = structuredClone(raw);
        const a = checkPolicy(raw);
        expect(raw).toEqual(before);
        expect(checkPolicy(structuredClone(raw))).toEqual(a);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      RUNS,
    );
  });

  it('every decision validates against the output schema', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        expect(decisionSchema.safeParse(d).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('amount (with currency) is there exactly for balance_credit and original_method_refund', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        expect(d.amount !== null).toBe(PAYING.has(d.outcome));
        expect(d.currency !== null).toBe(PAYING.has(d.outcome));
        if (d.amount !== null) expect(d.amount).toMatch(/^\d+\.\d\d$/);
      }),
      RUNS,
    );
  });

  it("the amount never exceeds the order's charge or the payment's amount", () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        if (d.amount === null) return;
        const p = parsePolicyInput(raw);
        const source = isOrderClaim(p.ticket.claim) ? p.order : p.payment;
        const limit = isOrderClaim(p.ticket.claim) ? p.order?.charge : p.payment?.amount;
        expect(limit).toBeDefined();
        expect(centsAbove(cents(d.amount), parseDecimal(limit ?? '0'))).toBe(false);
        expect(d.currency).toBe(source?.currency);
      }),
      RUNS,
    );
  });

  it('no original_method_refund for crypto or for an order claim', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        if (d.outcome !== 'original_method_refund') return;
        const p = parsePolicyInput(raw);
        expect(isOrderClaim(p.ticket.claim)).toBe(false);
        expect(p.payment?.method).not.toBe('crypto');
        expect(d.requiresApproval).toBe('supervisor');
      }),
      RUNS,
    );
  });

  it('chargebackOpen always gives deny + suspend', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const p = parsePolicyInput(raw);
        p.account.chargebackOpen = true;
        const d = checkPolicy(p);
        expect([d.outcome, d.accountAction, d.reasons[0]?.code]).toEqual(['deny', 'suspend', 'chargeback']);
      }),
      { numRuns: 300 },
    );
  });

  it('every verify lists what to verify, each still unknown (except claim `other`)', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        const p = parsePolicyInput(raw);
        if (d.outcome !== 'verify') {
          expect(d.toVerify).toEqual([]);
          return;
        }
        if (p.ticket.claim === 'other') {
          expect(d.toVerify).toEqual([]);
          return;
        }
        expect(d.toVerify.length).toBeGreaterThan(0);
        for (const name of d.toVerify) expect(factValue(p, name)).toBeNull();
      }),
      RUNS,
    );
  });

  it('missingInfo only and always with request_info', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        expect(d.missingInfo.length > 0).toBe(d.outcome === 'request_info');
      }),
      RUNS,
    );
  });

  it('reasons: the deciding one first, only chargeback_threat and no_cash_refund added, each citing its clauses', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        const [deciding, ...added] = d.reasons;
        expect(deciding?.code).not.toMatch(/^(chargeback_threat|no_cash_refund)$/);
        const p = parsePolicyInput(raw);
        const expected = [
          ...(p.ticket.chargebackThreatened ? ['chargeback_threat'] : []),
          ...(p.ticket.requestedRemedy === 'original_method_refund' &&
          (isOrderClaim(p.ticket.claim) || p.ticket.claim === 'slow_delivery' || p.ticket.claim === 'quality')
            ? ['no_cash_refund']
            : []),
        ];
        expect(added.map((r) => r.code)).toEqual(expected);
        for (const r of d.reasons) {
          expect(REASON_CLAUSES[r.code] as readonly string[]).toContain(r.clause);
          expect(r.summary).toMatch(/^[A-Z0-9].*\.$/);
        }
        if (p.ticket.chargebackThreatened) expect(d.accountAction).not.toBe('none');
      }),
      RUNS,
    );
  });

  it('supervisor exactly for escalate, original_method_refund and balance_credit above 50.00', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d = checkPolicy(raw);
        const expected =
          d.outcome === 'escalate' ||
          d.outcome === 'original_method_refund' ||
          (d.outcome === 'balance_credit' && cents(d.amount ?? '0') > 5000n);
        expect(d.requiresApproval).toBe(expected ? 'supervisor' : 'none');
      }),
      RUNS,
    );
  });

  it('alternatives are exactly the single flips of unknown or negative facts that change the outcome', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const d: Decision = checkPolicy(raw);
        const p = parsePolicyInput(raw);
        const expected: { if: string; outcome: string }[] = [];
        for (const name of VERIFY_NAMES) {
          if (name === 'processorAllowsRefund' && p.payment === null) continue;
          const current = factValue(p, name);
          const tries = current === null ? [true, false] : current === NEGATIVE_VALUE[name] ? [!current] : [];
          for (const value of tries) {
            const outcome = checkPolicy(withFact(raw, name, value)).outcome;
            if (outcome !== d.outcome) expected.push({ if: `${name} is ${value}`, outcome });
          }
        }
        // Beyond single flips, only the joint "everything to verify is positive" may be listed.
        const joint = d.alternatives.filter((a) => a.if.includes(' and '));
        expect(d.alternatives.filter((a) => !a.if.includes(' and '))).toEqual(expected);
        expect(joint.length).toBeLessThanOrEqual(1);
        for (const a of joint) {
          let all = parsePolicyInput(raw);
          for (const name of d.toVerify) all = withFact(all, name, !NEGATIVE_VALUE[name]);
          expect(a.if).toBe(d.toVerify.map((n) => `${n} is ${!NEGATIVE_VALUE[n]}`).join(' and '));
          expect(checkPolicy(all).outcome).toBe(a.outcome);
          expect(a.outcome).not.toBe(d.outcome);
        }
        expect(new Set(d.alternatives.map((a) => a.if)).size).toBe(d.alternatives.length);
      }),
      { numRuns: 800 },
    );
  });
});

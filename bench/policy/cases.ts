/**
 * A realistic, seeded mix of policy inputs for the benchmark, shaped after an SMM panel's support
 * queue: order claims ~76%, payment claims ~14%, other and never-remedied claims ~10%; findings
 * partly known; some late, incomplete or mismatched tickets; a few account flags.
 */
import type { Claim, PolicyInputRaw } from '../../lib/policy';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

const CLAIM_MIX: Weighted<Claim> = [
  ['not_delivered', 30],
  ['partial_delivery', 20],
  ['drop', 12],
  ['not_started', 8],
  ['cancel_request', 6],
  ['payment_not_credited', 8],
  ['duplicate_payment', 6],
  ['slow_delivery', 3],
  ['quality', 2],
  ['other', 1.5],
  ['unused_balance', 1],
  ['wrong_link', 1],
  ['change_of_mind', 0.5],
  ['price_change', 0.5],
  ['crypto_payment_issue', 0.5],
];

const STATUS_MIX: Weighted<string> = [
  ['submitted', 10],
  ['processing', 30],
  ['partial', 25],
  ['completed', 30],
  ['canceled', 5],
];

const METHOD_MIX: Weighted<string> = [
  ['crypto', 45],
  ['card', 30],
  ['wallet', 20],
  ['bank', 5],
];

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 5, 1);

export function generateCases(count: number, seed = 20260610): PolicyInputRaw[] {
  const rnd = prng(seed);
  const chance = (p: number) => rnd() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  function pick<T>(mix: Weighted<T>): T {
    const total = mix.reduce((s, [, w]) => s + w, 0);
    let r = rnd() * total;
    for (const [v, w] of mix) {
      r -= w;
      if (r < 0) return v;
    }
    return mix[mix.length - 1]![0];
  }
  const finding = (pTrue: number) => (chance(0.5) ? null : chance(pTrue));
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

  const cases: PolicyInputRaw[] = [];
  for (let i = 0; i < count; i++) {
    const claim = pick(CLAIM_MIX);
    const isPayment =
      claim === 'duplicate_payment' || claim === 'payment_not_credited' || claim === 'crypto_payment_issue' || claim === 'unused_balance';
    const changed = BASE + int(0, 20) * DAY + int(0, 86_399) * 1000;
    const opened = changed + int(0, 10 * DAY);
    const quantity = pick([
      [100, 2],
      [500, 2],
      [1000, 4],
      [5000, 2],
      [10_000, 1],
    ] as const);
    const status = pick(STATUS_MIX);
    const delivered =
      status === 'completed'
        ? chance(0.6)
          ? quantity
          : int(0, quantity)
        : status === 'submitted'
          ? 0
          : chance(0.3)
            ? 0
            : int(0, quantity);
    const link = `https://instagram.com/acct${int(1, 50_000)}`;
    const hasOrder = !isPayment && chance(0.96);
    const input: PolicyInputRaw = {
      now: iso(opened + int(0, 2 * DAY)),
      ticket: {
        openedAt: iso(opened),
        claim,
        requestedRemedy: pick([
          [null, 6],
          ['balance_credit', 1],
          ['original_method_refund', 2],
          ['reprocess', 1],
          ['refill', claim === 'drop' ? 3 : 0],
          ['cancel', claim === 'cancel_request' ? 3 : 0],
        ] as const),
        orderNumber: isPayment ? null : chance(0.9) ? String(80_000 + i) : null,
        targetLink: isPayment ? null : chance(0.9) ? (chance(0.05) ? `${link} ` : chance(0.03) ? `${link}_x` : link) : null,
        explanation: chance(0.95) ? 'Nothing arrived after two days' : '  ',
        evidenceCount: chance(0.85) ? int(1, 4) : 0,
        mandatoryLawClaimed: chance(0.01),
        chargebackThreatened: chance(0.03),
        resellerDownstreamDispute: chance(0.02),
      },
      order: hasOrder
        ? {
            id: String(80_000 + i),
            status: status as 'completed',
            statusChangedAt: iso(changed),
            link,
            quantity,
            delivered,
            charge: `${int(0, 120)}.${String(int(0, 99)).padStart(2, '0')}`,
            currency: 'USD',
            service: {
              refillDays: pick([
                [null, 4],
                [0, 1],
                [30, 4],
                [60, 1],
              ] as const),
              reviewWindowDays: chance(0.1) ? int(1, 14) : null,
            },
          }
        : null,
      payment: isPayment
        ? {
            method: pick(METHOD_MIX) as 'card',
            amount: `${int(1, 300)}.${String(int(0, 99)).padStart(2, '0')}`,
            currency: 'USD',
            paidAt: iso(changed),
            credited: chance(0.3),
            duplicate: claim === 'duplicate_payment',
            overcharged: chance(0.05),
            balanceSpent: chance(0.3),
            processorAllowsRefund: chance(0.5) ? null : chance(0.7),
          }
        : null,
      account: {
        chargebackOpen: chance(0.01),
        fraudSuspected: chance(0.01),
        refundRequests90d: chance(0.97) ? int(0, 3) : int(5, 9),
      },
      findings: {
        linkValid: finding(0.95),
        targetPublic: finding(0.9),
        targetUnchanged: finding(0.9),
        duplicateOrderSameTarget: finding(0.05),
        otherProvidersUsed: finding(0.08),
        platformAction: finding(0.05),
        companyFault: finding(0.6),
      },
    };
    // Some callers leave out what may be missing.
    if (chance(0.2)) {
      delete input.findings;
      delete input.account;
    }
    cases.push(input);
  }
  // Inputs reach the check through JSON (request bodies, database rows, the command line).
  return JSON.parse(JSON.stringify(cases)) as PolicyInputRaw[];
}

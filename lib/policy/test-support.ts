/**
 * Shared by the policy tests (not used by the engine): a base case to patch, fast-check
 * arbitraries for raw inputs, and the example files.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NEGATIVE_VALUE } from './alternatives';
import {
  FINDING_NAMES,
  NEVER_REMEDIED_CLAIMS,
  ORDER_CLAIMS,
  ORDER_STATUSES,
  PAYMENT_CLAIMS,
  PAYMENT_METHODS,
  REMEDIES,
  type VerifyName,
} from './constants';
import type { PolicyInputRaw } from './schema';

export const POLICY_DIR = __dirname;
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DAY = 86_400_000;

type Obj = Record<string, unknown>;

/** A complete, on-time, fully documented `not_delivered` ticket: company fault unknown → verify. */
export function baseInput(): Obj {
  return {
    now: '2026-07-01T12:00:00Z',
    ticket: {
      openedAt: '2026-06-30T09:00:00Z',
      claim: 'not_delivered',
      requestedRemedy: null,
      orderNumber: '88412',
      targetLink: 'https://instagram.com/acme',
      explanation: 'Nothing arrived',
      evidenceCount: 1,
      mandatoryLawClaimed: false,
      chargebackThreatened: false,
      resellerDownstreamDispute: false,
    },
    order: {
      id: '88412',
      status: 'processing',
      statusChangedAt: '2026-06-28T10:00:00Z',
      link: 'https://instagram.com/acme',
      quantity: 1000,
      delivered: 0,
      charge: '12.50',
      currency: 'USD',
      service: { refillDays: 30, reviewWindowDays: null },
    },
    payment: null,
    account: { chargebackOpen: false, fraudSuspected: false, refundRequests90d: 0 },
    findings: {
      linkValid: null,
      targetPublic: null,
      targetUnchanged: null,
      duplicateOrderSameTarget: null,
      otherProvidersUsed: null,
      platformAction: null,
      companyFault: null,
    },
  };
}

/** A card payment of 25.00 two days before the base ticket. */
export function basePayment(): Obj {
  return {
    method: 'card',
    amount: '25.00',
    currency: 'USD',
    paidAt: '2026-06-28T08:00:00Z',
    credited: false,
    duplicate: true,
    overcharged: false,
    balanceSpent: false,
    processorAllowsRefund: true,
  };
}

export type Patch = { [key: string]: unknown };

/** Deep-merges `patch` into `base` (objects merge; anything else, null included, replaces; undefined deletes). */
export function merge(base: Obj, patch: Patch): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isPlain(value) && isPlain(current)) out[key] = merge(current, value);
    else out[key] = value;
  }
  return out;
}

function isPlain(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The base case with a patch applied. */
export function input(patch: Patch = {}): Obj {
  return merge(baseInput(), patch);
}

/** A payment claim (base payment, no order) with a patch applied. */
export function paymentInput(patch: Patch = {}): Obj {
  return merge(
    merge(baseInput(), {
      ticket: { claim: 'payment_not_credited', orderNumber: null, targetLink: null },
      order: null,
      payment: basePayment(),
      findings: { companyFault: true },
    }),
    patch,
  );
}

export interface Example {
  file: string;
  name: string;
  input: unknown;
  expect: {
    outcome: string;
    accountAction: string;
    requiresApproval: string;
    codes: string[];
    amount?: string;
    currency?: string;
    missingInfo?: string[];
    toVerify?: string[];
  };
}

export function loadExamples(dir = path.join(POLICY_DIR, 'examples')): Example[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<Example, 'file'>) }));
}

// ---- fast-check arbitraries -------------------------------------------------------------------

/** One of the values, with the given weights. */
function weighted<T>(...choices: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));
}

const rare = weighted([false, 59], [true, 1]);

const BASE_MS = Date.UTC(2026, 5, 1);

/** An ISO text for `ms`, in one of the accepted spellings (Z, offset, no zone, fractions). */
const isoArb = (ms: number) =>
  fc.constantFrom('Z', 'none', '+02:00', '-0530', 'frac').map((style) => {
    const iso = new Date(ms).toISOString(); // …sss Z
    switch (style) {
      case 'none':
        return iso.slice(0, -1);
      case '+02:00':
        return `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, -1)}+02:00`;
      case '-0530':
        return `${new Date(ms - 5.5 * 3_600_000).toISOString().slice(0, -1)}-0530`;
      case 'frac':
        return iso;
      default:
        return iso.replace('.000Z', 'Z');
    }
  });

/** Offsets: mostly within a week, often exactly at a day boundary (or 1 ms off), sometimes anywhere. */
const offsetArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 * DAY }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 7 * DAY }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(0, 1, 2, 3, 5, 7, 10, 30, 60), fc.constantFrom(-1, 0, 1)).map(([d, e]) => d * DAY + e),
  },
  { weight: 1, arbitrary: fc.integer({ min: -2 * DAY, max: 70 * DAY }) },
);

const moneyArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 99 })).map(([a, c]) => `${a}.${String(c).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.stringMatching(/^\d{0,8}$/)).map(([a, f]) => (f === '' ? `${a}` : `${a}.${f}`)),
  fc.constantFrom('50.00', '50.01', '50.005', '0', '0.00', '99999999999.999999'),
);

const textArb = fc.oneof(
  { weight: 60, arbitrary: fc.constant('Some text') },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t\n') },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
);

const LINK = 'https://instagram.com/acme';
const linkArb = weighted<string | null>(
  [LINK, 40],
  [` ${LINK}  `, 2],
  [`${LINK}\t`, 1],
  ['https://instagram.com/other', 1],
  [null, 1],
  ['  ', 1],
);
/** A fact: unknown, in the customer's favour, or (less often) against. */
const factArb = weighted<'unknown' | 'positive' | 'negative'>(['unknown', 4], ['positive', 4], ['negative', 1]);
const factValue = (name: VerifyName, v: 'unknown' | 'positive' | 'negative') =>
  v === 'unknown' ? null : v === 'negative' ? NEGATIVE_VALUE[name] : !NEGATIVE_VALUE[name];

const quantityArb = fc.oneof(fc.constantFrom(1, 2, 49, 50, 100, 1000, 5000), fc.integer({ min: 1, max: 100_000 }));
const deliveredArb = (q: number) =>
  fc
    .oneof(
      fc.constantFrom(0, q, q - 1, q + 1, q - Math.floor((q * 2) / 100), q - Math.floor((q * 2) / 100) - 1),
      fc.integer({ min: 0, max: q + 10 }),
    )
    .map((d) => Math.max(0, d));

/** A valid raw input covering every claim, status, payment method and boundary of the rules. */
export const rawInputArb: fc.Arbitrary<PolicyInputRaw> = fc
  .record({
    claim: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...ORDER_CLAIMS) },
      { weight: 4, arbitrary: fc.constantFrom(...PAYMENT_CLAIMS) },
      { weight: 2, arbitrary: fc.constantFrom(...NEVER_REMEDIED_CLAIMS, 'other' as const) },
    ),
    changedMs: fc.integer({ min: 0, max: 30 * DAY }).map((o) => BASE_MS + o),
    openedOffset: offsetArb,
    paidOffset: offsetArb,
    hasOrder: weighted([true, 20], [false, 1]),
    hasPayment: weighted([true, 10], [false, 1]),
    quantity: quantityArb,
    status: fc.constantFrom(...ORDER_STATUSES),
    refillDays: weighted<number | null>([null, 2], [0, 2], [1, 1], [5, 1], [7, 1], [30, 3]),
    reviewWindowDays: weighted<number | null>([null, 6], [0, 1], [3, 1], [7, 1], [10, 1]),
    charge: moneyArb,
    amount: moneyArb,
    method: fc.constantFrom(...PAYMENT_METHODS),
    remedy: fc.constantFrom(null, ...REMEDIES),
    orderNumber: textArb,
    targetLink: linkArb,
    explanation: textArb,
    evidenceCount: weighted([1, 20], [3, 8], [0, 1]),
    flags: fc.tuple(rare, rare, rare, rare, rare),
    refundRequests90d: weighted([0, 40], [1, 10], [4, 6], [5, 1], [6, 1]),
    payFlags: fc.tuple(weighted([false, 4], [true, 1]), fc.boolean(), fc.boolean(), weighted([false, 3], [true, 1])),
    processorAllowsRefund: factArb,
    findings: fc.tuple(...FINDING_NAMES.map(() => factArb)),
    omit: fc.boolean(),
  })
  .chain((r) =>
    fc
      .tuple(
        isoArb(r.changedMs + r.openedOffset + 3 * DAY),
        isoArb(r.changedMs + r.openedOffset),
        isoArb(r.changedMs),
        isoArb(r.changedMs + r.openedOffset - r.paidOffset),
        deliveredArb(r.quantity),
      )
      .map(([now, opened, changed, paid, delivered]) => {
        const [fraud, chargebackOpen, reseller, mandatory, threatened] = r.flags;
        const [credited, duplicate, overcharged, balanceSpent] = r.payFlags;
        const f = r.findings;
        const raw: Obj = {
          now,
          ticket: {
            openedAt: opened,
            claim: r.claim,
            requestedRemedy: r.remedy,
            orderNumber: r.orderNumber,
            targetLink: r.targetLink,
            explanation: r.explanation,
            evidenceCount: r.evidenceCount,
            mandatoryLawClaimed: mandatory,
            chargebackThreatened: threatened,
            resellerDownstreamDispute: reseller,
          },
          order: r.hasOrder
            ? {
                id: '88412',
                status: r.status,
                statusChangedAt: changed,
                link: LINK,
                quantity: r.quantity,
                delivered,
                charge: r.charge,
                currency: 'USD',
                service: { refillDays: r.refillDays, reviewWindowDays: r.reviewWindowDays },
              }
            : null,
          payment: r.hasPayment
            ? {
                method: r.method,
                amount: r.amount,
                currency: 'EUR',
                paidAt: paid,
                credited,
                duplicate,
                overcharged,
                balanceSpent,
                processorAllowsRefund: factValue('processorAllowsRefund', r.processorAllowsRefund),
              }
            : null,
          account: { chargebackOpen, fraudSuspected: fraud, refundRequests90d: r.refundRequests90d },
          findings: Object.fromEntries(FINDING_NAMES.map((name, i) => [name, factValue(name, f[i] ?? 'unknown')])),
        };
        if (r.omit) {
          // What may be missing is left out: null, false or 0 is read instead.
          const ticket = raw.ticket as Obj;
          for (const key of ['requestedRemedy', 'evidenceCount', 'mandatoryLawClaimed', 'chargebackThreatened']) {
            if (ticket[key] === null || ticket[key] === false || ticket[key] === 0) delete ticket[key];
          }
          const findings = raw.findings as Obj;
          for (const key of Object.keys(findings)) if (findings[key] === null) delete findings[key];
          if (raw.payment === null) delete raw.payment;
        }
        return raw as PolicyInputRaw;
      }),
  );

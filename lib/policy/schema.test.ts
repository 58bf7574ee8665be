import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  formatIssues,
  parsePolicyInput,
  policyInputSchema,
  PolicyInputError,
  safeCheckPolicy,
  safeParsePolicyInput,
} from './index';
import { input, rawInputArb, type Patch } from './test-support';

/** The message of the hand validator (the one checkPolicy uses). */
const problem = (raw: unknown) => {
  const r = safeParsePolicyInput(raw);
  return r.ok ? 'ok' : r.error;
};
const zodProblems = (raw: unknown) => {
  const r = policyInputSchema.safeParse(raw);
  return r.success ? [] : formatIssues(r.error.issues);
};
/** Both validators: the hand validator's message, which zod must report too. */
const rejects = (patch: Patch) => {
  const raw = input(patch);
  const message = problem(raw);
  expect(zodProblems(raw)).toContain(message);
  return message;
};

describe('input validation names the field', () => {
  it('accepts the base case and the examples’ shape', () => {
    expect(problem(input())).toBe('ok');
  });

  it.each<[string, Patch, string]>([
    ['unknown top-level field', { extra: 1 }, 'extra: unknown field'],
    ['unknown ticket field', { ticket: { priority: 'high' } }, 'ticket.priority: unknown field'],
    ['unknown order field', { order: { sku: 'x' } }, 'order.sku: unknown field'],
    ['unknown service field', { order: { service: { refill: 30 } } }, 'order.service.refill: unknown field'],
    ['unknown finding', { findings: { targetDeleted: true } }, 'findings.targetDeleted: unknown field'],
    ['unknown account field', { account: { vip: true } }, 'account.vip: unknown field'],
    ['quantity 0', { order: { quantity: 0 } }, 'order.quantity: must be an integer ≥ 1'],
    ['quantity 1.5', { order: { quantity: 1.5 } }, 'order.quantity: must be an integer ≥ 1'],
    ['quantity as text', { order: { quantity: '1000' } }, 'order.quantity: must be an integer ≥ 1'],
    ['unsafe quantity', { order: { quantity: 2 ** 53 } }, 'order.quantity: must be an integer ≥ 1'],
    ['negative delivered', { order: { delivered: -1 } }, 'order.delivered: must be an integer ≥ 0'],
    ['evidenceCount null', { ticket: { evidenceCount: null } }, 'ticket.evidenceCount: must be an integer ≥ 0'],
    ['refundRequests90d 1.5', { account: { refundRequests90d: 1.5 } }, 'account.refundRequests90d: must be an integer ≥ 0'],
    ['boolean as text', { ticket: { chargebackThreatened: 'yes' } }, 'ticket.chargebackThreatened: must be true or false'],
    ['boolean null', { account: { chargebackOpen: null } }, 'account.chargebackOpen: must be true or false'],
    ['finding as text', { findings: { companyFault: 'true' } }, 'findings.companyFault: must be true, false or null'],
    [
      'unknown claim',
      { ticket: { claim: 'refund' } },
      expect.stringMatching(/^ticket\.claim: must be one of not_started, .*, other$/) as unknown as string,
    ],
    [
      'unknown remedy',
      { ticket: { requestedRemedy: 'cash' } },
      expect.stringMatching(/^ticket\.requestedRemedy: must be one of .*, or null$/) as unknown as string,
    ],
    [
      'unknown status',
      { order: { status: 'done' } },
      expect.stringMatching(/^order\.status: must be one of submitted/) as unknown as string,
    ],
    ['text as number', { ticket: { orderNumber: 88412 } }, 'ticket.orderNumber: must be a string or null'],
    ['blank order link', { order: { link: '  ' } }, 'order.link: must be a non-blank string'],
    ['money as number', { order: { charge: 12.5 } }, 'order.charge: must be a non-negative decimal string such as "12.50"'],
    ['negative money', { order: { charge: '-1.00' } }, 'order.charge: must be a non-negative decimal string such as "12.50"'],
    ['money with comma', { order: { charge: '12,50' } }, 'order.charge: must be a non-negative decimal string such as "12.50"'],
    ['money with exponent', { order: { charge: '1e3' } }, 'order.charge: must be a non-negative decimal string such as "12.50"'],
    ['money with a bare dot', { order: { charge: '12.' } }, 'order.charge: must be a non-negative decimal string such as "12.50"'],
    ['currency blank', { order: { currency: ' ' } }, 'order.currency: must be a currency code such as "USD"'],
    [
      'service days negative',
      { order: { service: { refillDays: -1 } } },
      'order.service.refillDays: must be null or an integer from 0 to 1000000',
    ],
    [
      'service days fraction',
      { order: { service: { reviewWindowDays: 2.5 } } },
      'order.service.reviewWindowDays: must be null or an integer from 0 to 1000000',
    ],
    ['order as array', { order: [] }, 'order: must be an object or null'],
    ['findings as text', { findings: 'none' }, 'findings: must be an object or null'],
    ['ticket null', { ticket: null }, 'ticket: must be an object'],
  ])('%s', (_name, patch, message) => {
    expect(rejects(patch)).toEqual(message);
  });

  it.each<[string, Patch, string]>([
    ['now', { now: undefined }, 'now: required'],
    ['ticket', { ticket: undefined }, 'ticket: required'],
    ['ticket.openedAt', { ticket: { openedAt: undefined } }, 'ticket.openedAt: required'],
    ['ticket.claim', { ticket: { claim: undefined } }, 'ticket.claim: required'],
    ['order.status', { order: { status: undefined } }, 'order.status: required'],
    ['order.statusChangedAt', { order: { statusChangedAt: undefined } }, 'order.statusChangedAt: required'],
    ['order.link', { order: { link: undefined } }, 'order.link: required'],
    ['order.quantity', { order: { quantity: undefined } }, 'order.quantity: required'],
    ['order.delivered', { order: { delivered: undefined } }, 'order.delivered: required'],
    ['order.charge', { order: { charge: undefined } }, 'order.charge: required'],
    ['order.currency', { order: { currency: undefined } }, 'order.currency: required'],
    ['payment.method', { payment: { amount: '1', currency: 'USD', paidAt: '2026-06-28' } }, 'payment.method: required'],
    ['payment.amount', { payment: { method: 'card', currency: 'USD', paidAt: '2026-06-28' } }, 'payment.amount: required'],
    ['payment.currency', { payment: { method: 'card', amount: '1', paidAt: '2026-06-28' } }, 'payment.currency: required'],
    ['payment.paidAt', { payment: { method: 'card', amount: '1', currency: 'USD' } }, 'payment.paidAt: required'],
  ])('missing required %s', (_name, patch, message) => {
    expect(rejects(patch)).toBe(message);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z', // 2026 is no leap year
    '2026-13-01T00:00:00Z',
    '2026-06-28T24:00:00Z',
    '2026-06-28T10:60:00Z',
    '2026-06-28T10:00:60Z',
    '2026-06-28 10:00:00Z',
    '2026-06-28T10Z',
    '2026-06-28T10:00:00.Z',
    '2026-06-28T10:00:00.1234567891Z',
    '2026-06-28T10:00:00+24:00',
    '2026-06-28T10:00:00+02:0',
    '2026-06-28T10:00:00 Z',
    '20260628T100000Z',
    '+002026-06-28T10:00:00Z',
    'yesterday',
    '',
  ])('rejects the invalid time %j naming the field', (openedAt) => {
    expect(rejects({ ticket: { openedAt } })).toBe('ticket.openedAt: must be an ISO-8601 date-time such as "2026-06-28T10:00:00Z"');
  });

  it('a time must be a string', () => {
    expect(rejects({ order: { statusChangedAt: 1_782_640_800_000 } })).toMatch(/^order\.statusChangedAt: must be an ISO-8601/);
  });

  it('rejects a non-object input', () => {
    for (const raw of [null, 'x', 3, []]) expect(problem(raw)).toBe('input: must be an object');
  });

  it('rejects a __proto__ key from JSON', () => {
    const raw: unknown = JSON.parse(JSON.stringify(input()).replace(/^\{/, '{"__proto__": {"x": 1},'));
    expect(problem(raw)).toBe('__proto__: unknown field');
    expect(zodProblems(raw)).toContain('__proto__: unknown field');
  });

  it('checkPolicy throws PolicyInputError with the field; safeCheckPolicy returns it', () => {
    const raw = input({ order: { quantity: 0 } });
    expect(() => checkPolicy(raw)).toThrow(PolicyInputError);
    expect(() => checkPolicy(raw)).toThrow('order.quantity: must be an integer ≥ 1');
    expect(safeCheckPolicy(raw)).toEqual({ ok: false, error: 'order.quantity: must be an integer ≥ 1' });
    try {
      checkPolicy(raw);
    } catch (err) {
      expect((err as PolicyInputError).field).toBe('order.quantity');
    }
  });
});

describe('what may be missing', () => {
  it('missing texts, findings and processorAllowsRefund read as null, booleans as false, counts as 0', () => {
    const parsed = parsePolicyInput({
      now: '2026-07-01T12:00:00Z',
      ticket: { openedAt: '2026-06-30T09:00:00Z', claim: 'other' },
      order: { status: 'submitted', statusChangedAt: '2026-06-28', link: 'l', quantity: 1, delivered: 0, charge: '1', currency: 'USD' },
      payment: { method: 'card', amount: '1', currency: 'USD', paidAt: '2026-06-28' },
    });
    expect(parsed).toEqual({
      now: '2026-07-01T12:00:00Z',
      ticket: {
        openedAt: '2026-06-30T09:00:00Z',
        claim: 'other',
        requestedRemedy: null,
        orderNumber: null,
        targetLink: null,
        explanation: null,
        evidenceCount: 0,
        mandatoryLawClaimed: false,
        chargebackThreatened: false,
        resellerDownstreamDispute: false,
      },
      order: {
        id: null,
        status: 'submitted',
        statusChangedAt: '2026-06-28',
        link: 'l',
        quantity: 1,
        delivered: 0,
        charge: '1',
        currency: 'USD',
        service: { refillDays: null, reviewWindowDays: null },
      },
      payment: {
        method: 'card',
        amount: '1',
        currency: 'USD',
        paidAt: '2026-06-28',
        credited: false,
        duplicate: false,
        overcharged: false,
        balanceSpent: false,
        processorAllowsRefund: null,
      },
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
    });
  });

  it('blank texts become null; others are kept as written', () => {
    const parsed = parsePolicyInput(input({ ticket: { explanation: ' \n', targetLink: ' https://instagram.com/acme ' } }));
    expect(parsed.ticket.explanation).toBeNull();
    expect(parsed.ticket.targetLink).toBe(' https://instagram.com/acme ');
  });

  it('a parsed input is itself a valid raw input and parses to itself', () => {
    const parsed = parsePolicyInput(input());
    expect(parsePolicyInput(parsed)).toEqual(parsed);
  });
});

describe('hand validator and zod schema agree', () => {
  it('on valid inputs: both accept and parse to the same value', () => {
    fc.assert(
      fc.property(rawInputArb, (raw) => {
        const zod = policyInputSchema.safeParse(raw);
        expect(zod.success).toBe(true);
        expect(parsePolicyInput(raw)).toEqual(zod.data);
      }),
      { numRuns: 400 },
    );
  });

  /** Sets, deletes or adds one field somewhere in the input. */
  const mutationArb = fc.record({
    path: fc.constantFrom<string[]>([], ['ticket'], ['order'], ['order', 'service'], ['payment'], ['account'], ['findings']),
    key: fc.constantFrom(
      'now',
      'ticket',
      'order',
      'payment',
      'account',
      'findings',
      'openedAt',
      'claim',
      'requestedRemedy',
      'orderNumber',
      'targetLink',
      'explanation',
      'evidenceCount',
      'mandatoryLawClaimed',
      'chargebackThreatened',
      'status',
      'statusChangedAt',
      'link',
      'quantity',
      'delivered',
      'charge',
      'currency',
      'service',
      'refillDays',
      'reviewWindowDays',
      'method',
      'amount',
      'paidAt',
      'credited',
      'processorAllowsRefund',
      'chargebackOpen',
      'refundRequests90d',
      'companyFault',
      'linkValid',
      'bogus',
    ),
    value: fc.constantFrom(
      undefined,
      null,
      true,
      false,
      0,
      -1,
      1,
      1.5,
      2 ** 53,
      '',
      '  ',
      'x',
      '12.50',
      '-3',
      '2026-06-28T10:00:00Z',
      '2026-02-30',
      'card',
      'submitted',
      'other',
      [],
      {},
      { a: 1 },
    ),
  });

  it('on mutated inputs: same verdict; a rejection names one of zod’s problems', () => {
    fc.assert(
      fc.property(rawInputArb, mutationArb, (raw, m) => {
        const copy = structuredClone(raw) as Record<string, unknown>;
        let target: unknown = copy;
        for (const step of m.path) target = (target as Record<string, unknown> | null)?.[step];
        if (typeof target !== 'object' || target === null || Array.isArray(target)) return;
        if (m.value === undefined) delete (target as Record<string, unknown>)[m.key];
        else (target as Record<string, unknown>)[m.key] = m.value;

        const zod = policyInputSchema.safeParse(copy);
        const hand = safeParsePolicyInput(copy);
        expect(hand.ok).toBe(zod.success);
        if (hand.ok && zod.success) expect(hand.value).toEqual(zod.data);
        if (!hand.ok && !zod.success) expect(formatIssues(zod.error.issues)).toContain(hand.error);
      }),
      { numRuns: 3000 },
    );
  });
});

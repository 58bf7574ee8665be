import { describe, expect, it } from 'vitest';
import { creditAmountSchema, requestManualCreditSchema, reviewManualCreditSchema } from '@/lib/validation/credits';
import { needsSecondAdmin } from './threshold';

describe('threshold', () => {
  // The money arithmetic itself is tested in lib/money.test.ts.
  it('needs a second admin strictly above 50.00', () => {
    expect(needsSecondAdmin('50.00', '50.00')).toBe(false);
    expect(needsSecondAdmin('50.01', '50.00')).toBe(true);
    expect(needsSecondAdmin('0.01', '50.00')).toBe(false);
  });
});

describe('credit schemas', () => {
  it('normalises valid amounts to two decimals', () => {
    expect(creditAmountSchema.parse(' 10 ')).toBe('10.00');
    expect(creditAmountSchema.parse('0.5')).toBe('0.50');
    expect(creditAmountSchema.parse('10000.00')).toBe('10000.00');
    expect(creditAmountSchema.parse('007.10')).toBe('7.10');
  });

  it('refuses bad amounts with one sentence each', () => {
    const message = (value: unknown) => creditAmountSchema.safeParse(value).error?.issues.map((i) => i.message);
    expect(message('1.234')).toEqual(['Use at most two decimal places (cents), such as 10.50.']);
    expect(message('-5')).toEqual(['The amount must be positive; to take money back, reverse the credit instead.']);
    expect(message('0')).toEqual(['The amount must be more than 0.00.']);
    expect(message('10000.01')).toEqual(['The amount can be at most 10,000.00 per credit.']);
    expect(message('abc')).toHaveLength(1);
    expect(message(10)).toHaveLength(1);
  });

  it('uppercases the currency and trims the note', () => {
    const parsed = requestManualCreditSchema.parse({
      customerId: '7',
      amount: '1',
      currency: 'usd',
      reasonCode: 'goodwill',
      note: '  Thanks!  ',
      idempotencyKey: 'abcdefgh-1234',
    });
    expect(parsed).toEqual({
      customerId: 7,
      amount: '1.00',
      currency: 'USD',
      reasonCode: 'goodwill',
      note: 'Thanks!',
      idempotencyKey: 'abcdefgh-1234',
    });
  });

  it('needs a reason to reject, not to approve', () => {
    expect(reviewManualCreditSchema.safeParse({ manualCreditId: 1, approve: true }).success).toBe(true);
    expect(reviewManualCreditSchema.safeParse({ manualCreditId: 1, approve: 'false', reason: 'Nope' }).error?.issues[0]?.path).toEqual([
      'reason',
    ]);
    expect(reviewManualCreditSchema.parse({ manualCreditId: 1, approve: 'false', reason: ' Not needed ' })).toEqual({
      manualCreditId: 1,
      approve: false,
      reason: 'Not needed',
    });
  });
});

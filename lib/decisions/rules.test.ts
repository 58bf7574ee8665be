import { describe, expect, it } from 'vitest';
import {
  amountSchema,
  approvalReasonsFor,
  decisionFormSchemaFor,
  fillDraft,
  isAbove,
  isOverrideOf,
  proposeDecisionSchema,
  reviewDecisionSchema,
  sameAmount,
  type SuggestedChoice,
} from '@/lib/validation/decisions';

const credit: SuggestedChoice = { outcome: 'balance_credit', amount: '7.50', accountAction: 'none', requiresApproval: 'none' };

describe('amounts', () => {
  it('accepts decimal strings above 0 with at most two decimals, normalized to two', () => {
    expect(amountSchema.parse('7.5')).toBe('7.50');
    expect(amountSchema.parse(' 007 ')).toBe('7.00');
    expect(amountSchema.parse('0.01')).toBe('0.01');
    for (const bad of ['0', '0.00', '-1', '1.234', '1e3', '1,50', '', 'abc', '1234567890123.00'])
      expect(amountSchema.safeParse(bad).success, bad).toBe(false);
    expect(amountSchema.safeParse(7.5).success).toBe(false);
  });

  it('compares exactly, without floats', () => {
    expect(sameAmount('7.5', '7.50')).toBe(true);
    expect(sameAmount('7.51', '7.50')).toBe(false);
    expect(sameAmount(null, null)).toBe(true);
    expect(isAbove('50.00', '50.00')).toBe(false);
    expect(isAbove('50.01', '50.00')).toBe(true);
    expect(isAbove('0.30', '0.3')).toBe(false);
  });
});

describe('override and approval rules', () => {
  it('another outcome, amount or account action is an override; the same amount written differently is not', () => {
    expect(isOverrideOf(credit, { outcome: 'balance_credit' })).toBe(false);
    expect(isOverrideOf(credit, { outcome: 'balance_credit', amount: '7.5' })).toBe(false);
    expect(isOverrideOf(credit, { outcome: 'balance_credit', amount: '7.49' })).toBe(true);
    expect(isOverrideOf(credit, { outcome: 'deny' })).toBe(true);
    expect(isOverrideOf(credit, { outcome: 'balance_credit', accountAction: 'suspend' })).toBe(true);
    expect(isOverrideOf({ ...credit, outcome: 'verify', amount: null }, { outcome: 'deny' })).toBe(true);
    expect(isOverrideOf(null, { outcome: 'deny' })).toBe(true);
  });

  it('needs a supervisor above 50.00 (strictly), for cash refunds, overrides, escalations and suspensions', () => {
    const reasons = (
      outcome: Parameters<typeof approvalReasonsFor>[0]['outcome'],
      amount: string | null,
      extra: Partial<{ accountAction: 'none' | 'review' | 'suspend'; isOverride: boolean }> = {},
    ) =>
      approvalReasonsFor(
        { outcome, amount, accountAction: extra.accountAction ?? 'none', isOverride: extra.isOverride ?? false },
        credit,
        '50.00',
      );
    expect(reasons('balance_credit', '50.00')).toEqual([]);
    expect(reasons('balance_credit', '50.01')).toEqual(['above_threshold']);
    expect(reasons('original_method_refund', '1.00')).toEqual(['cash_refund']);
    expect(reasons('escalate', null)).toEqual(['escalation']);
    expect(reasons('deny', null, { accountAction: 'suspend' })).toEqual(['suspension']);
    expect(reasons('deny', null, { accountAction: 'review' })).toEqual([]);
    expect(reasons('balance_credit', '60.00', { isOverride: true })).toEqual(['override', 'above_threshold']);
  });
});

describe('schemas', () => {
  it('the proposal refuses an amount on a non-paying outcome and unknown fields, and needs a key of 8–200 characters', () => {
    const base = { ticketId: 1, outcome: 'deny', idempotencyKey: 'abcdefgh' };
    expect(proposeDecisionSchema.safeParse(base).success).toBe(true);
    expect(proposeDecisionSchema.safeParse({ ...base, amount: '1.00' }).error?.issues[0]?.path).toEqual(['amount']);
    expect(proposeDecisionSchema.safeParse({ ...base, amount: '' }).success).toBe(true);
    expect(proposeDecisionSchema.safeParse({ ...base, idempotencyKey: 'abcdefg' }).success).toBe(false);
    expect(proposeDecisionSchema.safeParse({ ...base, idempotencyKey: 'x'.repeat(201) }).success).toBe(false);
    expect(proposeDecisionSchema.safeParse({ ...base, idempotencyKey: 'has space here' }).success).toBe(false);
    expect(proposeDecisionSchema.safeParse({ ...base, other: 1 }).success).toBe(false);
  });

  it('a rejection needs a reason of at least 5 characters; an approval does not', () => {
    expect(reviewDecisionSchema.safeParse({ decisionId: 1, approve: true }).success).toBe(true);
    expect(reviewDecisionSchema.safeParse({ decisionId: 1, approve: false, reason: ' four ' }).success).toBe(false);
    expect(reviewDecisionSchema.safeParse({ decisionId: 1, approve: 'false', reason: 'fives' }).success).toBe(true);
  });

  it('the form asks for the override reason only when it departs from the suggestion', () => {
    const schema = decisionFormSchemaFor(credit);
    const values = { outcome: 'balance_credit', amount: '7.50', reason: '', reply: 'Hello', accountAction: 'none' };
    expect(schema.safeParse(values).success).toBe(true);
    const override = schema.safeParse({ ...values, amount: '8.00' });
    expect(override.error?.issues.map((i) => i.path[0])).toEqual(['reason']);
    expect(schema.safeParse({ ...values, amount: '8.00', reason: 'A reason long enough.' }).success).toBe(true);
    expect(schema.safeParse({ ...values, amount: '' }).error?.issues.map((i) => i.path[0])).toContain('amount');
  });

  it('fills the amount into drafts', () => {
    expect(fillDraft('We added {{amount}}.', '7.50', 'USD')).toBe('We added 7.50 USD.');
    expect(fillDraft('We added {{amount}}.', null, 'USD')).toBe('We added the amount due.');
  });
});

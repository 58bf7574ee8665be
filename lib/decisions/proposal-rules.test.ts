import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { Decision } from '@/lib/policy';
import type { CreditRoom } from './credit-room';
import {
  checkReplyGiven,
  checkTicketTakesProposal,
  choiceAgainst,
  describeSuggestion,
  paymentOf,
  suggestedChoiceOf,
} from './proposal-rules';

const suggestion = (over: Partial<Decision> = {}): Decision => ({
  outcome: 'balance_credit',
  amount: '7.50',
  currency: 'USD',
  accountAction: 'none',
  requiresApproval: 'none',
  reasons: [],
  missingInfo: [],
  toVerify: [],
  alternatives: [],
  policyVersion: '2026-06-10',
  ...over,
});

const room = (remaining: string, over: Partial<CreditRoom> = {}): CreditRoom => ({
  kind: 'order',
  id: 1,
  reference: '88412',
  total: '12.50',
  currency: 'USD',
  alreadyPaid: '0.00',
  panelRefunded: '0.00',
  remaining,
  ...over,
});

/** The AppError a rule throws, as `{ code, message, fieldErrors }`. */
function refusal(rule: () => unknown) {
  try {
    rule();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.code, message: e.message, fieldErrors: e.fieldErrors };
  }
  throw new Error('the rule did not refuse');
}

describe('checkTicketTakesProposal', () => {
  const open = { id: 12, status: 'open', orderId: 5 };

  it('lets an open ticket without a waiting decision take any outcome it can take', () => {
    for (const outcome of ['deny', 'reprocess', 'refill', 'balance_credit', 'escalate'] as const)
      expect(() => checkTicketTakesProposal(open, null, outcome)).not.toThrow();
    expect(() => checkTicketTakesProposal({ ...open, status: 'waiting_customer' }, null, 'deny')).not.toThrow();
    expect(() => checkTicketTakesProposal({ ...open, status: 'escalated' }, null, 'deny')).not.toThrow();
  });

  it('refuses a resolved ticket first, then one with a decision waiting, then outcomes the ticket cannot take', () => {
    expect(refusal(() => checkTicketTakesProposal({ ...open, status: 'resolved' }, 3, 'escalate'))).toMatchObject({
      code: 'conflict',
      message: 'T-12 is already resolved.',
    });
    expect(refusal(() => checkTicketTakesProposal(open, 3, 'deny'))).toMatchObject({
      code: 'conflict',
      message: 'T-12 already has a decision waiting for approval.',
    });
    expect(refusal(() => checkTicketTakesProposal({ ...open, orderId: null }, null, 'refill'))).toEqual({
      code: 'invalid',
      message: 'outcome: T-12 has no order to refill.',
      fieldErrors: { outcome: ['T-12 has no order to refill.'] },
    });
    expect(refusal(() => checkTicketTakesProposal({ ...open, status: 'escalated' }, null, 'escalate'))).toMatchObject({
      code: 'conflict',
      message: 'T-12 is already escalated; a supervisor decides it from here.',
    });
  });
});

describe('choiceAgainst', () => {
  it('taking the suggestion is no override and needs no reason; the account action defaults to the suggestion’s', () => {
    expect(choiceAgainst(suggestion(), { outcome: 'balance_credit' })).toEqual({ accountAction: 'none', isOverride: false });
    expect(choiceAgainst(suggestion({ accountAction: 'review' }), { outcome: 'balance_credit', amount: '7.50' })).toEqual({
      accountAction: 'review',
      isOverride: false,
    });
  });

  it('another outcome, amount or account action is an override and needs a reason of at least 15 characters', () => {
    const reason = 'Customer is a long-standing reseller.';
    expect(choiceAgainst(suggestion(), { outcome: 'deny', reason })).toEqual({ accountAction: 'none', isOverride: true });
    expect(choiceAgainst(suggestion(), { outcome: 'balance_credit', amount: '5.00', reason })).toMatchObject({ isOverride: true });
    expect(choiceAgainst(suggestion(), { outcome: 'balance_credit', accountAction: 'suspend', reason })).toEqual({
      accountAction: 'suspend',
      isOverride: true,
    });
    expect(refusal(() => choiceAgainst(suggestion(), { outcome: 'deny', reason: '14 characters!' }))).toMatchObject({
      code: 'invalid',
      message:
        'reason: This departs from the suggestion (a balance credit of 7.50 USD), so it needs a written reason of at least 15 characters.',
      fieldErrors: { reason: [expect.stringContaining('at least 15 characters')] },
    });
    expect(choiceAgainst(suggestion(), { outcome: 'deny', reason: '15 characters!!' }).isOverride).toBe(true);
  });

  it('with a `verify` suggestion every decision is an override', () => {
    expect(refusal(() => choiceAgainst(suggestion({ outcome: 'verify', amount: null }), { outcome: 'deny' })).message).toContain(
      '(verify the facts first)',
    );
  });
});

describe('paymentOf', () => {
  const credit = { outcome: 'balance_credit' as const };

  it('carries no amount for outcomes that do not pay', () => {
    expect(paymentOf(12, { outcome: 'deny' }, suggestion(), true, null)).toEqual({ amount: null, currency: null });
  });

  it('takes the suggested amount in the room’s currency, or the given one up to the cap', () => {
    expect(paymentOf(12, credit, suggestion(), false, room('12.50', { currency: 'EUR' }))).toEqual({ amount: '7.50', currency: 'EUR' });
    expect(paymentOf(12, { ...credit, amount: '7.50' }, suggestion(), false, room('12.50'))).toEqual({ amount: '7.50', currency: 'USD' });
    // An override may pay up to the room, beyond the suggestion.
    expect(paymentOf(12, { ...credit, amount: '12.50' }, suggestion(), true, room('12.50'))).toEqual({ amount: '12.50', currency: 'USD' });
  });

  it('refuses without an order or payment, without an amount, and above the cap (naming the cap and why)', () => {
    expect(refusal(() => paymentOf(12, credit, suggestion(), false, null))).toMatchObject({
      code: 'invalid',
      message: 'amount: T-12 has no order or payment, so there is nothing to credit or refund.',
    });
    expect(refusal(() => paymentOf(12, { outcome: 'original_method_refund' }, suggestion(), true, room('12.50'))).message).toBe(
      'amount: Give the amount: the suggestion (a balance credit of 7.50 USD) names none for this outcome.',
    );
    // Taking the suggestion: the cap is the smaller of the suggested amount and the room.
    expect(refusal(() => paymentOf(12, { ...credit, amount: '7.51' }, suggestion(), false, room('12.50'))).message).toBe(
      'amount: At most 7.50 USD can be paid on T-12 (the policy allows 7.50 USD); 7.51 USD is more.',
    );
    expect(refusal(() => paymentOf(12, credit, suggestion(), false, room('5.00', { alreadyPaid: '7.50', total: '12.50' }))).message).toBe(
      'amount: At most 5.00 USD can be paid on T-12 (order 88412’s charge of 12.50 USD minus 7.50 USD already paid for it); 7.50 USD is more.',
    );
    expect(refusal(() => paymentOf(12, { ...credit, amount: '12.51' }, suggestion(), true, room('12.50'))).message).toBe(
      'amount: At most 12.50 USD can be paid on T-12 (order 88412’s charge of 12.50 USD); 12.51 USD is more.',
    );
    // Amounts compare exactly, as cents: "12.5" is the room, not above it.
    expect(paymentOf(12, { ...credit, amount: '12.5' }, suggestion(), true, room('12.50')).amount).toBe('12.5');
  });
});

describe('checkReplyGiven', () => {
  const missing = suggestion({ outcome: 'request_info', amount: null, missingInfo: ['evidence'] });

  it('a request for information follows the suggested list, or carries the agent’s own reply', () => {
    expect(() => checkReplyGiven({ outcome: 'request_info' }, missing)).not.toThrow();
    expect(() => checkReplyGiven({ outcome: 'request_info', reply: 'Send the receipt.' }, suggestion())).not.toThrow();
    expect(() => checkReplyGiven({ outcome: 'deny' }, suggestion())).not.toThrow();
    expect(refusal(() => checkReplyGiven({ outcome: 'request_info' }, suggestion()))).toMatchObject({
      code: 'invalid',
      fieldErrors: { reply: ['Write the reply: say exactly what the customer must send (the policy names nothing missing here).'] },
    });
    expect(refusal(() => checkReplyGiven({ outcome: 'request_info' }, { ...missing, missingInfo: [] })).code).toBe('invalid');
  });
});

describe('the suggestion in words', () => {
  it('describes it and reduces it to what the decision bar compares', () => {
    expect(describeSuggestion(null)).toBe('nothing yet');
    expect(describeSuggestion(suggestion())).toBe('a balance credit of 7.50 USD');
    expect(describeSuggestion(suggestion({ outcome: 'deny', amount: null }))).toBe('deny');
    expect(suggestedChoiceOf(null)).toBeNull();
    expect(suggestedChoiceOf(suggestion())).toEqual({
      outcome: 'balance_credit',
      amount: '7.50',
      accountAction: 'none',
      requiresApproval: 'none',
    });
  });
});

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { DecisionView } from '@/lib/decisions';

vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => {} }) }));

const { DecisionForm, prefillAmount, suggestionKey } = await import('./decision-form');
const { DecisionHistory } = await import('./decision-history');

const drafts = {
  deny: 'Hello, no.',
  request_info: 'Hello, we need more.',
  reprocess: 'Hello, again.',
  refill: 'Hello, refill.',
  balance_credit: 'Hello, we have added {{amount}} to your panel balance.',
  original_method_refund: 'Hello, we will refund {{amount}}.',
  escalate: 'Hello, escalated.',
};

const base = {
  ticketId: 12,
  blockedReason: null,
  suggested: { outcome: 'balance_credit', amount: '7.50', accountAction: 'none' as const, requiresApproval: 'none' as const },
  suggestedOutcome: 'balance_credit' as const,
  notDecidableNote: null,
  reasons: [{ code: 'company_fault', summary: 'Our provider failed.', clauseTitle: 'Exclusive commercial remedies' }],
  credit: { remaining: '12.50', alreadyPaid: '0.00', total: '12.50', currency: 'USD', kind: 'order' as const, reference: '88412' },
  threshold: '50.00',
  dailyCredit: { used: '0.00', limit: '150.00', remaining: '150.00', windowHours: 24 },
  decidesEscalated: false,
  drafts,
  unavailable: { escalate: 'T-12 is already escalated.' },
  action: async () => ({ ok: false as const, code: 'internal' as const, message: 'not in tests' }),
};

describe('DecisionForm', () => {
  it('puts the suggested outcome first and fills in the amount, reasons and drafted reply', () => {
    const html = renderToStaticMarkup(createElement(DecisionForm, base));
    const radios = [...html.matchAll(/<input[^>]*type="radio"[^>]*>/g)].map((m) => /value="(\w+)"/.exec(m[0])![1]);
    const radio = (value: string) =>
      [...html.matchAll(/<input[^>]*type="radio"[^>]*>/g)].map((m) => m[0]).find((tag) => tag.includes(`value="${value}"`))!;
    expect(radios[0]).toBe('balance_credit');
    expect(radios).toHaveLength(7);
    expect(radio('balance_credit')).toContain('checked=""');
    expect(radio('deny')).not.toContain('checked=""');
    expect(html).toMatch(/<input[^>]*id="decision-amount"[^>]*value="7.50"/);
    expect(html).toContain('we have added 7.50 USD to your panel balance');
    expect(html).toContain('company_fault');
    expect(html).toContain('(policy: Exclusive commercial remedies)');
    expect(html).toContain('No approval needed');
    expect(html).toContain('Execute decision');
    expect(html).not.toContain('Reason for the override');
    // Unavailable outcomes are there but disabled.
    expect(radio('escalate')).toContain('disabled=""');
  });

  it('with a verify suggestion nothing is chosen and the note says why', () => {
    const html = renderToStaticMarkup(
      createElement(DecisionForm, {
        ...base,
        suggested: { ...base.suggested, outcome: 'verify', amount: null },
        suggestedOutcome: null,
        notDecidableNote: 'Verify first.',
      }),
    );
    expect(html).toContain('Verify first.');
    expect(html).not.toMatch(/checked=""/);
  });

  it('a blocked ticket shows why instead of the form', () => {
    const html = renderToStaticMarkup(
      createElement(DecisionForm, { ...base, blockedReason: 'T-12 is resolved; no further decision can be made on it.' }),
    );
    expect(html).toContain('T-12 is resolved');
    expect(html).not.toContain('<form');
  });
});

describe('the amount the box fills in', () => {
  const credit = base.credit;
  it('is the suggestion’s for the suggested outcome, and the room left for an override', () => {
    expect(prefillAmount('balance_credit', base.suggested, credit)).toBe('7.50');
    expect(prefillAmount('original_method_refund', base.suggested, credit)).toBe('12.50');
    expect(prefillAmount('balance_credit', { ...base.suggested, outcome: 'deny', amount: null }, credit)).toBe('12.50');
    expect(prefillAmount('deny', base.suggested, credit)).toBe('');
    expect(prefillAmount('balance_credit', { ...base.suggested, outcome: 'deny', amount: null }, { ...credit, remaining: '0.00' })).toBe(
      '',
    );
  });

  it('never offers more than the room: the panel’s own refund caps the suggested figure, and the hint says so', () => {
    const room = { ...credit, remaining: '5.00', alreadyPaid: '7.50', panelRefunded: '7.50' };
    expect(prefillAmount('balance_credit', base.suggested, room)).toBe('5.00');
    const html = renderToStaticMarkup(createElement(DecisionForm, { ...base, credit: room }));
    expect(html).toMatch(/<input[^>]*id="decision-amount"[^>]*value="5.00"/);
    expect(html).toContain('the panel refunded 7.50 USD itself');
  });

  it('the box is keyed by the suggestion and the room, so a new suggestion fills it in again', () => {
    expect(suggestionKey(base)).not.toBe(
      suggestionKey({ ...base, suggested: { ...base.suggested, outcome: 'deny', amount: null }, suggestedOutcome: 'deny' }),
    );
    expect(suggestionKey(base)).not.toBe(suggestionKey({ ...base, credit: { ...base.credit, remaining: '1.00' } }));
  });
});

describe('DecisionHistory', () => {
  it('shows state, who proposed, who rejected and why, and the amount', () => {
    const decision: DecisionView = {
      id: 3,
      ticketId: 12,
      state: 'rejected',
      outcome: 'balance_credit',
      amount: '60.00',
      currency: 'USD',
      accountAction: 'none',
      isOverride: true,
      overrideReason: 'Customer is a long-standing reseller.',
      approvalReasons: ['override', 'above_threshold'],
      reply: 'Hello',
      suggestedOutcome: 'deny',
      suggestedReasons: [],
      policyVersion: '2026-06-10',
      paramsVersion: 3,
      proposedBy: { id: 1, name: 'Alex Agent' },
      reviewedBy: { id: 2, name: 'Sam Supervisor' },
      reviewReason: 'The profile is private.',
      createdAt: new Date('2026-07-01T10:00:00Z'),
      decidedAt: new Date('2026-07-01T11:00:00Z'),
    };
    const html = renderToStaticMarkup(createElement(DecisionHistory, { decisions: [decision], threshold: '50.00' }));
    expect(html).toContain('Rejected');
    expect(html).toContain('Alex Agent');
    expect(html).toContain('Sam Supervisor');
    expect(html).toContain('The profile is private.');
    expect(html).toContain('60.00 USD');
    expect(html).toContain('Customer is a long-standing reseller.');
    expect(html).toContain('data-state="rejected"');
    // The parameter set it was proposed under, as stored on the decision.
    expect(html).toContain('policy 2026-06-10, parameters v3');
  });
});

import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ProviderJobKind } from '@/lib/labels';
import { attemptsLabel, deliveryBadge, DELIVERY_KIND_LABEL, describeNextAttempt } from './labels';

const now = new Date('2026-11-27T16:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('delivery labels', () => {
  it('badges each state, and a pending job that already failed as retrying', () => {
    expect(deliveryBadge({ state: 'delivered', attempts: 1, nextAttemptAt: null })).toEqual({ label: 'Delivered', tone: 'success' });
    expect(deliveryBadge({ state: 'failed', attempts: 12, nextAttemptAt: null })).toEqual({ label: 'Failed', tone: 'danger' });
    expect(deliveryBadge({ state: 'pending', attempts: 0, nextAttemptAt: now })).toEqual({ label: 'Queued', tone: 'info' });
    expect(deliveryBadge({ state: 'pending', attempts: 2, nextAttemptAt: now })).toEqual({ label: 'Retrying', tone: 'warning' });
  });

  it('flags a job due for minutes and never delivered: not "sending now" forever', () => {
    const stuck = { state: 'pending' as const, attempts: 0, nextAttemptAt: later(-10 * 60_000) };
    expect(deliveryBadge(stuck, now)).toEqual({ label: 'Not sent', tone: 'danger' });
    expect(describeNextAttempt(stuck, now)).toBe('overdue 10 min: is the outbox worker running and the panel URL set?');
    expect(deliveryBadge({ ...stuck, nextAttemptAt: later(-60_000) }, now)).toEqual({ label: 'Queued', tone: 'info' });
  });

  it('words the next attempt only for pending jobs', () => {
    expect(describeNextAttempt({ state: 'pending', attempts: 0, nextAttemptAt: later(-5_000) }, now)).toBe('sending now');
    expect(describeNextAttempt({ state: 'pending', attempts: 1, nextAttemptAt: later(9_200) }, now)).toBe('in 10 s');
    expect(describeNextAttempt({ state: 'pending', attempts: 5, nextAttemptAt: later(30 * 60_000) }, now)).toBe('in 30 min');
    expect(describeNextAttempt({ state: 'delivered', attempts: 1, nextAttemptAt: later(5_000) }, now)).toBeNull();
    expect(attemptsLabel(1)).toBe('1 attempt');
    expect(attemptsLabel(3)).toBe('3 attempts');
  });
});

describe('the delivery kinds', () => {
  it('each have a label, the table typed by the enum (a missing kind does not compile)', () => {
    expectTypeOf(DELIVERY_KIND_LABEL).toEqualTypeOf<Record<ProviderJobKind, string>>();
    expect(DELIVERY_KIND_LABEL.audit_checkpoint).toBe('Audit checkpoint');
    for (const label of Object.values(DELIVERY_KIND_LABEL)) expect(label).toMatch(/^[A-Z]/);
  });
});

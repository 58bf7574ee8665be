import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Tone } from '@/components/ui/badge';
import { formatUtc, relativeTo, relativeToNow } from '@/lib/dates';
import type { OrderEventKind, OrderStatus } from '@/lib/labels';
import { describeEvent, describeRefill, EVENT_LABEL, EVENT_TONE, formatKb, readProviderMessage, type EventTone } from './events';
import type { ORDER_STATUS_TONE } from './order-timeline';

describe('times', () => {
  const order = new Date('2026-07-01T12:00:00Z');
  it('places an event relative to the order', () => {
    expect(relativeTo(new Date('2026-07-04T16:30:00Z'), order)).toBe('3 d 4 h after order');
    expect(relativeTo(new Date('2026-07-01T12:00:20Z'), order)).toBe('at order');
    expect(relativeTo(new Date('2026-07-01T10:00:00Z'), order)).toBe('2 h before order');
    expect(relativeTo(new Date('2026-07-01T12:12:00Z'), order, 'status change')).toBe('12 min after status change');
  });
  it('says how long ago, and shows the absolute time in UTC', () => {
    expect(relativeToNow(new Date('2026-06-28T12:00:00Z'), order)).toBe('3 d ago');
    expect(relativeToNow(order, order)).toBe('just now');
    expect(formatUtc(new Date('2026-07-01T09:05:07Z'))).toBe('01 Jul 2026, 09:05:07 UTC');
  });
});

describe('describeEvent', () => {
  it('titles status changes and results, and formats counts', () => {
    expect(describeEvent('status_changed', { from: 'processing', to: 'partial', remains: '157', providerStatus: 'Partial' })).toEqual({
      title: 'Status: processing → partial',
      message: null,
      facts: [
        { key: 'remains', label: 'Remains', value: '157' },
        { key: 'providerStatus', label: 'Provider status', value: 'Partial' },
      ],
    });
    expect(describeEvent('partial_delivery', { delivered: 4000, remains: 6000 }).facts.map((f) => f.value)).toEqual(['4,000', '6,000']);
    expect(describeEvent('refill_result', { refillId: '123', status: 'Rejected', message: 'Refill period expired' })).toMatchObject({
      title: 'Refill result: Rejected',
      message: { text: 'Refill period expired', isJson: false },
    });
  });

  it('reads JSON provider errors but keeps the raw text', () => {
    const { message } = describeEvent('provider_error', { message: '{"error":"Not enough funds on balance"}', attempt: 1 });
    expect(message).toEqual({ text: 'Not enough funds on balance', isJson: true, raw: '{"error":"Not enough funds on balance"}' });
    expect(readProviderMessage('{oops')).toEqual({ text: '{oops', isJson: false });
  });

  it('keeps keys it does not know, and kinds it does not know', () => {
    expect(describeEvent('teleported', { where: { x: 1 } })).toEqual({
      title: 'teleported',
      message: null,
      facts: [{ key: 'where', label: 'where', value: '{"x":1}' }],
    });
  });
});

describe('formats', () => {
  it('shows sizes in KB and refill windows in words', () => {
    expect(formatKb(48_213)).toBe('47.1 KB');
    expect(formatKb(100)).toBe('0.1 KB');
    expect(describeRefill(null)).toBe('None');
    expect(describeRefill(0)).toBe('Lifetime');
    expect(describeRefill(30)).toBe('30 days');
  });
});

describe('the label and tone tables', () => {
  it('are typed by their enums, so a missing value does not compile', () => {
    expectTypeOf(EVENT_LABEL).toEqualTypeOf<Record<OrderEventKind, string>>();
    expectTypeOf(EVENT_TONE).toEqualTypeOf<Record<OrderEventKind, EventTone>>();
    expectTypeOf<typeof ORDER_STATUS_TONE>().toEqualTypeOf<Record<OrderStatus, Tone>>();
    expect(Object.keys(EVENT_TONE).sort()).toEqual(Object.keys(EVENT_LABEL).sort());
  });
});

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TicketDelivery } from '@/lib/provider/deliveries';
import { DeliveryList } from './delivery-status';

const now = new Date('2026-11-27T16:00:00Z');
const base: TicketDelivery = {
  id: 1,
  eventId: '6f1c1a40-0000-4000-8000-000000000001',
  kind: 'refill',
  state: 'delivered',
  attempts: 1,
  lastError: null,
  nextAttemptAt: null,
  deliveredAt: new Date('2026-11-27T15:58:00Z'),
  createdAt: new Date('2026-11-27T15:57:59Z'),
  lastHttpStatus: 200,
  lastAttemptAt: new Date('2026-11-27T15:58:00Z'),
};

describe('DeliveryList', () => {
  it('shows each job’s kind, state, attempts, last error, next attempt and delivery time', () => {
    const html = renderToStaticMarkup(
      createElement(DeliveryList, {
        now,
        deliveries: [
          base,
          {
            ...base,
            id: 2,
            kind: 'customer_reply',
            state: 'pending',
            attempts: 3,
            deliveredAt: null,
            lastHttpStatus: 503,
            lastError: 'HTTP 503: down',
            nextAttemptAt: new Date('2026-11-27T16:00:40Z'),
          },
          {
            ...base,
            id: 3,
            kind: 'cancel',
            state: 'failed',
            attempts: 12,
            deliveredAt: null,
            lastHttpStatus: null,
            lastError: 'ECONNREFUSED: connect ECONNREFUSED',
          },
        ],
      }),
    );
    expect(html).toContain('Refill order');
    expect(html).toContain('Delivered');
    expect(html).toContain('HTTP 200');
    expect(html).toContain('Reply to customer');
    expect(html).toContain('Retrying');
    expect(html).toContain('3 attempts');
    expect(html).toContain('in 40 s');
    expect(html).toContain('HTTP 503: down');
    expect(html).toContain('Failed');
    expect(html).toContain('ECONNREFUSED');
    expect(html.match(/data-testid="delivery"/g)).toHaveLength(3);
  });

  it('says so when nothing was sent', () => {
    expect(renderToStaticMarkup(createElement(DeliveryList, { now, deliveries: [] }))).toContain('Nothing sent to the panel');
  });
});

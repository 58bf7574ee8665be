import { eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { apiKeys, orderEvents, orders } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { createApiKey, ORDER_EVENTS_SCOPE } from '@/lib/intake/api-keys';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { POST } from './route';

const handle = setupTestDb();

let n = 0;
const newKey = (scopes: string[] = [ORDER_EVENTS_SCOPE]) => createApiKey(handle.db, { name: `route-${(n += 1)}`, scopes });

function post(orderNumber: string, body: unknown, key?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = {
    ...extra,
    'content-type': 'application/json',
    'user-agent': 'panel-test/1',
    'x-forwarded-for': '198.51.100.20',
  };
  if (key) headers.authorization = `Bearer ${key}`;
  const request = new NextRequest(`http://localhost/api/v1/orders/${encodeURIComponent(orderNumber)}/events`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ orderNumber: encodeURIComponent(orderNumber) }) });
}

const event = (data: Record<string, unknown> = { delivered: 250 }, extra: Record<string, unknown> = {}) => ({
  kind: 'partial_delivery',
  at: new Date().toISOString(),
  data,
  ...extra,
});

describe('POST /api/v1/orders/{orderNumber}/events', () => {
  it('records an event with a valid key (201), and the same event id again as a duplicate (200)', async () => {
    const key = await newKey();
    const { order } = await createOrderTicket(handle.db, { order: { status: 'processing', delivered: 0 } });
    const body = event({ delivered: 250 }, { eventId: 'route-evt-1' });
    const first = await post(order.externalId, body, key.plaintext);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      duplicate: false,
      applied: true,
      event: { kind: 'partial_delivery', eventId: 'route-evt-1' },
      order: { number: order.externalId, delivered: 250 },
    });
    const again = await post(order.externalId, body, key.plaintext);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(1);
    const [row] = await handle.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.delivered).toBe(250);
  });

  it('answers 401 problem+json for a missing, unknown or revoked key', async () => {
    const { order } = await createOrderTicket(handle.db);
    const revoked = await newKey();
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
    for (const key of [undefined, 'rdk_not-a-real-key', revoked.plaintext]) {
      const response = await post(order.externalId, event(), key);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    }
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(0);
  });

  it('answers 403 for a key without the order-events scope', async () => {
    const key = await newKey(['tickets']);
    const { order } = await createOrderTicket(handle.db);
    const response = await post(order.externalId, event(), key.plaintext);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('order-events') });
  });

  it('answers 404 for an unknown order', async () => {
    const key = await newKey();
    const response = await post('999999999-nope', event(), key.plaintext);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found', detail: expect.stringContaining('999999999-nope') });
  });

  it('answers 422 naming the field for a bad body, and 400 for a body that is not JSON', async () => {
    const key = await newKey();
    const { order } = await createOrderTicket(handle.db);
    const bad = await post(
      order.externalId,
      { kind: 'status_changed', at: new Date().toISOString(), data: { to: 'teleported' } },
      key.plaintext,
    );
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      code: 'invalid',
      detail: expect.stringMatching(/^data\.to: /),
      fieldErrors: { 'data.to': [expect.any(String)] },
    });
    const noKind = await post(order.externalId, { at: new Date().toISOString() }, key.plaintext);
    expect(noKind.status).toBe(422);
    expect(await noKind.json()).toMatchObject({ fieldErrors: { kind: [expect.any(String)] } });
    const array = await post(order.externalId, [1, 2], key.plaintext);
    expect(array.status).toBe(422);
    const notJson = await post(order.externalId, '{"kind": ', key.plaintext);
    expect(notJson.status).toBe(400);
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(0);
  });

  it('refuses NUL and lone surrogates in the body, the event id and the order number with 4xx, and 20,000-deep JSON with 422, writing nothing', async () => {
    const key = await newKey();
    const { order } = await createOrderTicket(handle.db, { order: { status: 'processing', delivered: 0 } });
    const cases: [string, unknown, RegExp][] = [
      ['data text', event({ delivered: 250, note: 'a\u0000b' }), /^data\.note: .*NUL/],
      ['data key', event({ delivered: 250, ['a\u0000']: 1 }), /NUL/],
      ['event id', event({ delivered: 250 }, { eventId: 'evt-\u0000' }), /^eventId: .*NUL/],
      ['event id surrogate', event({ delivered: 250 }, { eventId: 'evt-\ud800' }), /^eventId: .*surrogate/],
      ['kind', { ...event(), kind: '\ud800' }, /^kind: .*surrogate/],
      ['at', { ...event(), at: '2026-01-01T00:00:00Z\u0000' }, /^at: .*NUL/],
    ];
    for (const [name, body, detail] of cases) {
      const response = await post(order.externalId, body, key.plaintext);
      expect(response.status, name).toBe(422);
      expect(await response.json(), name).toMatchObject({ code: 'invalid', detail: expect.stringMatching(detail) });
    }
    // /api/v1/orders/%00/events, and a lone surrogate as the order number: no such order.
    for (const orderNumber of ['\u0000', `${order.externalId}\u0000`]) {
      const response = await post(orderNumber, event(), key.plaintext);
      expect(response.status, JSON.stringify(orderNumber)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(orderNumber)).toBeLessThan(500);
    }
    const surrogate = await POST(
      new NextRequest('http://localhost/api/v1/orders/x/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.plaintext}` },
        body: JSON.stringify(event()),
      }),
      { params: Promise.resolve({ orderNumber: '\ud800' }) },
    );
    expect(surrogate.status).toBeGreaterThanOrEqual(400);
    expect(surrogate.status).toBeLessThan(500);
    // Deep nesting, with and without an Idempotency-Key (whose request hash walks the body).
    const deep = `{"kind":"partial_delivery","at":"${new Date().toISOString()}","data":{"x":${'['.repeat(20_000)}1${']'.repeat(20_000)}}}`;
    for (const headers of <Record<string, string>[]>[{}, { 'idempotency-key': 'deep-body-1' }]) {
      const response = await post(order.externalId, deep, key.plaintext, headers);
      expect(response.status, JSON.stringify(headers)).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'invalid', detail: expect.stringContaining('levels deep') });
    }
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(0);
  });
});

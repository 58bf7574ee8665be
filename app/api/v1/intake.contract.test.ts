/**
 * Contract tests of the intake API through the real route handlers: good input, every kind of bad
 * input (4xx naming the problem, nothing written), idempotent replays, batches with bad items,
 * revoked keys and missing scopes.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  apiIdempotencyKeys,
  apiKeys,
  auditEvents,
  decisions,
  customers,
  orderEvents,
  orders,
  payments,
  services,
  ticketMessages,
  tickets,
} from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { forgetOldKeys } from '@/lib/intake/idempotency';
import { apiKey, bodies, call, snapshot, type CallOptions, type Handler } from '@/lib/intake/test-api';
import { createStaff } from '@/lib/staff/test-factories';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { POST as postCustomers } from './customers/route';
import { POST as postOrderEvent } from './orders/[orderNumber]/events/route';
import { POST as postOrders } from './orders/route';
import { POST as postPayments } from './payments/route';
import { GET as getTicket } from './tickets/[id]/route';
import { POST as postMessage } from './tickets/[id]/messages/route';
import { GET as listTickets, POST as postTickets } from './tickets/route';
import { POST as postServices } from './services/route';

// The per-key rate limit has its own tests (lib/api-keys); here one key sends far more than 50 a second.
process.env.API_RATE_LIMIT_PER_SECOND = '0';

const handle = setupTestDb();
const WRITE = ['intake:write'];
const omit = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const READ = ['tickets:read'];

/** A customer and a service the desk knows, for orders, payments and tickets. */
async function basics(key: string) {
  const customer = bodies.customer();
  const service = bodies.service();
  expect((await call(postCustomers, { path: '/api/v1/customers', body: customer, key })).status).toBe(201);
  expect((await call(postServices, { path: '/api/v1/services', body: service, key })).status).toBe(201);
  return { customer: customer.id, service: service.id };
}

type Endpoint = { name: string; handler: Handler<{ id: string }>; path: string; params?: { id: string }; good: () => unknown };

/** Every intake POST with a valid body (fresh ids each time). */
async function endpoints(key: string): Promise<Endpoint[]> {
  const { customer, service } = await basics(key);
  const ticket = bodies.ticket(customer);
  expect((await call(postTickets, { path: '/api/v1/tickets', body: ticket, key })).status).toBe(201);
  return [
    {
      name: 'services',
      handler: postServices as unknown as Handler<{ id: string }>,
      path: '/api/v1/services',
      good: () => bodies.service(),
    },
    {
      name: 'customers',
      handler: postCustomers as unknown as Handler<{ id: string }>,
      path: '/api/v1/customers',
      good: () => bodies.customer(),
    },
    {
      name: 'orders',
      handler: postOrders as unknown as Handler<{ id: string }>,
      path: '/api/v1/orders',
      good: () => bodies.order(customer, service),
    },
    {
      name: 'payments',
      handler: postPayments as unknown as Handler<{ id: string }>,
      path: '/api/v1/payments',
      good: () => bodies.payment(customer),
    },
    {
      name: 'tickets',
      handler: postTickets as unknown as Handler<{ id: string }>,
      path: '/api/v1/tickets',
      good: () => bodies.ticket(customer),
    },
    {
      name: 'messages',
      handler: postMessage,
      path: `/api/v1/tickets/panel:${ticket.panelId}/messages`,
      params: { id: `panel:${ticket.panelId}` },
      good: () => ({ body: `Any news? ${Math.random()}` }),
    },
  ];
}

describe('every intake POST', () => {
  it('refuses bad transport (JSON, content type, size, key, scope) with problem+json, writing nothing', async () => {
    const key = await apiKey(handle.db, WRITE);
    const readOnly = await apiKey(handle.db, READ);
    const revoked = await apiKey(handle.db, WRITE);
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
    for (const e of await endpoints(key.plaintext)) {
      const before = await snapshot(handle.db);
      const cases: [string, CallOptions<{ id: string }>, number, string][] = [
        ['invalid JSON', { path: e.path, params: e.params, body: '{"id": ', key: key.plaintext }, 400, 'valid JSON'],
        [
          'wrong content type',
          { path: e.path, params: e.params, body: e.good(), key: key.plaintext, contentType: 'text/plain' },
          415,
          'application/json',
        ],
        [
          'no content type',
          { path: e.path, params: e.params, body: e.good(), key: key.plaintext, contentType: null },
          415,
          'application/json',
        ],
        [
          'huge body',
          {
            path: e.path,
            params: e.params,
            body: JSON.stringify({ ...(e.good() as object), pad: 'x'.repeat(1_100_000) }),
            key: key.plaintext,
          },
          413,
          'larger than',
        ],
        ['no key', { path: e.path, params: e.params, body: e.good() }, 401, 'Authorization'],
        ['revoked key', { path: e.path, params: e.params, body: e.good(), key: revoked.plaintext }, 401, 'revoked'],
        ['key without the scope', { path: e.path, params: e.params, body: e.good(), key: readOnly.plaintext }, 403, 'intake:write'],
        ['not an object', { path: e.path, params: e.params, body: [1, 2], key: key.plaintext }, 422, ''],
        [
          'unknown field',
          { path: e.path, params: e.params, body: { ...(e.good() as object), surprise: 1 }, key: key.plaintext },
          422,
          'surprise',
        ],
      ];
      for (const [what, options, status, words] of cases) {
        const response = await call(e.handler, options);
        expect(response.status, `${e.name}: ${what}`).toBe(status);
        expect(response.headers.get('content-type'), `${e.name}: ${what}`).toContain('application/problem+json');
        expect(response.json, `${e.name}: ${what}`).toMatchObject({ status, detail: expect.stringContaining(words) });
        if (what === 'unknown field') expect(response.json.fieldErrors, e.name).toHaveProperty('surprise');
      }
      expect(await snapshot(handle.db), e.name).toEqual(before);
    }
  });

  it('replays a repeated Idempotency-Key with the first answer, and refuses the same key with another body (409)', async () => {
    const key = await apiKey(handle.db, WRITE);
    for (const e of await endpoints(key.plaintext)) {
      const body = e.good();
      const idem = `idem-${e.name}-${Math.random()}`;
      const first = await call(e.handler, { path: e.path, params: e.params, body, key: key.plaintext, idempotencyKey: idem });
      expect(first.status, e.name).toBe(201);
      const afterFirst = await snapshot(handle.db);
      const again = await call(e.handler, { path: e.path, params: e.params, body, key: key.plaintext, idempotencyKey: idem });
      expect(again.status, e.name).toBe(201);
      expect(again.json, e.name).toEqual(first.json);
      expect(again.headers.get('idempotent-replayed'), e.name).toBe('true');
      const other = await call(e.handler, { path: e.path, params: e.params, body: e.good(), key: key.plaintext, idempotencyKey: idem });
      expect(other.status, e.name).toBe(409);
      expect(other.json.detail, e.name).toMatch(/Idempotency-Key was already used/);
      expect(await snapshot(handle.db), e.name).toEqual(afterFirst);
    }
  });

  it('keeps Idempotency-Keys per API key, and lets a failed request’s key be used again', async () => {
    const a = await apiKey(handle.db, WRITE);
    const b = await apiKey(handle.db, WRITE);
    const body = bodies.service();
    const idem = `shared-${Math.random()}`;
    expect((await call(postServices, { path: '/api/v1/services', body, key: a.plaintext, idempotencyKey: idem })).status).toBe(201);
    // Another key with the same Idempotency-Key is its own request: an update of the same service.
    const other = await call(postServices, { path: '/api/v1/services', body, key: b.plaintext, idempotencyKey: idem });
    expect(other.status).toBe(200);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    // A refused request does not keep its key: the corrected body may use it.
    const retry = `retry-${Math.random()}`;
    const bad = await call(postServices, {
      path: '/api/v1/services',
      body: { ...bodies.service(), rate: 'cheap' },
      key: a.plaintext,
      idempotencyKey: retry,
    });
    expect(bad.status).toBe(422);
    expect(
      (await call(postServices, { path: '/api/v1/services', body: bodies.service(), key: a.plaintext, idempotencyKey: retry })).status,
    ).toBe(201);
    const malformed = await call(postServices, {
      path: '/api/v1/services',
      body: bodies.service(),
      key: a.plaintext,
      idempotencyKey: 'bad key with spaces',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.fieldErrors).toHaveProperty('Idempotency-Key');
  });
});

describe('forgetting old Idempotency-Keys', () => {
  it('deletes answers older than the retention, keeps newer ones', async () => {
    const key = await apiKey(handle.db, WRITE);
    await handle.db.insert(apiIdempotencyKeys).values([
      { apiKeyId: key.id, key: 'old', requestHash: 'h', status: 201, body: {}, createdAt: new Date(Date.now() - 25 * 3_600_000) },
      { apiKeyId: key.id, key: 'new', requestHash: 'h', status: 201, body: {} },
    ]);
    await forgetOldKeys(handle.db);
    const left = await handle.db
      .select({ key: apiIdempotencyKeys.key })
      .from(apiIdempotencyKeys)
      .where(eq(apiIdempotencyKeys.apiKeyId, key.id));
    expect(left.map((r) => r.key)).toEqual(['new']);
  });
});

describe('POST /api/v1/services', () => {
  it('creates (201) and updates (200) by panel id, the rate kept exactly, audited', async () => {
    const key = await apiKey(handle.db, WRITE);
    const body = bodies.service({ rate: 1.23456789 });
    const first = await call(postServices, { path: '/api/v1/services', body, key: key.plaintext });
    expect(first).toMatchObject({ status: 201, json: { id: body.id, created: true } });
    const [row] = await handle.db.select().from(services).where(eq(services.externalId, body.id));
    expect(row).toMatchObject({ ratePer1000: '1.23456789', refillDays: 30, isCancelAllowed: true, platform: 'instagram', minQuantity: 10 });
    const second = await call(postServices, {
      path: '/api/v1/services',
      body: { ...body, refill: false, refillDays: null },
      key: key.plaintext,
    });
    expect(second).toMatchObject({ status: 200, json: { created: false } });
    const [updated] = await handle.db.select().from(services).where(eq(services.externalId, body.id));
    expect(updated!.refillDays).toBeNull();
    const audits = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'service.imported'), eq(auditEvents.entityId, String(row!.id))));
    expect(audits).toHaveLength(2);
    expect(audits[0]!.actorLabel).toMatch(/^api-key:/);
  });

  it('names every bad field', async () => {
    const key = await apiKey(handle.db, WRITE);
    const before = await snapshot(handle.db);
    const response = await call(postServices, {
      path: '/api/v1/services',
      body: { id: '', name: 5, category: 'X', rate: '-1', currency: 'dollars', refill: 'yes', cancel: true, min: 10, max: 5 },
      key: key.plaintext,
    });
    expect(response.status).toBe(422);
    expect(Object.keys(response.json.fieldErrors!).sort()).toEqual(['currency', 'id', 'name', 'rate', 'refill'].sort());
    expect(await snapshot(handle.db)).toEqual(before);
  });
});

describe('POST /api/v1/customers', () => {
  it('upserts a customer with its currency; refuses a bad email and a missing username', async () => {
    const key = await apiKey(handle.db, WRITE);
    const body = bodies.customer({ currency: 'eur' });
    expect((await call(postCustomers, { path: '/api/v1/customers', body, key: key.plaintext })).status).toBe(201);
    const [row] = await handle.db.select().from(customers).where(eq(customers.externalId, body.id));
    expect(row).toMatchObject({ username: body.username, email: body.email, currency: 'EUR' });
    const before = await snapshot(handle.db);
    const noUsername = omit(bodies.customer({ email: 'not-an-email' }), 'username');
    const bad = await call(postCustomers, { path: '/api/v1/customers', body: noUsername, key: key.plaintext });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.fieldErrors!).sort()).toEqual(['email', 'username']);
    expect(await snapshot(handle.db)).toEqual(before);
  });
});

describe('POST /api/v1/orders', () => {
  it('stores one order in the panel’s words: status, remains, 8-decimal charge exactly, digits as strings', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const body = bodies.order(customer, service, { charge: '0.12345678', status: 'PARTIAL', remains: '-7' });
    const response = await call(postOrders, { path: '/api/v1/orders', body, key: key.plaintext });
    expect(response).toMatchObject({ status: 201, json: { id: body.number, created: true } });
    const [row] = await handle.db.select().from(orders).where(eq(orders.externalId, body.number));
    expect(row).toMatchObject({
      charge: '0.12345678',
      status: 'partial',
      quantity: 1000,
      delivered: 1007,
      startCount: 3572,
      link: body.link,
    });
    // The same order, now completed with its remains unknown: updated; delivered kept; a status event.
    const update = await call(postOrders, {
      path: '/api/v1/orders',
      body: { ...body, status: 'completed', remains: 'Unknown', charge: 0.5 },
      key: key.plaintext,
    });
    expect(update).toMatchObject({ status: 200, json: { created: false } });
    const [after] = await handle.db.select().from(orders).where(eq(orders.externalId, body.number));
    expect(after).toMatchObject({ status: 'completed', delivered: 1007, charge: '0.50' });
    const events = await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, row!.id));
    expect(events.map((e) => e.kind)).toEqual(['created', 'status_changed']);
    for (const word of ['Pending', 'in progress', 'Processing', 'Canceled', 'Cancelled', 'cAnCeLlEd']) {
      const r = await call(postOrders, {
        path: '/api/v1/orders',
        body: bodies.order(customer, service, { status: word }),
        key: key.plaintext,
      });
      expect(r.status, word).toBe(201);
    }
  });

  it('refuses wrong types, a missing field, a bad status word, a negative quantity, 9 decimals and unknown references, writing nothing', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const good = () => bodies.order(customer, service);
    const noLink = omit(good(), 'link');
    const cases: [unknown, string][] = [
      [{ ...good(), quantity: 'many' }, 'quantity'],
      [{ ...good(), quantity: -5 }, 'quantity'],
      [{ ...good(), quantity: 1.5 }, 'quantity'],
      [{ ...good(), charge: '0.123456789' }, 'charge'],
      [{ ...good(), charge: -1 }, 'charge'],
      [{ ...good(), charge: true }, 'charge'],
      [{ ...good(), status: 'Exploded' }, 'status'],
      [{ ...good(), status: 3 }, 'status'],
      [{ ...good(), remains: 'lots' }, 'remains'],
      [{ ...good(), currency: 'US' }, 'currency'],
      [{ ...good(), createdAt: 'yesterday' }, 'createdAt'],
      [{ ...good(), createdAt: new Date(Date.now() + 86_400_000).toISOString() }, 'createdAt'],
      [noLink, 'link'],
      [{ ...good(), customer: 'nobody-here' }, 'customer'],
      [{ ...good(), service: 'no-such-service' }, 'service'],
      [{ ...good(), number: 'x'.repeat(65) }, 'number'],
      [{ ...good(), link: 'a\u0000b' }, 'link'],
    ];
    const before = await snapshot(handle.db);
    for (const [body, field] of cases) {
      const r = await call(postOrders, { path: '/api/v1/orders', body, key: key.plaintext });
      expect(r.status, field).toBe(422);
      expect(r.json.fieldErrors, JSON.stringify(r.json)).toHaveProperty([field]);
      expect(r.json.detail, field).toBeTruthy();
    }
    expect(await snapshot(handle.db)).toEqual(before);
  });

  // A batch's items answered one by one (good ones stored, bad ones refused, each all or nothing):
  // app/api/v1/orders/route.test.ts.
  it('refuses a batch of over 100 orders, or one that is not a list, as a whole', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const good1 = bodies.order(customer, service);
    const tooMany = await call(postOrders, {
      path: '/api/v1/orders',
      body: { orders: Array.from({ length: 101 }, () => good1) },
      key: key.plaintext,
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.fieldErrors).toHaveProperty('orders');
    expect((await call(postOrders, { path: '/api/v1/orders', body: { orders: 'all' }, key: key.plaintext })).status).toBe(422);
    expect((await call(postOrders, { path: '/api/v1/orders', body: { orders: [] }, key: key.plaintext })).status).toBe(422);
  });

  it('links a ticket that named the order before it arrived, and re-suggests it', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const order = bodies.order(customer, service, { status: 'Partial', remains: '600', charge: '10.00' });
    const ticket = bodies.ticket(customer, { orderNumber: `#${order.number}` });
    const t = await call(postTickets, { path: '/api/v1/tickets', body: ticket, key: key.plaintext });
    const [before] = await handle.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, t.json.id as number));
    expect(before!.orderId).toBeNull();
    expect((await call(postOrders, { path: '/api/v1/orders', body: order, key: key.plaintext })).status).toBe(201);
    const [after] = await handle.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, t.json.id as number));
    expect(after!.orderId).not.toBeNull();
    expect(after!.amountAtStake).toBe('10.00');
  });
});

describe('POST /api/v1/payments', () => {
  it('stores a payment exactly and applies its later changes, re-suggesting the tickets about it', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer } = await basics(key.plaintext);
    const original = bodies.payment(customer);
    const dup = bodies.payment(customer, { credited: false });
    expect((await call(postPayments, { path: '/api/v1/payments', body: original, key: key.plaintext })).status).toBe(201);
    expect((await call(postPayments, { path: '/api/v1/payments', body: dup, key: key.plaintext })).status).toBe(201);
    const [row] = await handle.db.select().from(payments).where(eq(payments.externalId, dup.id));
    expect(row).toMatchObject({ amount: '25.12345678', isCredited: false, method: 'card' });
    const at = new Date().toISOString();
    const changed = await call(postPayments, {
      path: '/api/v1/payments',
      body: { kind: 'duplicate', id: dup.id, duplicateOf: original.id, at },
      key: key.plaintext,
    });
    expect(changed).toMatchObject({ status: 200, json: { kind: 'duplicate', created: false } });
    expect(
      (await call(postPayments, { path: '/api/v1/payments', body: { kind: 'credited', id: dup.id, at }, key: key.plaintext })).status,
    ).toBe(200);
    const [after] = await handle.db.select().from(payments).where(eq(payments.externalId, dup.id));
    const [orig] = await handle.db.select().from(payments).where(eq(payments.externalId, original.id));
    expect(after).toMatchObject({ isCredited: true, duplicateOf: orig!.id });
    expect(
      (await call(postPayments, { path: '/api/v1/payments', body: { kind: 'chargeback', id: original.id, at }, key: key.plaintext }))
        .status,
    ).toBe(200);
    const [c] = await handle.db.select().from(customers).where(eq(customers.externalId, customer));
    expect(c!.hasChargebackOpen).toBe(true);
    expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'payment.changed'))).toHaveLength(3);
  });

  it('refuses an unknown change kind, a duplicate without its original, an unknown payment and a bad method', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer } = await basics(key.plaintext);
    const at = new Date().toISOString();
    const before = await snapshot(handle.db);
    const cases: [unknown, number, string][] = [
      [{ kind: 'refund', id: 'p1', at }, 422, 'kind'],
      [{ id: 'p1', at }, 422, 'kind'],
      [{ kind: 'duplicate', id: 'p1', at }, 422, 'duplicateOf'],
      [bodies.payment(customer, { method: 'cash' }), 422, 'method'],
      [bodies.payment(customer, { amount: '1.000000001' }), 422, 'amount'],
      [bodies.payment(customer, { duplicateOf: 'not-there' }), 422, 'duplicateOf'],
    ];
    for (const [body, status, field] of cases) {
      const r = await call(postPayments, { path: '/api/v1/payments', body, key: key.plaintext });
      expect(r.status, field).toBe(status);
      expect(r.json.fieldErrors, JSON.stringify(r.json)).toHaveProperty([field]);
    }
    expect(
      (await call(postPayments, { path: '/api/v1/payments', body: { kind: 'credited', id: 'never-sent', at }, key: key.plaintext })).status,
    ).toBe(404);
    expect(await snapshot(handle.db)).toEqual(before);
  });
});

describe('POST /api/v1/tickets', () => {
  it('creates a ticket with its first message, stored suggestion and deadline, linked to the order the customer named', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const order = bodies.order(customer, service, { status: 'Partial', remains: '600', charge: '12.50', quantity: 1000 });
    await call(postOrders, { path: '/api/v1/orders', body: order, key: key.plaintext });
    const body = bodies.ticket(customer, { orderNumber: ` ${order.number} `, link: order.link, chargebackThreatened: true });
    const response = await call(postTickets, { path: '/api/v1/tickets', body, key: key.plaintext });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ panelId: body.panelId, status: 'open', claim: 'partial_delivery', decision: null });
    const [row] = await handle.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, response.json.id as number));
    expect(row).toMatchObject({
      externalId: body.panelId,
      orderNumberGiven: body.orderNumber,
      isChargebackThreatened: true,
      status: 'open',
    });
    expect(row!.orderId).not.toBeNull();
    expect(row!.suggestedOutcome).not.toBeNull();
    expect(row!.suggestion).not.toBeNull();
    expect(row!.eligibilityDeadline).toBeInstanceOf(Date);
    expect(row!.firstResponseDueAt).toBeInstanceOf(Date);
    const messages = await handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, row!.id));
    expect(messages).toMatchObject([{ body: body.message, staffId: null, isInternal: false }]);
    // Sent again (upsert by panel id): facts updated, no second first message.
    const again = await call(postTickets, {
      path: '/api/v1/tickets',
      body: { ...body, explanation: 'Half of it arrived.' },
      key: key.plaintext,
    });
    expect(again).toMatchObject({ status: 200, json: { id: row!.id } });
    expect(await handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, row!.id))).toHaveLength(1);
    const audits = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'ticket.imported'), eq(auditEvents.entityId, String(row!.id))));
    expect(audits).toHaveLength(2);
  });

  it('refuses a bad claim, an unknown customer, a missing message and wrong flag types, writing nothing', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer } = await basics(key.plaintext);
    const noMessage = omit(bodies.ticket(customer), 'message');
    const cases: [unknown, string][] = [
      [bodies.ticket(customer, { claim: 'bored' }), 'claim'],
      [bodies.ticket(customer, { requestedRemedy: 'cash' }), 'requestedRemedy'],
      [bodies.ticket('nobody'), 'customer'],
      [noMessage, 'message'],
      [bodies.ticket(customer, { chargebackThreatened: 'yes' }), 'chargebackThreatened'],
      [bodies.ticket(customer, { payment: 'no-such-payment' }), 'payment'],
    ];
    const before = await snapshot(handle.db);
    for (const [body, field] of cases) {
      const r = await call(postTickets, { path: '/api/v1/tickets', body, key: key.plaintext });
      expect(r.status, field).toBe(422);
      expect(r.json.fieldErrors, JSON.stringify(r.json)).toHaveProperty([field]);
    }
    expect(await snapshot(handle.db)).toEqual(before);
  });
});

describe('the ticket endpoints by id', () => {
  it('takes a customer’s reply by desk id or panel:<id>; a ticket waiting on the customer returns to the queue', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer } = await basics(key.plaintext);
    const body = bodies.ticket(customer);
    const t = await call(postTickets, { path: '/api/v1/tickets', body, key: key.plaintext });
    const id = t.json.id as number;
    await handle.db.update(tickets).set({ status: 'waiting_customer' }).where(eq(tickets.id, id));
    const reply = await call(postMessage, {
      path: `/api/v1/tickets/${id}/messages`,
      params: { id: String(id) },
      body: { body: 'Here is the link.' },
      key: key.plaintext,
    });
    expect(reply).toMatchObject({ status: 201, json: { ticketId: id, status: 'open' } });
    const byPanel = await call(postMessage, {
      path: '/api/v1/tickets/x/messages',
      params: { id: encodeURIComponent(`panel:${body.panelId}`) },
      body: { body: 'And a screenshot.' },
      key: key.plaintext,
    });
    expect(byPanel).toMatchObject({ status: 201, json: { ticketId: id } });
    expect(await handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, id))).toHaveLength(3);
    for (const ref of ['0', 'abc', 'panel:', 'panel:nope', '99999999', 'panel:\u0000', '%00', 'panel:%ZZ']) {
      const r = await call(postMessage, {
        path: '/api/v1/tickets/x/messages',
        params: { id: ref },
        body: { body: 'Hi' },
        key: key.plaintext,
      });
      expect(r.status, ref).toBe(404);
    }
    const empty = await call(postMessage, {
      path: `/api/v1/tickets/${id}/messages`,
      params: { id: String(id) },
      body: { body: '  ' },
      key: key.plaintext,
    });
    expect(empty.status).toBe(422);
    expect(empty.json.fieldErrors).toHaveProperty('body');
  });

  it('GET one ticket: status, and once decided, the decision in the customer’s words; tickets:read only', async () => {
    const write = await apiKey(handle.db, WRITE);
    const read = await apiKey(handle.db, READ);
    const { ticket } = await createOrderTicket(handle.db);
    await handle.db
      .update(tickets)
      .set({ externalId: `T-get-${ticket.id}` })
      .where(eq(tickets.id, ticket.id));
    const open = await call(getTicket, {
      method: 'GET',
      path: `/api/v1/tickets/${ticket.id}`,
      params: { id: String(ticket.id) },
      key: read.plaintext,
    });
    expect(open).toMatchObject({ status: 200, json: { id: ticket.id, panelId: `T-get-${ticket.id}`, status: 'open', decision: null } });
    const byPanel = await call(getTicket, {
      method: 'GET',
      path: '/api/v1/tickets/x',
      params: { id: `panel:T-get-${ticket.id}` },
      key: read.plaintext,
    });
    expect(byPanel.json).toEqual(open.json);
    expect(
      (await call(getTicket, { method: 'GET', path: '/api/v1/tickets/x', params: { id: String(ticket.id) }, key: write.plaintext })).status,
    ).toBe(403);
    expect(
      (await call(getTicket, { method: 'GET', path: '/api/v1/tickets/x', params: { id: 'panel:none' }, key: read.plaintext })).status,
    ).toBe(404);
    // Decided: a balance credit executed without a stored reply is told in the outcome's words.
    const staff = await createStaff(handle.db, { role: 'agent' });
    const decidedAt = new Date();
    await handle.db.insert(decisions).values({
      ticketId: ticket.id,
      suggestedOutcome: 'balance_credit',
      suggestedReasons: [],
      policyVersion: '2026-06-10',
      chosenOutcome: 'balance_credit',
      amount: '7.50',
      currency: 'USD',
      decidedBy: staff.id,
      state: 'executed',
      idempotencyKey: `get-${ticket.id}`,
      requestHash: 'x',
      decidedAt,
    });
    await handle.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, ticket.id));
    const decided = await call(getTicket, {
      method: 'GET',
      path: '/api/v1/tickets/x',
      params: { id: String(ticket.id) },
      key: read.plaintext,
    });
    expect(decided.json).toMatchObject({
      status: 'resolved',
      statusText: expect.any(String),
      decision: {
        outcome: 'balance_credit',
        amount: '7.50',
        currency: 'USD',
        decidedAt: decidedAt.toISOString(),
        message: expect.stringContaining('panel balance'),
      },
    });
  });

  it('GET the sync: keyset pages by updated_since, every ticket once', async () => {
    const write = await apiKey(handle.db, WRITE);
    const read = await apiKey(handle.db, READ);
    const { customer } = await basics(write.plaintext);
    const since = new Date(Date.now() - 1000).toISOString();
    const made: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const r = await call(postTickets, { path: '/api/v1/tickets', body: bodies.ticket(customer), key: write.plaintext });
      made.push(r.json.id as number);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const query = new URLSearchParams({ updated_since: since, limit: '3', ...(cursor && { cursor }) });
      const r = await call(listTickets, { method: 'GET', path: `/api/v1/tickets?${query}`, key: read.plaintext });
      expect(r.status).toBe(200);
      seen.push(...(r.json.tickets as { id: number }[]).map((t) => t.id));
      cursor = r.json.nextCursor as string | null;
      if (!cursor) break;
    }
    for (const id of made) expect(seen.filter((s) => s === id)).toHaveLength(1);
    for (const query of ['updated_since=yesterday', 'limit=0', 'limit=9999', 'cursor=abc', 'whatever=1']) {
      const r = await call(listTickets, { method: 'GET', path: `/api/v1/tickets?${query}`, key: read.plaintext });
      expect(r.status, query).toBe(422);
    }
  });
});

describe('POST /api/v1/orders/{number}/events with an Idempotency-Key', () => {
  it('replays the first answer and refuses another body under the same key', async () => {
    const key = await apiKey(handle.db, ['order-events']);
    const { order } = await createOrderTicket(handle.db);
    const path = `/api/v1/orders/${order.externalId}/events`;
    const params = { orderNumber: order.externalId };
    const body = { kind: 'drop_noticed', at: new Date().toISOString(), data: { current: 5 } };
    const first = await call(postOrderEvent, { path, params, body, key: key.plaintext, idempotencyKey: 'evt-key-1' });
    expect(first.status).toBe(201);
    const again = await call(postOrderEvent, { path, params, body, key: key.plaintext, idempotencyKey: 'evt-key-1' });
    expect(again).toMatchObject({ status: 201, json: first.json });
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(1);
    const other = await call(postOrderEvent, {
      path,
      params,
      body: { ...body, data: { current: 6 } },
      key: key.plaintext,
      idempotencyKey: 'evt-key-1',
    });
    expect(other.status).toBe(409);
  });
});

describe.runIf(isPostgres())('parallel requests (PostgreSQL)', () => {
  it('the same new ticket, order and customer sent at once become one of each, without a 5xx', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const ticket = bodies.ticket(customer);
    const order = bodies.order(customer, service);
    const person = bodies.customer();
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => call(postTickets, { path: '/api/v1/tickets', body: ticket, key: key.plaintext })),
      ...Array.from({ length: 6 }, () => call(postOrders, { path: '/api/v1/orders', body: order, key: key.plaintext })),
      ...Array.from({ length: 6 }, () => call(postCustomers, { path: '/api/v1/customers', body: person, key: key.plaintext })),
    ]);
    for (const a of answers) expect([200, 201], JSON.stringify(a.json)).toContain(a.status);
    const rows = await handle.db.select().from(tickets).where(eq(tickets.externalId, ticket.panelId));
    expect(rows).toHaveLength(1);
    expect(await handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, rows[0]!.id))).toHaveLength(1);
    expect(answers.slice(0, 6).filter((a) => a.status === 201)).toHaveLength(1);
    const [stored] = await handle.db.select().from(orders).where(eq(orders.externalId, order.number));
    expect(await handle.db.select().from(orderEvents).where(eq(orderEvents.orderId, stored!.id))).toHaveLength(1);
    expect(answers.slice(6, 12).filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.slice(12).filter((a) => a.status === 201)).toHaveLength(1);
    // The same Idempotency-Key sent twice at once: one runs, the other replays or hears "still being worked on".
    const same = bodies.service();
    const pair = await Promise.all(
      [1, 2].map(() => call(postServices, { path: '/api/v1/services', body: same, key: key.plaintext, idempotencyKey: 'parallel-1' })),
    );
    expect(pair.map((p) => p.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const p of pair) expect([201, 409]).toContain(p.status);
  });
});

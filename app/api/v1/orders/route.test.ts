/**
 * Batches of orders (`POST /api/v1/orders` with `{ orders: [...] }`), stored together: the same
 * rows, order events, audit rows and ticket links as one request per order; bad items refused with
 * their reasons while the good ones land; an item that fails only when written isolated; repeats.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiIdempotencyKeys, auditEvents, orderEvents, orders, tickets } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { sealAuditEvents } from '@/lib/audit/sealer';
import { verifyAuditChain } from '@/lib/audit/verify';
import { idempotencyHash } from '@/lib/intake/idempotency';
import { apiKey, bodies, call, snapshot } from '@/lib/intake/test-api';
import { POST as postCustomers } from '../customers/route';
import { POST as postServices } from '../services/route';
import { POST as postTickets } from '../tickets/route';
import { POST as postOrders } from './route';

process.env.API_RATE_LIMIT_PER_SECOND = '0';

const handle = setupTestDb();
const WRITE = ['intake:write'];
const path = '/api/v1/orders';

async function basics(key: string) {
  const customer = bodies.customer();
  const service = bodies.service();
  expect((await call(postCustomers, { path: '/api/v1/customers', body: customer, key })).status).toBe(201);
  expect((await call(postServices, { path: '/api/v1/services', body: service, key })).status).toBe(201);
  return { customer: customer.id, service: service.id };
}

/** What the desk holds about an order, without its ids: the row, its timeline, its audit rows and its tickets. */
async function stored(number: string) {
  const [row] = await handle.db.select().from(orders).where(eq(orders.externalId, number));
  if (!row) return null;
  const id = row.id;
  const facts: Partial<typeof row> & { text?: unknown } = { ...row };
  delete facts.id;
  delete facts.externalId;
  // As PostgreSQL writes them: the exact decimal and the times to the microsecond.
  [facts.text] = await handle.db
    .select({
      charge: sql<string>`${orders.charge}::text`,
      times: sql<string>`${orders.statusChangedAt}::text || ' ' || ${orders.createdAt}::text`,
    })
    .from(orders)
    .where(eq(orders.id, id));
  const events = await handle.db
    .select({ kind: orderEvents.kind, at: sql<string>`${orderEvents.at}::text`, data: orderEvents.data })
    .from(orderEvents)
    .where(eq(orderEvents.orderId, id))
    .orderBy(asc(orderEvents.id));
  const audit = await handle.db
    .select({
      action: auditEvents.action,
      actor: auditEvents.actorLabel,
      actorId: auditEvents.actorId,
      actorRole: auditEvents.actorRole,
      before: auditEvents.before,
      after: auditEvents.after,
      reason: auditEvents.reason,
      origin: auditEvents.origin,
      // Stored in whole milliseconds, as the chain's hash reads it back.
      wholeMs: sql<boolean>`${auditEvents.at} = date_trunc('milliseconds', ${auditEvents.at})`,
      sqlNulls: sql<string>`concat_ws(',', ${auditEvents.before} is null, ${auditEvents.reason} is null, ${auditEvents.actorId} is null)`,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'order'), eq(auditEvents.entityId, String(id))))
    .orderBy(asc(auditEvents.id));
  const about = await handle.db
    .select({ id: tickets.id, amountAtStake: tickets.amountAtStake, suggestion: tickets.suggestion })
    .from(tickets)
    .where(eq(tickets.orderId, id));
  const ticketIds = about.map((t) => t.id);
  return {
    facts,
    events,
    audit: audit.map((a) => ({
      ...a,
      after: {
        ...(a.after as Record<string, unknown>),
        externalId: 'n',
        ticketsRefreshed: (a.after as { ticketsRefreshed: number[] }).ticketsRefreshed.map((t) => ticketIds.indexOf(t)),
      },
    })),
    tickets: about.map((t) => ({ amountAtStake: t.amountAtStake, suggestion: t.suggestion })),
  };
}

describe('POST /api/v1/orders with a batch', () => {
  it('stores what one request per order would: rows, timeline, audit rows, linked and re-suggested tickets', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const pairs = [
      { charge: '0.12345678', status: 'PARTIAL', remains: '-7' },
      { charge: 12.3, status: 'In progress', remains: '600', startCount: null },
      { charge: '10', status: 'Pending', remains: undefined },
    ].map((over) => {
      const one = bodies.order(customer, service, over);
      return { single: one, batch: { ...one, number: `${one.number}-b` } };
    });
    // A ticket that names each order before it arrives.
    for (const p of pairs.slice(0, 2)) {
      for (const o of [p.single, p.batch]) {
        const t = await call(postTickets, {
          path: '/api/v1/tickets',
          body: bodies.ticket(customer, { orderNumber: `#${o.number}` }),
          key: key.plaintext,
        });
        expect(t.status).toBe(201);
      }
    }
    for (const p of pairs) expect((await call(postOrders, { path, body: p.single, key: key.plaintext })).status).toBe(201);
    const first = await call(postOrders, { path, body: { orders: pairs.map((p) => p.batch) }, key: key.plaintext });
    expect(first.json).toEqual({
      accepted: 3,
      refused: 0,
      results: pairs.map((p, index) => ({ index, number: p.batch.number, status: 'accepted', created: true })),
    });
    for (const p of pairs) {
      const single = await stored(p.single.number);
      expect(single!.tickets.every((t) => t.amountAtStake !== null)).toBe(true);
      expect(await stored(p.batch.number)).toEqual(single);
    }

    // Updates: a status change, remains unknown, a new charge; and one sent again unchanged.
    const changes = [
      { status: 'completed', remains: 'Unknown', charge: 0.5, statusChangedAt: new Date(Date.now() - 60_000).toISOString() },
      { status: 'In progress', remains: '100' },
      {},
    ];
    const updated = pairs.map((p, i) => ({ single: { ...p.single, ...changes[i] }, batch: { ...p.batch, ...changes[i] } }));
    for (const u of updated) expect((await call(postOrders, { path, body: u.single, key: key.plaintext })).status).toBe(200);
    const second = await call(postOrders, { path, body: { orders: updated.map((u) => u.batch) }, key: key.plaintext });
    expect(second.json).toMatchObject({ accepted: 3, refused: 0, results: [{ created: false }, { created: false }, { created: false }] });
    for (const u of updated) {
      const single = await stored(u.single.number);
      expect(await stored(u.batch.number)).toEqual(single);
    }
    const [changed] = await Promise.all([stored(updated[0]!.batch.number)]);
    expect(changed!.events.map((e) => e.kind)).toEqual(['created', 'status_changed']);
    expect(changed!.audit).toHaveLength(2);
    expect(changed!.audit[1]!.after).toMatchObject({ status: 'completed', charge: '0.50', ticketsRefreshed: [0] });
    expect((await stored(updated[2]!.batch.number))!.audit).toHaveLength(1); // unchanged: no second audit row
    expect(changed!.audit.map((a) => [a.wholeMs, a.sqlNulls])).toEqual([
      [true, 't,t,t'],
      [true, 'f,t,t'],
    ]);
    // The chain, sealed over what the batches stored, verifies.
    await sealAuditEvents(handle.db, { wait: true });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('refuses the bad items with their reasons and stores the good ones, nothing of a bad one', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const good = [bodies.order(customer, service), bodies.order(customer, service, { charge: '99.99999999' })];
    const noCustomer = bodies.order('no-such-customer', service);
    const noService = bodies.order(customer, 'no-such-service');
    const badQuantity = bodies.order(customer, service, { quantity: -1 });
    const badStatus = bodies.order(customer, service, { status: 'Teleported' });
    const response = await call(postOrders, {
      path,
      body: { orders: [noCustomer, good[0], noService, badQuantity, 17, good[1], badStatus] },
      key: key.plaintext,
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      accepted: 2,
      refused: 5,
      results: [
        {
          index: 0,
          number: noCustomer.number,
          status: 'refused',
          detail: expect.stringContaining('no-such-customer'),
          fieldErrors: { customer: [expect.stringContaining('POST /api/v1/customers')] },
        },
        { index: 1, number: good[0]!.number, status: 'accepted', created: true },
        {
          index: 2,
          number: noService.number,
          status: 'refused',
          fieldErrors: { service: [expect.stringContaining('no-such-service')] },
        },
        { index: 3, number: badQuantity.number, status: 'refused', fieldErrors: { quantity: [expect.any(String)] } },
        { index: 4, number: null, status: 'refused', detail: expect.any(String) },
        { index: 5, number: good[1]!.number, status: 'accepted', created: true },
        { index: 6, number: badStatus.number, status: 'refused', fieldErrors: { status: [expect.any(String)] } },
      ],
    });
    for (const o of good) {
      const s = await stored(o.number);
      expect(s!.events.map((e) => e.kind)).toEqual(['created']);
      expect(s!.audit).toHaveLength(1);
    }
    expect((await stored(good[1]!.number))!.facts.charge).toBe('99.99999999');
    for (const o of [noCustomer, noService, badQuantity, badStatus]) expect(await stored(o.number)).toBeNull();
    // A batch of only bad items writes nothing at all.
    const before = await snapshot(handle.db);
    const allBad = await call(postOrders, { path, body: { orders: [noCustomer, noService] }, key: key.plaintext });
    expect(allBad.json).toMatchObject({ accepted: 0, refused: 2 });
    expect(await snapshot(handle.db)).toEqual(before);
  });

  it('isolates an item that fails only when it is written: the others land, it is refused, nothing of it is kept', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    // A rule the validation does not know, standing for any constraint that only the database checks.
    await handle.db.execute(sql`alter table orders add constraint test_refused_link check (link <> 'https://refused.example/')`);
    try {
      const existing = bodies.order(customer, service);
      expect((await call(postOrders, { path, body: existing, key: key.plaintext })).status).toBe(201);
      const items = [
        bodies.order(customer, service),
        bodies.order(customer, service, { link: 'https://refused.example/' }),
        { ...existing, status: 'Completed' },
        bodies.order(customer, service),
      ];
      const response = await call(postOrders, { path, body: { orders: items }, key: key.plaintext });
      expect(response.json).toMatchObject({
        accepted: 3,
        refused: 1,
        results: [
          { index: 0, status: 'accepted', created: true },
          {
            index: 1,
            number: items[1]!.number,
            status: 'refused',
            detail: expect.stringMatching(/could not be stored; nothing of it was written/),
          },
          { index: 2, status: 'accepted', created: false },
          { index: 3, status: 'accepted', created: true },
        ],
      });
      expect(await stored(items[1]!.number)).toBeNull();
      for (const i of [0, 3]) expect((await stored(items[i]!.number))!.audit).toHaveLength(1);
      const update = await stored(existing.number);
      expect(update!.facts.status).toBe('completed');
      expect(update!.events.map((e) => e.kind)).toEqual(['created', 'status_changed']);
      expect(update!.audit).toHaveLength(2);
    } finally {
      await handle.db.execute(sql`alter table orders drop constraint test_refused_link`);
    }
  });

  it('applies the same number twice in one batch in order: created, then updated', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const o = bodies.order(customer, service, { status: 'Pending', remains: undefined });
    const response = await call(postOrders, {
      path,
      body: { orders: [o, { ...o, status: 'Completed', remains: '0' }] },
      key: key.plaintext,
    });
    expect(response.json).toMatchObject({ accepted: 2, results: [{ created: true }, { created: false }] });
    const s = await stored(o.number);
    expect(s!.facts).toMatchObject({ status: 'completed', delivered: 1000 });
    expect(s!.events.map((e) => e.kind)).toEqual(['created', 'status_changed']);
  });

  it('replays a batch sent again with its Idempotency-Key, writing nothing; another batch under the key is 409', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const body = { orders: [bodies.order(customer, service), bodies.order('nobody', service), bodies.order(customer, service)] };
    const first = await call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'batch-1' });
    expect(first.json).toMatchObject({ accepted: 2, refused: 1 });
    const after = await snapshot(handle.db);
    const again = await call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'batch-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await snapshot(handle.db)).toEqual(after);
    const other = await call(postOrders, {
      path,
      body: { orders: [bodies.order(customer, service)] },
      key: key.plaintext,
      idempotencyKey: 'batch-1',
    });
    expect(other.status).toBe(409);
    expect(await snapshot(handle.db)).toEqual(after);
    const ids = body.orders.map((o) => o.number);
    expect(await handle.db.select({ n: orders.externalId }).from(orders).where(inArray(orders.externalId, ids))).toHaveLength(2);
  });
});

describe('an Idempotency-Key claimed without an answer (left by an earlier version)', () => {
  it('is "still being worked on" (409) while fresh, and taken over once stale', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const body = { orders: [bodies.order(customer, service)] };
    const hash = idempotencyHash('POST', path, body);
    await handle.db.insert(apiIdempotencyKeys).values({ apiKeyId: key.id, key: 'left', requestHash: hash });
    const busy = await call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'left' });
    expect(busy.status).toBe(409);
    expect(busy.json.detail).toMatch(/still being worked on/);
    await handle.db
      .update(apiIdempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 120_000) })
      .where(and(eq(apiIdempotencyKeys.apiKeyId, key.id), eq(apiIdempotencyKeys.key, 'left')));
    const taken = await call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'left' });
    expect(taken.json).toMatchObject({ accepted: 1 });
    const again = await call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'left' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(taken.json);
  });
});

describe.runIf(isPostgres())('parallel batches (PostgreSQL)', () => {
  it('the same batch sent twice at once under one Idempotency-Key runs once: the other gets its answer', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const body = { orders: Array.from({ length: 10 }, () => bodies.order(customer, service)) };
    const pair = await Promise.all([1, 2].map(() => call(postOrders, { path, body, key: key.plaintext, idempotencyKey: 'twice' })));
    expect(pair.map((p) => p.status)).toEqual([200, 200]);
    expect(pair[0]!.json).toEqual(pair[1]!.json);
    expect(pair[0]!.json).toMatchObject({ accepted: 10 });
    expect(pair.map((p) => p.headers.get('idempotent-replayed')).sort()).toEqual(['true', null].sort());
    for (const o of body.orders) expect((await stored(o.number))!.audit).toHaveLength(1);
  });

  it('the same new orders in batches sent at once become one of each, each created once, without a 5xx', async () => {
    const key = await apiKey(handle.db, WRITE);
    const { customer, service } = await basics(key.plaintext);
    const batch = Array.from({ length: 20 }, () => bodies.order(customer, service));
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        call(postOrders, { path, body: { orders: i % 2 ? [...batch].reverse() : batch }, key: key.plaintext }),
      ),
    );
    for (const a of answers) expect(a.json, JSON.stringify(a.json)).toMatchObject({ accepted: 20, refused: 0 });
    const created = answers.flatMap((a) => (a.json.results as { number: string; created: boolean }[]).filter((r) => r.created));
    expect(created.map((r) => r.number).sort()).toEqual(batch.map((o) => o.number).sort());
    for (const o of batch) expect((await stored(o.number))!.events.map((e) => e.kind)).toEqual(['created']);
  });
});

/**
 * Fuzzing the intake API through its real route handlers (fast-check): thousands of random bodies
 * per endpoint — arbitrary JSON, valid bodies with one field replaced, dropped or added, broken
 * text, random Idempotency-Keys — never get a 5xx, and a refused one (4xx) leaves the database
 * exactly as it was (row counts and row versions of every table the intake writes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { apiKey, bodies, call, INTAKE_TABLES, type Handler } from '@/lib/intake/test-api';
import { anyBody, fingerprint as fingerprintTables, weirdText, type Body } from '@/lib/intake/test-fuzz';
import { POST as postCustomers } from './customers/route';
import { POST as postOrders } from './orders/route';
import { POST as postPayments } from './payments/route';
import { POST as postMessage } from './tickets/[id]/messages/route';
import { GET as getTicket } from './tickets/[id]/route';
import { GET as listTickets, POST as postTickets } from './tickets/route';
import { POST as postServices } from './services/route';

// The per-key rate limit has its own tests (lib/api-keys); here one key sends far more than 50 a second.
process.env.API_RATE_LIMIT_PER_SECOND = '0';

const handle = setupTestDb();
const RUNS = Number(process.env.INTAKE_FUZZ_RUNS ?? 300);

const fingerprint = () => fingerprintTables(handle.db, INTAKE_TABLES);

const idempotencyKey = fc.option(fc.stringMatching(/^[\x21-\x7e]{1,12}$/), { nil: undefined });

async function fuzz(
  name: string,
  handler: Handler<{ id: string }>,
  good: () => Body,
  params: fc.Arbitrary<{ id: string } | undefined>,
  key: string,
) {
  const body = anyBody(good);
  let accepted = 0;
  let current = await fingerprint();
  await fc.assert(
    fc.asyncProperty(body, idempotencyKey, params, async (b, idem, p) => {
      const response = await call(handler, { path: `/api/v1/${name}`, params: p, body: b, key, idempotencyKey: idem });
      expect(response.status, JSON.stringify(response.json)).toBeLessThan(500);
      const after = await fingerprint();
      if (response.status >= 400) {
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(typeof response.json.detail).toBe('string');
        expect(after, `${name} ${response.status} ${JSON.stringify(response.json)}`).toBe(current);
      } else accepted += 1;
      current = after;
    }),
    { numRuns: RUNS },
  );
  return accepted;
}

describe('fuzzing the intake API', () => {
  it('never answers 5xx and writes nothing for a refused body, on every endpoint', { timeout: 300_000 }, async () => {
    const key = (await apiKey(handle.db, ['intake:write'])).plaintext;
    const customer = bodies.customer();
    const service = bodies.service();
    const ticket = bodies.ticket(customer.id);
    expect((await call(postCustomers, { path: '/api/v1/customers', body: customer, key })).status).toBe(201);
    expect((await call(postServices, { path: '/api/v1/services', body: service, key })).status).toBe(201);
    const t = await call(postTickets, { path: '/api/v1/tickets', body: ticket, key });
    expect(t.status).toBe(201);
    const none = fc.constant(undefined);
    const H = <P>(h: Handler<P>) => h as unknown as Handler<{ id: string }>;
    const accepted: Record<string, number> = {};
    accepted.services = await fuzz('services', H(postServices), () => bodies.service(), none, key);
    accepted.customers = await fuzz('customers', H(postCustomers), () => bodies.customer(), none, key);
    accepted.orders = await fuzz('orders', H(postOrders), () => bodies.order(customer.id, service.id), none, key);
    accepted.batches = await fuzz(
      'orders',
      H(postOrders),
      () => ({ orders: [bodies.order(customer.id, service.id), bodies.order(customer.id, service.id, { quantity: -1 })] }),
      none,
      key,
    );
    accepted.payments = await fuzz('payments', H(postPayments), () => bodies.payment(customer.id), none, key);
    accepted.tickets = await fuzz('tickets', H(postTickets), () => bodies.ticket(customer.id), none, key);
    accepted.messages = await fuzz(
      'tickets/x/messages',
      postMessage,
      () => ({ body: 'Any news?' }),
      fc.oneof(
        fc.constant({ id: String(t.json.id) }),
        fc.constant({ id: `panel:${ticket.panelId}` }),
        weirdText.map((id) => ({ id })),
      ),
      key,
    );
    // Some of each were good enough to be stored: the fuzzing reached the database, not only the parser.
    for (const [name, n] of Object.entries(accepted)) expect(n, name).toBeGreaterThan(0);
  });
});

describe('fuzzing the reading endpoints', () => {
  it('never answers 5xx to random ticket ids and sync queries', { timeout: 120_000 }, async () => {
    const read = (await apiKey(handle.db, ['tickets:read'])).plaintext;
    const param = fc.oneof(
      weirdText,
      fc.integer().map(String),
      weirdText.map((s) => `panel:${s}`),
    );
    const query = fc.dictionary(
      fc.constantFrom('updated_since', 'cursor', 'limit', 'other'),
      fc.oneof(
        weirdText,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.integer().map(String),
        fc.constant('0000-01-01T00:00:00Z'),
        fc.constant('panel:\u0000'),
        fc.constant('99999999999999999.1'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(param, query, async (id, q) => {
        const one = await call(getTicket, { method: 'GET', path: '/api/v1/tickets/x', params: { id }, key: read });
        expect(one.status, JSON.stringify(one.json)).toBeLessThan(500);
        const page = await call(listTickets, { method: 'GET', path: `/api/v1/tickets?${new URLSearchParams(q)}`, key: read });
        expect(page.status, JSON.stringify(page.json)).toBeLessThan(500);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

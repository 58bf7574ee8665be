import { describe, expect, it } from 'vitest';
import {
  customerInputSchema,
  ordersBodySchema,
  paymentsBodySchema,
  serviceInputSchema,
  ticketInputSchema,
  ticketMessageInputSchema,
} from '@/lib/intake/schemas';
import { CLAIMS } from '@/lib/policy/constants';
import { orderEventInputSchema } from '@/lib/validation/intake';
import { CLAIM_MIX, ORDER_CLAIMS, PAYMENT_CLAIMS, World, type SimRequest, type WorldOptions } from './world';

const START = Date.parse('2026-11-27T12:00:00Z');

/** Runs a world for `steps` steps, every request accepted; returns every request. */
function play(options: WorldOptions, steps: number): SimRequest[] {
  let now = START;
  const world = new World(options, () => now);
  const out: SimRequest[] = [];
  for (let i = 0; i < steps; i++) {
    for (const request of world.next()) {
      out.push(request);
      world.settle(request, true);
    }
    now += 50;
  }
  return out;
}

function schemaFor(request: SimRequest) {
  if (request.path === '/services') return serviceInputSchema;
  if (request.path === '/customers') return customerInputSchema;
  if (request.path === '/orders') return ordersBodySchema;
  if (request.path === '/payments') return paymentsBodySchema;
  if (request.path === '/tickets') return ticketInputSchema;
  if (/^\/tickets\/[^/]+\/messages$/.test(request.path)) return ticketMessageInputSchema;
  if (/^\/orders\/[^/]+\/events$/.test(request.path)) return orderEventInputSchema;
  throw new Error(`no schema for ${request.path}`);
}

describe('the simulated panel', () => {
  it('is deterministic with a seed', () => {
    const a = play({ seed: 7, idPrefix: 'x' }, 400);
    const b = play({ seed: 7, idPrefix: 'x' }, 400);
    expect(b).toEqual(a);
    const c = play({ seed: 8, idPrefix: 'x' }, 400);
    expect(c).not.toEqual(a);
  });

  it('generates only bodies the server’s zod schemas accept', () => {
    // The server checks times against its clock: keep the simulated clock in the past.
    const requests = play({ seed: 1, idPrefix: 'v', ticketShare: 0.3 }, 3000);
    const kinds = new Set(requests.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(
      ['customer', 'event', 'message', 'order', 'order_batch', 'order_progress', 'payment', 'payment_change', 'service', 'ticket'].sort(),
    );
    for (const request of requests) {
      const schema = schemaFor(request);
      const body =
        schema === orderEventInputSchema ? { ...request.body, orderNumber: decodeURIComponent(request.path.split('/')[2]!) } : request.body;
      const result = schema.safeParse(body);
      expect(result.success, `${request.kind} ${JSON.stringify(request.body)}: ${result.error?.message}`).toBe(true);
      if (schema === ordersBodySchema && 'orders' in request.body)
        expect((request.body.orders as unknown[]).length).toBeLessThanOrEqual(100);
    }
  });

  it('sends an Idempotency-Key with every request, each one different', () => {
    const requests = play({ seed: 3 }, 500);
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(requests.length);
    for (const r of requests) expect(r.idempotencyKey).toMatch(/^[\x21-\x7e]{1,255}$/);
  });

  it('moves orders through Pending → In progress → Completed / Partial / Canceled', () => {
    const requests = play({ seed: 5, events: false }, 3000);
    const seen = new Map<string, string[]>();
    for (const r of requests) {
      if (r.kind !== 'order' && r.kind !== 'order_progress') continue;
      const status = String(r.body.status).toLowerCase().replace('cancelled', 'canceled');
      seen.set(r.body.number as string, [...(seen.get(r.body.number as string) ?? []), status]);
    }
    const order = ['pending', 'in progress', 'completed|partial|canceled|fail'];
    const rank = (s: string) => order.findIndex((o) => o.split('|').includes(s));
    let finals = 0;
    for (const statuses of seen.values()) {
      for (let i = 1; i < statuses.length; i++) expect(rank(statuses[i]!)).toBeGreaterThanOrEqual(rank(statuses[i - 1]!));
      if (statuses.length > 1 && rank(statuses.at(-1)!) === 2) finals++;
    }
    expect(finals).toBeGreaterThan(100);
    const finalWords = new Set(requests.filter((r) => r.kind === 'order_progress').map((r) => String(r.body.status).toLowerCase()));
    for (const w of ['in progress', 'completed', 'partial']) expect(finalWords).toContain(w);
    expect([...finalWords].some((w) => w === 'canceled' || w === 'cancelled')).toBe(true);
  });

  it('has the claim mix of DOMAIN.md within tolerance, with every claim', () => {
    const requests = play({ seed: 11, weights: { ticket: 50, message: 0 } }, 12_000);
    const tickets = requests.filter((r) => r.kind === 'ticket').map((r) => r.body.claim as string);
    expect(tickets.length).toBeGreaterThan(4000);
    expect(new Set(tickets)).toEqual(new Set(CLAIMS));
    expect(new Set(CLAIM_MIX.map(([c]) => c))).toEqual(new Set(CLAIMS));
    const share = (claims: string[]) => tickets.filter((c) => claims.includes(c)).length / tickets.length;
    expect(share(ORDER_CLAIMS)).toBeCloseTo(0.76, 1);
    expect(Math.abs(share(ORDER_CLAIMS) - 0.76)).toBeLessThan(0.03);
    expect(Math.abs(share(PAYMENT_CLAIMS) - 0.14)).toBeLessThan(0.02);
    expect(Math.abs(share(['drop']) - 0.28)).toBeLessThan(0.03);
    expect(Math.abs(share(['cancel_request']) - 0.12)).toBeLessThan(0.02);
  });

  it('keeps about one ticket per 35 orders by default', () => {
    const requests = play({ seed: 13 }, 20_000);
    const orders = requests.reduce(
      (n, r) => n + (r.kind === 'order' ? 1 : r.kind === 'order_batch' ? (r.body.orders as unknown[]).length : 0),
      0,
    );
    const tickets = requests.filter((r) => r.kind === 'ticket').length;
    expect(orders / tickets).toBeGreaterThan(25);
    expect(orders / tickets).toBeLessThan(45);
  });

  it('refers only to what the server accepted', () => {
    let now = START;
    const world = new World({ seed: 17 }, () => now);
    const refusedCustomers = new Set<string>();
    const refusedOrders = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      for (const r of world.next()) {
        // Refuse every customer whose id ends in 3; and what depends on it in the same step is not sent.
        if (r.kind === 'customer' && String(r.body.id).endsWith('3')) {
          refusedCustomers.add(r.body.id as string);
          world.settle(r, false);
          break;
        }
        if (r.kind === 'order' || r.kind === 'ticket' || r.kind === 'payment') expect(refusedCustomers).not.toContain(r.body.customer);
        if (r.kind === 'order_progress') expect(refusedOrders).not.toContain(r.body.number);
        if (r.kind === 'order' && String(r.body.number).endsWith('7')) {
          refusedOrders.add(r.body.number as string);
          world.settle(r, false);
          break;
        }
        world.settle(r, true);
      }
      now += 50;
    }
    expect(refusedCustomers.size).toBeGreaterThan(0);
  });
});

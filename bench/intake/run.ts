/**
 * Intake benchmark: requests per second through the HTTP API of a running Refund Desk, with 8
 * concurrent clients (closed loop: each sends its next request when the last one is answered).
 *
 *   1. Mixed single requests (the simulated panel, sim/world.ts): new orders, status changes as
 *      order events and as order updates, tickets, customer replies, a few payments and customers
 *      → requests/s and p50/p95/p99 latency, overall and per kind.
 *   2. Batches of 100 new orders → orders/s and the batch latency.
 * os.loadavg() is printed beside each figure (the machine may be shared).
 *
 * It starts nothing itself: run it against a production build on PostgreSQL, with the rate limit
 * off for the run, e.g.
 *
 *   createdb rd_bench_intake && DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_intake npm run db:migrate
 *   npm run build
 *   DATABASE_URL=… NEXTAUTH_SECRET=$(openssl rand -hex 32) API_RATE_LIMIT_PER_SECOND=0 PORT=3000 npm start
 *   DATABASE_URL=… npm run bench:intake -- --url http://localhost:3000 [--seconds 30] [--clients 8] [--key rdk_…]
 *
 * Without --key it creates one (scopes intake:write, order-events, tickets:read) in DATABASE_URL's
 * database as the system actor. Targets (issue 12): ≥ 500 single requests/s at p95 ≤ 50 ms;
 * ≥ 5,000 orders/s in batches.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { percentile, send, type Answer } from '@/sim/http';
import { World, type SimRequest } from '@/sim/world';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    key: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    'batch-seconds': { type: 'string', default: '20' },
    clients: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
  },
});
const CLIENTS = Number(values.clients);
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (${cpus().length} cores)`;

async function apiKey(): Promise<string> {
  if (values.key) return values.key;
  if (!process.env.DATABASE_URL) throw new Error('Give --key rdk_… (or DATABASE_URL, to create one).');
  const { getDbHandle } = await import('@/db');
  const { createApiKey } = await import('@/lib/intake/api-keys');
  const handle = await getDbHandle();
  const key = await createApiKey(handle.db, {
    name: `bench ${new Date().toISOString()}`,
    scopes: ['intake:write', 'order-events', 'tickets:read'],
  });
  await handle.close();
  return key.plaintext;
}

interface Sample {
  kind: string;
  ms: number;
  status: number;
  items: number;
}

function report(title: string, samples: Sample[], seconds: number, items = false) {
  const ok = samples.filter((s) => s.status >= 200 && s.status < 300);
  const bad = samples.length - ok.length;
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const p = (q: number) => percentile(ms, q).toFixed(1);
  console.log(
    `${title}: ${(samples.length / seconds).toFixed(1)} req/s${items ? `, ${(ok.reduce((n, s) => n + s.items, 0) / seconds).toFixed(0)} orders/s` : ''} · p50 ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms · ${samples.length} requests, ${bad} not 2xx · ${load()}`,
  );
  if (!items) {
    const kinds = [...new Set(samples.map((s) => s.kind))].sort();
    for (const kind of kinds) {
      const k = samples
        .filter((s) => s.kind === kind)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      console.log(
        `  ${kind.padEnd(15)} ${String(k.length).padStart(7)} · p50 ${percentile(k, 50).toFixed(1)} ms, p95 ${percentile(k, 95).toFixed(1)} ms, p99 ${percentile(k, 99).toFixed(1)} ms`,
      );
    }
  }
  const statuses = new Map<number, number>();
  for (const s of samples) if (s.status < 200 || s.status >= 300) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  if (statuses.size) console.log(`  not 2xx: ${[...statuses].map(([s, n]) => `${s} × ${n}`).join(', ')}`);
}

async function main() {
  const key = await apiKey();
  const sender = { baseUrl: values.url, key };
  const world = new World({
    seed: Number(values.seed),
    idPrefix: `b${Date.now().toString(36)}-`,
    eventShare: 0.6,
    // Mixed: orders, status changes (events and updates), tickets, replies; few customers and payments.
    weights: { order: 30, batch: 0, progress: 35, ticket: 15, message: 12, payment: 3, payment_change: 0.5, customer: 1 },
  });
  let rateLimited = 0;
  const settle = (request: SimRequest, answer: Answer) => {
    rateLimited += answer.rateLimited;
    world.settle(request, answer.status >= 200 && answer.status < 300);
  };

  console.log(`bench:intake against ${values.url}, ${CLIENTS} clients · ${load()}`);
  // Warm-up (not measured): the catalogue, customers, orders and tickets to refer to; JIT and pools warm.
  const warmUntil = Date.now() + 8_000;
  let warmed = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < warmUntil || world.customers.length < 50) {
        for (const request of world.next()) {
          const answer = await send(sender, request);
          settle(request, answer);
          warmed++;
          if (answer.status === 401 || answer.status === 403) throw new Error(`The key was refused: ${JSON.stringify(answer.body)}`);
          if (answer.status < 200 || answer.status >= 300) break;
        }
      }
    }),
  );
  console.log(
    `warm-up: ${warmed} requests, ${world.customers.length} customers, ${world.open.length} open orders, ${world.tickets.length} tickets`,
  );

  // 1. Mixed single requests.
  const seconds = Number(values.seconds);
  const samples: Sample[] = [];
  let until = Date.now() + seconds * 1000;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        for (const request of world.next()) {
          const answer = await send(sender, request);
          settle(request, answer);
          samples.push({ kind: request.kind, ms: answer.ms, status: answer.status, items: 1 });
          if (answer.status < 200 || answer.status >= 300) break;
        }
      }
    }),
  );
  if (seconds > 0) report('mixed single requests', samples, (performance.now() - started) / 1000);

  // 2. Batches of 100 new orders.
  const batchSeconds = Number(values['batch-seconds']);
  const batches: Sample[] = [];
  until = Date.now() + batchSeconds * 1000;
  started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const request = world.orderBatch(100);
        const answer = await send(sender, request);
        settle(request, answer);
        const body = answer.body as { accepted?: number } | null;
        batches.push({ kind: 'order_batch', ms: answer.ms, status: answer.status, items: body?.accepted ?? 0 });
      }
    }),
  );
  if (batchSeconds > 0) report('batches of 100 orders', batches, (performance.now() - started) / 1000, true);
  if (rateLimited) console.log(`(${rateLimited} answers were 429: start the server with API_RATE_LIMIT_PER_SECOND=0 for the benchmark)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * API-key authentication with the rate limit: requests per second and latency of
 * `authenticateApiKey` (key lookup + token bucket + today's count, one statement) on PostgreSQL,
 * 8 concurrent clients, all on ONE key (the worst case: every request updates the same bucket row)
 * and spread over 8 keys.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/api-keys/run.ts [-- --requests 5000 --clients 8]
 *
 * Scratch database `rd_bench_api_keys`, dropped at the end.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { migrate, openPostgres } from '@/db';
import { freshScratchDatabase, dropScratchDatabase } from '../scratch-db';
import { authenticateApiKey, createApiKey, ORDER_EVENTS_SCOPE } from '@/lib/api-keys';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '5000' }, clients: { type: 'string', default: '8' } } });
const REQUESTS = Number(values.requests);
const CLIENTS = Number(values.clients);
const DB_NAME = 'rd_bench_api_keys';

async function main() {
  process.env.API_RATE_LIMIT_PER_SECOND = '0'; // measure the statement, not the limit
  const handle = await openPostgres(await freshScratchDatabase(DB_NAME), CLIENTS);
  try {
    await migrate(handle);
    const keys = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createApiKey(handle.db, { name: `bench-${i}`, scopes: [ORDER_EVENTS_SCOPE] })),
    );
    for (const [label, keyCount] of [
      ['one key', 1],
      ['8 keys', 8],
    ] as const) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < REQUESTS) {
            const i = next++;
            const t = performance.now();
            await authenticateApiKey(handle.db, `Bearer ${keys[i % keyCount]!.plaintext}`, 'orders.events.write');
            latencies.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
      console.log(
        `${label}: ${Math.round(REQUESTS / seconds)} authentications/s with ${CLIENTS} clients; p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  } finally {
    await handle.close();
    await dropScratchDatabase(DB_NAME);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * npx tsx bench/quality/replay.ts [--tickets 100000] [--reuse] — the policy replay over 100,000
 * tickets on PostgreSQL (DATABASE_URL, this machine): a database `rd_bench_replay` seeded with the
 * demo generator (stored suggestions included), then `replayPolicy` with a 3-day review window over
 * every ticket, three times: wall time, tickets/s, how many changed, and how responsive the event
 * loop stayed meanwhile (its largest delay, from monitorEventLoopDelay). Load average beside each
 * figure; results appended to bench/quality/results.md.
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows, setDbHandle } from '@/db';
import { freshScratchDatabase, scratchUrl } from '../scratch-db';
import { seedDatabase } from '@/lib/demo';
import type { Ctx } from '@/lib/auth/actor';
import { replayPolicy } from '@/lib/quality/replay';
import { suggestFor } from '@/lib/tickets/suggestion';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '100000' }, reuse: { type: 'boolean', default: false } } });
const N = Number(values.tickets);
const DB_NAME = 'rd_bench_replay';
const ANCHOR = '2026-11-01';
const load = () => loadavg()[0]!.toFixed(1);
const lines: string[] = [];
const out = (line: string) => {
  console.log(line);
  lines.push(line);
};

async function main() {
  let handle = values.reuse ? await openPostgres(scratchUrl(DB_NAME), 4).catch(() => null) : null;
  out(`## Policy replay over ${N.toLocaleString('en-US')} tickets (${new Date().toISOString()})`);
  out('');
  if (!handle) {
    handle = await openPostgres(await freshScratchDatabase(DB_NAME), 4);
    await migrate(handle);
    const t = performance.now();
    await seedDatabase(handle, {
      tickets: N,
      seed: 1,
      anchor: ANCHOR,
      log: () => {},
      annotate: (facts, { now }) => suggestFor(facts, now),
      databaseUrl: scratchUrl(DB_NAME),
    });
    await handle.db.execute(sql`analyze`);
    out(`- seeded ${N.toLocaleString('en-US')} demo tickets in ${((performance.now() - t) / 1000).toFixed(0)} s (load ${load()})`);
  }
  setDbHandle(handle);
  await handle.db.execute(sql`analyze`);
  const [staff] = await queryRows<{ id: string }>(
    handle.db,
    sql`select id from staff_users where role = 'supervisor' and is_active limit 1`,
  );
  const ctx: Ctx = { kind: 'staff', userId: Number(staff!.id), sessionIssuedAt: Math.floor(Date.now() / 1000), origin: { via: 'cli' } };
  const [range] = await queryRows<{ from: string; to: string; n: string }>(
    handle.db,
    sql`select to_char(min(opened_at), 'YYYY-MM-DD') as from, to_char(max(opened_at), 'YYYY-MM-DD') as to, count(*) as n from tickets`,
  );
  for (let run = 1; run <= 3; run += 1) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t = performance.now();
    const result = await replayPolicy(ctx, { from: range!.from, to: range!.to, reviewWindowDays: '3' });
    const s = (performance.now() - t) / 1000;
    delay.disable();
    out(
      `- run ${run}: ${result.tickets.toLocaleString('en-US')} tickets in ${s.toFixed(2)} s (${Math.round(result.tickets / s).toLocaleString('en-US')} tickets/s); ${result.changed.toLocaleString('en-US')} would change (${result.outcomeChanged.toLocaleString('en-US')} in outcome); event loop delay max ${(delay.max / 1e6).toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms (load ${load()})`,
    );
  }
  await handle.close();
  appendFileSync('bench/quality/results.md', lines.join('\n') + '\n\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

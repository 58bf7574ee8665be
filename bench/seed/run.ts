/**
 * Seed benchmark: creates a scratch PostgreSQL database, migrates it, runs `scripts/seed.ts` on it
 * as its own process (COPY path), then prints rows and sizes per table and drops the database.
 *
 *   npx tsx bench/seed/run.ts [--tickets 1000000] [--seed 1] [--anchor 2026-07-01] [--keep]
 *
 * The server comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows } from '@/db';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    anchor: { type: 'string', default: '2026-07-01' },
    keep: { type: 'boolean', default: false },
  },
});

const TABLES = [
  'staff_users',
  'services',
  'customers',
  'payments',
  'orders',
  'order_events',
  'tickets',
  'ticket_messages',
  'ticket_findings',
  'evidence',
  'audit_events',
];

/** CPU seconds a process has used so far (Linux), or null. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `rd_seed_bench_${process.pid}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  const admin = await openPostgres(base, 1);
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  const evidenceDir = mkdtempSync(path.join(tmpdir(), 'rd-seed-bench-evidence-'));
  try {
    const handle = await openPostgres(url.toString(), 2);
    await migrate(handle);

    console.log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // Sample the CPU of the seed's backends (they exit with the seed's connections).
    const backendCpu = new Map<number, number>();
    const sampler = setInterval(() => {
      void queryRows<{ pid: number }>(
        handle.db,
        sql`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      ).then((rows) => {
        for (const { pid } of rows) {
          const cpu = cpuSeconds(pid);
          if (cpu !== null) backendCpu.set(pid, cpu);
        }
      });
    }, 1000);

    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...process.execArgv, 'scripts/seed.ts', '--tickets', values.tickets!, '--seed', values.seed!, '--anchor', values.anchor!],
      { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url.toString(), EVIDENCE_DIR: evidenceDir } },
    );
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    clearInterval(sampler);
    const wall = (performance.now() - started) / 1000;
    const pgCpu = [...backendCpu.values()].reduce((sum, v) => sum + v, 0);
    console.log(`\nseed process: exit ${code}, wall ${wall.toFixed(1)} s; PostgreSQL backends' CPU ≈ ${pgCpu.toFixed(1)} s`);
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    console.log('\n| table | rows | size |\n|---|---:|---:|');
    for (const table of TABLES) {
      const [row] = await queryRows<{ n: string; size: string }>(
        handle.db,
        sql.raw(`select count(*)::text as n, pg_size_pretty(pg_total_relation_size('${table}')) as size from "${table}"`),
      );
      console.log(`| ${table} | ${Number(row!.n).toLocaleString('en-US')} | ${row!.size} |`);
    }
    const [db] = await queryRows<{ size: string }>(handle.db, sql`select pg_size_pretty(pg_database_size(current_database())) as size`);
    console.log(`\ndatabase size: ${db!.size}`);
    await handle.close();
  } finally {
    rmSync(evidenceDir, { recursive: true, force: true });
    if (values.keep) console.log(`kept database ${name}`);
    else await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

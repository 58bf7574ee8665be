/**
 * Decisions benchmark: executed balance credits per second through the real core function
 * (`proposeDecision`: actor check, ticket lock, policy check on the ticket's facts, cap check under
 * the order's lock, decision + ledger row + two outbox jobs + reply + ticket status + two audit rows
 * + NOTIFY, in one transaction), with 16 concurrent clients on PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:decisions [-- --spread 3000 --hot 2000 --clients 16 --keep --migrations DIR --cold --suffix NAME]
 *
 * Scenarios: `spread` (each credit on its own ticket of its own customer) and `hot` (every ticket
 * belongs to one customer). Afterwards it checks that no ticket has two credits, that each
 * customer's balance equals the sum of their ledger and of their executed credits, and that the
 * audit chain verifies. Data lives in a scratch database `rd_bench_decisions` (`rd_bench_decisions_NAME` with
 * `--suffix NAME`, so two people's runs never share one), dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows, setDbHandle, type DbHandle } from '@/db';
import { freshScratchDatabase, dropScratchDatabase } from '../scratch-db';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { record } from '@/lib/audit';
import { sealAuditEvents } from '@/lib/audit/sealer';
import { verifyAuditChain } from '@/lib/audit/verify';
import { proposeDecision } from '@/lib/decisions';
import { customerBalances } from '@/lib/ledger';
import { refreshSuggestion } from '@/lib/tickets/suggestion';

const { values } = parseArgs({
  options: {
    spread: { type: 'string', default: '3000' },
    hot: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    /** Another migrations folder (e.g. a copy of the committed ones), to compare schema changes. */
    migrations: { type: 'string' },
    /** Leave the tickets without a stored suggestion, so every proposal runs the policy check and stores it. */
    cold: { type: 'boolean', default: false },
    /** The scratch database becomes `rd_bench_decisions_<suffix>` (letters, digits, underscores). */
    suffix: { type: 'string' },
  },
});

if (values.suffix !== undefined && !/^[a-z0-9_]+$/.test(values.suffix))
  throw new Error('--suffix takes lower-case letters, digits and underscores only.');
const DB_NAME = values.suffix ? `rd_bench_decisions_${values.suffix}` : 'rd_bench_decisions';
const CLIENTS = Number(values.clients);

/**
 * Creates `count` complete, timely `not_delivered` claims on partially delivered orders (400 of
 * 1000) with the company's fault confirmed: the policy suggests a balance credit of 7.50 USD, under
 * the approval threshold, so each proposal executes at once. `customer` given: all of them belong
 * to it, opened 91 days apart so the customer never counts as a serial refunder.
 */
async function makeTickets(handle: DbHandle, tag: string, count: number, customer?: number): Promise<number[]> {
  const db = handle.db;
  const [service] = await queryRows<{ id: number }>(
    db,
    sql`insert into services (external_id, name, platform, category, rate_per_1000, currency, min_quantity, max_quantity, refill_days)
        values (${`bs-${tag}`}, 'Instagram Followers [R30]', 'instagram', 'followers', 12.5, 'USD', 10, 100000, 30) returning id`,
  );
  if (customer === undefined) {
    await db.execute(sql`insert into customers (external_id, username, email)
      select ${`bc-${tag}-`} || g, ${`bench_${tag}_`} || g, ${`bench_${tag}_`} || g || '@bench.example' from generate_series(1, ${count}) g`);
  }
  await db.execute(sql`insert into orders (external_id, customer_id, service_id, link, quantity, start_count, delivered, charge, currency, status, status_changed_at, created_at)
    select ${`bo-${tag}-`} || g,
           ${customer === undefined ? sql`(select id from customers where external_id = ${`bc-${tag}-`} || g)` : sql`${customer}`},
           ${service!.id}, 'https://instagram.com/bench_' || g, 1000, 100, 400, 12.50, 'USD', 'partial',
           now() - interval '48 hours' - (${customer === undefined ? 0 : 91} * g) * interval '1 day',
           now() - interval '50 hours' - (${customer === undefined ? 0 : 91} * g) * interval '1 day'
    from generate_series(1, ${count}) g`);
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into tickets (customer_id, order_id, claim, requested_remedy, order_number_given, target_link_given, explanation, opened_at, amount_at_stake)
        select o.customer_id, o.id, 'not_delivered', 'balance_credit', o.external_id, o.link, 'Only 400 of 1000 arrived', o.status_changed_at + interval '24 hours', o.charge
        from orders o where o.external_id like ${`bo-${tag}-%`} order by o.id returning id`,
  );
  const ids = rows.map((r) => Number(r.id));
  await db.execute(sql`insert into evidence (ticket_id, sha256, mime_type, size_bytes, storage_key, original_name, uploaded_at)
    select t.id, md5(t.id::text) || md5(t.id::text), 'image/png', 1000, md5(t.id::text), 'shot.png', t.opened_at
    from tickets t join orders o on o.id = t.order_id where o.external_id like ${`bo-${tag}-%`}`);
  await db.execute(sql`insert into ticket_findings (ticket_id, link_valid, target_public, target_unchanged, company_fault)
    select t.id, true, true, true, true from tickets t join orders o on o.id = t.order_id where o.external_id like ${`bo-${tag}-%`}`);
  if (!values.cold) {
    // As intake and the ticket page leave a ticket: its suggestion computed and stored.
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => db.transaction((tx) => refreshSuggestion(tx, id))));
    }
  }
  await db.execute(sql`analyze`);
  return ids;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** CPU seconds used so far by this database's PostgreSQL backends (Linux /proc; null elsewhere). */
async function backendCpuSeconds(handle: DbHandle): Promise<number | null> {
  const pids = await queryRows<{ pid: number }>(handle.db, sql`select pid from pg_stat_activity where datname = ${DB_NAME}`);
  let total = 0;
  try {
    for (const { pid } of pids) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    return null;
  }
  return total;
}

interface RunResult {
  name: string;
  /** CPU milliseconds per executed credit: this Node process, and the PostgreSQL backends serving it. */
  nodeCpuMs: number;
  pgCpuMs: number | null;
  credits: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Proposes a credit on every ticket, `CLIENTS` at a time, and times each call. */
async function run(handle: DbHandle, name: string, ctxs: ReturnType<typeof ctxFor>[], ticketIds: number[]): Promise<RunResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const pgBefore = await backendCpuSeconds(handle);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const ctx = ctxs[client % ctxs.length]!;
      for (;;) {
        const i = next++;
        if (i >= ticketIds.length) return;
        const t0 = performance.now();
        const { decision } = await proposeDecision(ctx, {
          ticketId: ticketIds[i],
          outcome: 'balance_credit',
          idempotencyKey: randomUUID(),
        });
        latencies.push(performance.now() - t0);
        if (decision.state !== 'executed' || decision.amount !== '7.50') failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const pgAfter = await backendCpuSeconds(handle);
  if (failures) throw new Error(`${name}: ${failures} proposals did not execute a 7.50 credit`);
  latencies.sort((a, b) => a - b);
  return {
    name,
    nodeCpuMs: (cpu.user + cpu.system) / 1000 / ticketIds.length,
    pgCpuMs: pgBefore !== null && pgAfter !== null ? ((pgAfter - pgBefore) * 1000) / ticketIds.length : null,
    credits: ticketIds.length,
    seconds,
    perSecond: ticketIds.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}

/**
 * The ceiling of any audited write on this machine right now: transactions that only append two
 * audit events (lib/audit `record`, which serialises writers on one lock held until commit).
 */
async function auditCeiling(handle: DbHandle, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < count) {
        await handle.db.transaction(async (tx) => {
          for (const action of ['ticket.note_added', 'ticket.reply_sent'] as const) {
            await record(tx, { actor: { id: null, label: 'bench', role: null }, action, entityType: 'bench', entityId: next });
          }
        });
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** No ticket with two credits; balance = ledger sum = executed credits, per customer. */
async function verify(handle: DbHandle, hotCustomer: number, expectedCredits: number) {
  const db = handle.db;
  const [dupes] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select ticket_id from ledger_entries where kind = 'decision_credit' group by ticket_id having count(*) > 1) d`,
  );
  const [rows] = await queryRows<{ ledger: number; decisions: number }>(
    db,
    sql`select (select count(*)::int from ledger_entries) as ledger,
               (select count(*)::int from decisions where state = 'executed' and chosen_outcome = 'balance_credit') as decisions`,
  );
  const [mismatch] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from
          (select t.customer_id, sum(d.amount) as s from decisions d join tickets t on t.id = d.ticket_id
            where d.state = 'executed' and d.chosen_outcome = 'balance_credit' group by t.customer_id) a
          full join (select customer_id, sum(amount) as s from ledger_entries group by customer_id) b using (customer_id)
        where a.s is distinct from b.s`,
  );
  const [hotSum] = await queryRows<{ total: string }>(
    db,
    sql`select sum(amount)::numeric(14,2)::text as total from ledger_entries where customer_id = ${hotCustomer}`,
  );
  const hotBalance = (await customerBalances(db, hotCustomer)).find((b) => b.currency === 'USD')?.balance;
  await sealAuditEvents(db, { wait: true });
  const chain = await verifyAuditChain(db);
  const checks = {
    duplicateCreditTickets: dupes!.n,
    ledgerRows: rows!.ledger,
    executedCredits: rows!.decisions,
    expectedCredits,
    customersWhoseLedgerDiffersFromTheirCredits: mismatch!.n,
    hotCustomerBalance: hotBalance,
    hotCustomerLedgerSum: hotSum!.total,
    auditChain: chain.ok ? `ok, ${chain.count} events` : `BROKEN at ${chain.badSeq}: ${chain.problem}`,
  };
  const ok =
    checks.duplicateCreditTickets === 0 &&
    checks.ledgerRows === expectedCredits &&
    checks.executedCredits === expectedCredits &&
    checks.customersWhoseLedgerDiffersFromTheirCredits === 0 &&
    checks.hotCustomerBalance === checks.hotCustomerLedgerSum &&
    chain.ok;
  return { ok, checks };
}

async function main() {
  const handle = await openPostgres(await freshScratchDatabase(DB_NAME), CLIENTS + 2);
  try {
    if (values.migrations) {
      const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
      await run(handle.db as never, { migrationsFolder: values.migrations });
    } else {
      await migrate(handle);
    }
    setDbHandle(handle);
    // One agent per client, as at the desk: one person's credits take turns (their daily-limit lock),
    // and the limit itself is lifted so every credit executes.
    process.env.DECISION_CREDIT_DAILY_LIMIT ??= '1000000000.00';
    const ctx = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => createStaff(handle.db, { name: `Bench Agent ${i + 1}` }).then((agent) => ctxFor(agent))),
    );
    const [server] = await queryRows<{ version: string; sync: string }>(
      handle.db,
      sql`select version() as version, current_setting('synchronous_commit') as sync`,
    );

    const spreadCount = Number(values.spread);
    const hotCount = Number(values.hot);
    const warmupCount = Number(values.warmup);
    const setupStarted = performance.now();
    const warmup = await makeTickets(handle, 'warm', warmupCount);
    const spread = await makeTickets(handle, 'spread', spreadCount);
    const [hot] = await queryRows<{ id: number }>(
      handle.db,
      sql`insert into customers (external_id, username, email) values ('bc-hot', 'bench_hot', 'bench_hot@bench.example') returning id`,
    );
    const hotCustomer = Number(hot!.id);
    const hotTickets = await makeTickets(handle, 'hot', hotCount, hotCustomer);
    console.log(`setup: ${warmupCount + spreadCount + hotCount} tickets in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

    await run(handle, 'warm-up', ctx, warmup);
    const load = loadavg();
    const results = [await run(handle, 'spread', ctx, spread), await run(handle, 'hot customer', ctx, hotTickets)];
    const ceiling = await auditCeiling(handle, 1000);
    const loadAfter = loadavg();
    const { ok, checks } = await verify(handle, hotCustomer, warmupCount + spreadCount + hotCount);

    const ms = (n: number) => n.toFixed(1);
    console.log('');
    console.log(`- date: ${new Date().toISOString()}`);
    console.log(
      `- node: ${process.version}; CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical, shared by the app process and PostgreSQL)`,
    );
    console.log(
      `- PostgreSQL: ${server!.version.split(',')[0]} on 127.0.0.1, synchronous_commit=${server!.sync}; pool of ${CLIENTS + 2} connections`,
    );
    console.log(
      `- clients: ${CLIENTS} concurrent; load average before / after: ${load.map((l) => l.toFixed(2)).join(' ')} / ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    );
    console.log('');
    console.log(
      '| scenario | credits | seconds | executed credits/s | p50 ms | p95 ms | p99 ms | max ms | CPU ms per credit: Node + PostgreSQL |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      const cpu = `${r.nodeCpuMs.toFixed(2)} + ${r.pgCpuMs === null ? '?' : r.pgCpuMs.toFixed(2)}`;
      console.log(
        `| ${r.name} | ${r.credits} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${cpu} |`,
      );
    }
    console.log(`| reference: transactions appending two audit events only | 1000 | | ${Math.round(ceiling)} | | | | | |`);
    console.log('');
    console.log(`checks: ${JSON.stringify(checks)}`);
    console.log(ok ? 'all checks passed' : 'CHECKS FAILED');
    const spreadRate = results[0]!.perSecond;
    console.log(`target ≥ 300 credits/s (spread): ${spreadRate >= 300 ? 'met' : 'NOT met'} (${Math.round(spreadRate)}/s)`);
    if (!ok) process.exitCode = 1;
  } finally {
    await handle.close();
    if (!values.keep) await dropScratchDatabase(DB_NAME);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

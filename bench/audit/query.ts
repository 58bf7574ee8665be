/**
 * npm run bench:audit-query [-- --events 10000000 --reuse --runs 30] — the audit log as supervisors
 * question it, on PostgreSQL (DATABASE_URL, this machine): a database `rd_bench_audit_query` filled
 * with INSERT … SELECT generate_series (events given chain columns directly: the chain is not what is
 * measured here, and the sequencer's rate is in results.md), then
 *   - `listAuditEvents` (authorization, the filtered keyset page, the unsealed count), first page and
 *     a deep page, per filter: median and p95 over --runs calls;
 *   - the plans of those queries (EXPLAIN), to show they are index walks;
 *   - `exportAuditEvents` streamed to nowhere: rows/s and peak RSS.
 * Every figure is printed with the 1-minute load average beside it; results go to query-results.md.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows, setDbHandle, type DbHandle } from '@/db';
import { freshScratchDatabase, scratchUrl } from '../scratch-db';
import { auditPageSql, exportAuditEvents, listAuditEvents, streamOf, type AuditFilters } from '@/lib/audit/query';
import type { Ctx } from '@/lib/auth/actor';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '30' },
    reuse: { type: 'boolean', default: false },
    'export-rows': { type: 'string', default: '1000000' },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
const DB_NAME = 'rd_bench_audit_query';
const load = () => loadavg()[0]!.toFixed(1);
const lines: string[] = [];
const out = (line: string) => {
  console.log(line);
  lines.push(line);
};

async function open(): Promise<{ handle: DbHandle; url: string; fresh: boolean }> {
  const url = scratchUrl(DB_NAME);
  if (values.reuse) {
    try {
      const handle = await openPostgres(url.toString(), 4);
      const [row] = await queryRows<{ n: string }>(handle.db, sql`select count(*) as n from audit_events`);
      if (Number(row?.n) >= N) return { handle, url: url.toString(), fresh: false };
      await handle.close();
    } catch {
      // made below
    }
  }
  const handle = await openPostgres(await freshScratchDatabase(DB_NAME), 4);
  await migrate(handle);
  return { handle, url, fresh: true };
}

/** 10 M events shaped like the desk's: mostly ticket work and decisions, some credits, sign-ins, staff and key changes. */
async function fill(handle: DbHandle) {
  const indexes = await queryRows<{ indexname: string; indexdef: string }>(
    handle.db,
    sql`select indexname, indexdef from pg_indexes where tablename = 'audit_events' and indexname <> 'audit_events_pkey'`,
  );
  // Bulk load without the secondary indexes, then build them (what a restore does; far faster than row by row).
  for (const i of indexes) await handle.db.execute(sql.raw(`drop index ${i.indexname}`));
  await handle.db.execute(
    sql`insert into staff_users (email, name, role, password_hash) values ('bench@bench.example', 'Bench Supervisor', 'supervisor', 'x')`,
  );
  const step = 1_000_000;
  for (let done = 0; done < N; done += step) {
    const n = Math.min(step, N - done);
    const t = performance.now();
    await handle.db
      .execute(sql`insert into audit_events (seq, at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, reason, origin, prev_hash, hash)
      select g,
             timestamptz '2026-01-01' + make_interval(secs => g * (365.0 * 86400 / ${N}::bigint)),
             case when g % 20 = 0 then null else (g % 60) + 2 end,
             case when g % 20 = 0 then 'system:worker' else 'agent' || (g % 60) || '@bench.example' end,
             case when g % 20 = 0 then null when g % 60 < 6 then 'supervisor' else 'agent' end,
             (array['ticket.findings_saved','decision.proposed','decision.executed','ticket.note_added','order.event_recorded',
                    'credit.executed','auth.signed_in','staff.role_changed','api_key.created','evidence.uploaded'])[1 + (g % 10)::int],
             (array['ticket','decision','decision','ticket','order','manual_credit','staff_user','staff_user','api_key','ticket'])[1 + (g % 10)::int],
             ((g * 7919) % 1000000)::text,
             jsonb_build_object('ticketId', (g * 7919) % 1000000, 'status', 'open'),
             jsonb_build_object('ticketId', (g * 7919) % 1000000, 'status', 'resolved', 'amount', '7.50', 'customerId', (g * 104729) % 200000),
             case when g % 3 = 0 then 'Reason ' || g || (array[' customer sent screenshots',' provider confirmed the drop',' duplicate order',' goodwill'])[1 + (g % 4)::int] end,
             jsonb_build_object('via', 'ui', 'ip', '10.0.' || (g % 250) || '.1'),
             md5(g::text), md5((g + 1)::text)
      from generate_series(${done + 1}::bigint, ${done + n}::bigint) g`);
    out(
      `- inserted ${(done + n).toLocaleString('en-US')} events (${((performance.now() - t) / 1000).toFixed(1)} s for this million; load ${load()})`,
    );
  }
  await handle.db.execute(sql.raw(`select setval(pg_get_serial_sequence('audit_events', 'id'), ${N})`)).catch(() => undefined);
  for (const i of indexes) {
    const t = performance.now();
    await handle.db.execute(sql.raw(i.indexdef));
    out(`- built ${i.indexname} in ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`);
  }
  await handle.db.execute(sql`vacuum analyze audit_events`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main() {
  const { handle, fresh } = await open();
  setDbHandle(handle);
  out(`# Audit log queries at ${N.toLocaleString('en-US')} events`);
  out('');
  out(
    `- date: ${new Date().toISOString()}; PostgreSQL ${(await queryRows<{ v: string }>(handle.db, sql`select current_setting('server_version') as v`))[0]!.v}`,
  );
  if (fresh) {
    const t = performance.now();
    await fill(handle);
    out(`- filled in ${((performance.now() - t) / 1000).toFixed(0)} s (load ${load()})`);
  } else out('- reused the database of an earlier run');
  const [staff] = await queryRows<{ id: string }>(handle.db, sql`select id from staff_users where email = 'bench@bench.example'`);
  const ctx: Ctx = { kind: 'staff', userId: Number(staff!.id), sessionIssuedAt: Math.floor(Date.now() / 1000), origin: { via: 'cli' } };
  const mid = Math.floor(N / 2);
  const deep = Math.floor(N * 0.1);
  const day = new Date(Date.parse('2026-01-01') + 0.5 * 365 * 86_400_000).toISOString().slice(0, 10);
  const cases: { label: string; filters: AuditFilters & { before?: number } }[] = [
    { label: 'no filter, first page', filters: {} },
    { label: 'no filter, deep page (before id N/10)', filters: { before: deep } },
    { label: 'ticket (its events and its decisions)', filters: { ticket: '123457' } },
    { label: 'customer', filters: { customer: '4242' } },
    { label: 'actor, first page', filters: { actor: '9' } },
    { label: 'actor, deep page (before id N/10)', filters: { actor: '9', before: deep } },
    { label: 'action group decisions, first page', filters: { action: 'decisions' } },
    { label: 'action group decisions, deep page (before id N/10)', filters: { action: 'decisions', before: deep } },
    { label: 'rare action group (API keys)', filters: { action: 'api_keys' } },
    { label: 'entity staff user', filters: { entity: 'staff_user' } },
    { label: 'role supervisor', filters: { role: 'supervisor' } },
    { label: 'one day', filters: { from: day, to: day } },
    {
      label: 'a month ending mid-year (~820 k events)',
      filters: { from: new Date(Date.parse(day) - 29 * 86_400_000).toISOString().slice(0, 10), to: day },
    },
    { label: 'one day, one actor, decisions', filters: { from: day, to: day, actor: '9', action: 'decisions' } },
    { label: 'reason text "goodwill" (trigram)', filters: { q: 'goodwill' } },
    { label: 'reason text, a rare number "Reason 4999998"', filters: { q: `Reason ${mid - (mid % 3)} ` } },
  ];
  out('');
  out(`listAuditEvents (authorize + filtered keyset page of 50 + unsealed count), ${RUNS} runs each after one warm-up:`);
  out('');
  out('| filter | rows | median ms | p95 ms | load |');
  out('| --- | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const first = await listAuditEvents(ctx, c.filters);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = performance.now();
      await listAuditEvents(ctx, c.filters);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out(
      `| ${c.label} | ${first.events.length} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${load()} |`,
    );
  }

  out('');
  out('Plans (EXPLAIN, top nodes):');
  out('');
  for (const c of cases) {
    const plan = await queryRows<{ 'QUERY PLAN': string }>(handle.db, sql`explain ${auditPageSql(c.filters, c.filters.before, 51)}`);
    const nodes = plan
      .map((r) => r['QUERY PLAN'].trim())
      .filter((l) => /Scan|Sort|BitmapOr|Limit/.test(l))
      .map((l) => l.replace(/\s+\(cost=.*$/, '').replace(/^->\s*/, ''))
      .slice(0, 6);
    out(`- ${c.label}: ${nodes.join(' → ')}`);
  }

  out('');
  const exportRows = Number(values['export-rows']);
  // The decisions group is 2 actions in 10: a million rows at 5 M events and up.
  const exportFilters: AuditFilters = exportRows >= N ? {} : { action: 'decisions' };
  for (const format of ['csv', 'jsonl'] as const) {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const t = performance.now();
    const result = await exportAuditEvents(ctx, { ...exportFilters, format });
    const reader = streamOf(result.chunks).getReader();
    let rows = 0;
    let bytes = 0;
    let nextSample = 0;
    while (rows < exportRows) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) rows += 1;
      if (rows >= nextSample) {
        peak = Math.max(peak, process.memoryUsage().rss);
        nextSample += 20_000;
      }
    }
    await reader.cancel();
    const s = (performance.now() - t) / 1000;
    out(
      `- export ${format}, ${JSON.stringify(exportFilters)}: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s = ${Math.round(rows / s).toLocaleString('en-US')} rows/s; RSS ${(rss0 / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (load ${load()})`,
    );
  }
  await handle.close();
  writeFileSync('bench/audit/query-results.md', lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Audit benchmark: transactions/s that append two audit events (16 and 64 clients), p50/p99,
 * deadlocks and retries, how far the sequencer lags behind; then a large chain built with
 * INSERT … SELECT generate_series, sealed, and verified by `audit:verify` (events/s, peak RSS).
 * The old design (one advisory lock from the first `record` to the commit, from git history) and
 * design 1 (lock only around one INSERT of all events just before commit) are measured first, in
 * the same run, on the old schema. Prints the load average beside every figure.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:audit [-- --seconds 8 --events 1000000]
 *   DATABASE_URL=… npm run bench:audit -- --chain-only --events 10000000 --keep
 *
 * `--chain-only` builds and verifies the large chain only; `--keep` leaves its database
 * (rd_bench_audit) in place, to verify it again later with `audit:verify -- --no-seal`. The chain is
 * verified after the first million and at its full length.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, pgError, queryRows, type DbHandle, type Tx } from '@/db';
import { freshScratchDatabase, dropScratchDatabase } from '../scratch-db';
import { record, recordMany, type AuditInput } from '@/lib/audit';
import { startAuditSealer } from '@/lib/audit/background';
import { asStoredJson, GENESIS_HASH, hashEvent, type ChainedFields } from '@/lib/audit/canonical';
import { countUnsealed, sealAuditEvents } from '@/lib/audit/sealer';
import { generateAuditSigningKeyPem, loadAuditSigningKey } from '@/lib/audit/signing';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    events: { type: 'string', default: '1000000' },
    'skip-old': { type: 'boolean', default: false },
    'chain-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const BIG = Number(values.events);
const DB_NAME = 'rd_bench_audit';
const OLD_COMMIT = '91877f6'; // the last commit with the lock-until-commit design

const load = () => loadavg()[0]!.toFixed(1);
const lines: string[] = [];
const out = (line: string) => {
  console.log(line);
  lines.push(line);
};

const event = (i: number): AuditInput => ({
  actor: { id: 7, label: 'agent@bench.example', role: 'agent' },
  action: 'ticket.note_added',
  entityType: 'ticket',
  entityId: i,
  before: { status: 'open' },
  after: { status: 'resolved', amount: '7.50' },
  reason: null,
  origin: { via: 'ui', ip: '127.0.0.1' },
});

/** The old `record` (git 91877f6 lib/audit/index.ts): lock until commit, head read, one insert per event. */
async function recordOld(tx: Tx, input: AuditInput) {
  await tx.execute(sql`select pg_advisory_xact_lock(72620001)`);
  const [head] = await queryRows<{ seq: string; hash: string }>(
    tx,
    sql`select seq::text, hash from audit_events order by audit_events.seq desc limit 1`,
  );
  await insertChained(tx, [input], head);
}

/** Design 1 (the bench/decisions prototype): everything else first, then lock, one head read, one INSERT, commit. */
async function recordManyAtCommit(tx: Tx, inputs: AuditInput[]) {
  await tx.execute(sql`select pg_advisory_xact_lock(72620001)`);
  const [head] = await queryRows<{ seq: string; hash: string }>(
    tx,
    sql`select seq::text, hash from audit_events order by audit_events.seq desc limit 1`,
  );
  await insertChained(tx, inputs, head);
}

async function insertChained(tx: Tx, inputs: AuditInput[], head: { seq: string; hash: string } | undefined) {
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
    seq += 1;
    const fields: ChainedFields = {
      seq,
      at: new Date(),
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      actorRole: input.actor.role,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId == null ? null : String(input.entityId),
      before: asStoredJson(input.before),
      after: asStoredJson(input.after),
      reason: input.reason ?? null,
      origin: asStoredJson(input.origin),
    };
    const hash = hashEvent(prevHash, fields);
    const row = { ...fields, at: fields.at.toISOString(), prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.execute(sql`insert into audit_events (seq, at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, reason, origin, prev_hash, hash)
    select seq, at, "actorId", "actorLabel", "actorRole", action, "entityType", "entityId", before, after, reason, origin, prev_hash, hash
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(seq bigint, at timestamptz, "actorId" bigint, "actorLabel" text, "actorRole" text, action text,
      "entityType" text, "entityId" text, before jsonb, after jsonb, reason text, origin jsonb, prev_hash text, hash text)`);
}

async function freshDb(migrationsFolder?: string): Promise<{ handle: DbHandle; url: string }> {
  const url = await freshScratchDatabase(DB_NAME);
  const handle = await openPostgres(url, 70);
  if (migrationsFolder) {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(handle.db as never, { migrationsFolder });
  } else {
    await migrate(handle);
  }
  return { handle, url };
}

/** The committed migrations as of OLD_COMMIT, in a temporary folder. */
function oldMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-old-migrations-'));
  const list = execFileSync('git', ['ls-tree', '-r', '--name-only', OLD_COMMIT, 'db/migrations'], { encoding: 'utf8' }).trim().split('\n');
  for (const file of list) {
    const target = path.join(dir, path.relative('db/migrations', file));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, execFileSync('git', ['show', `${OLD_COMMIT}:${file}`]));
  }
  return dir;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

interface Run {
  label: string;
  clients: number;
  tx: number;
  perSecond: number;
  p50: number;
  p99: number;
  deadlocks: number;
  retries: number;
  load: string;
}

async function drive(handle: DbHandle, label: string, clients: number, body: (tx: Tx, i: number) => Promise<void>): Promise<Run> {
  let n = 0;
  let deadlocks = 0;
  let retries = 0;
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const i = n++;
        const t0 = performance.now();
        for (let attempt = 1; ; attempt += 1) {
          try {
            await handle.db.transaction((tx) => body(tx, i));
            break;
          } catch (error) {
            const code = pgError(error)?.code;
            if (code === '40P01') deadlocks += 1;
            if ((code === '40P01' || code === '40001') && attempt < 5) {
              retries += 1;
              continue;
            }
            throw error;
          }
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const run: Run = {
    label,
    clients,
    tx: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    deadlocks,
    retries,
    load: load(),
  };
  out(
    `| ${label} | ${clients} | ${run.tx} | ${run.perSecond} | ${run.p50.toFixed(1)} | ${run.p99.toFixed(1)} | ${deadlocks} | ${retries} | ${run.load} |`,
  );
  return run;
}

const twoRecords = async (tx: Tx, i: number) => {
  await record(tx, event(2 * i));
  await record(tx, event(2 * i + 1));
};

async function chainCheck(handle: DbHandle) {
  const { verifyAuditChain } = await import('@/lib/audit/verify');
  const result = await verifyAuditChain(handle.db);
  return result.ok ? `chain ok, ${result.count} events` : `CHAIN BROKEN: ${result.problem}`;
}

/** Runs `audit:verify` as its own process under /usr/bin/time: its output, wall seconds, peak RSS. */
function verifyProcess(url: string): Promise<{ stdout: string; seconds: number; peakKb: number; load: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'PEAK_KB %M', process.execPath, '--import', 'tsx', 'scripts/verify-audit.ts', '--no-seal'],
      {
        env: { ...process.env, DATABASE_URL: url, AUDIT_CHECKPOINT_FILE: '/nonexistent' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const seconds = (performance.now() - started) / 1000;
      const peakKb = Number(/PEAK_KB (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ stdout, seconds, peakKb, load: load() });
    });
  });
}

/** Transactions/s of two-event transactions on the current schema, with the sequencer beside the writers. */
async function throughput(key: ReturnType<typeof loadAuditSigningKey>, scratch: string) {
  const fresh = await freshDb();
  let sealLog = '';
  try {
    const { handle } = fresh;
    await drive(handle, 'reference: commit only (xid assigned, no audit)', 16, async (tx) => {
      await tx.execute(sql`select txid_current()`);
    });
    const sealer = startAuditSealer({
      db: handle.db,
      key,
      log: () => {},
      checkpoints: { file: path.join(scratch, 'checkpoints.jsonl'), everyEvents: 1000, everyMs: 60_000, webhook: false },
    });
    let maxWaiting = 0;
    let maxAgeMs = 0;
    const watch = setInterval(() => {
      void queryRows<{ n: number; age: number | null }>(
        handle.db,
        sql`select count(*)::int as n, (extract(epoch from clock_timestamp() - min(at)) * 1000)::float8 as age from audit_events where seq is null`,
      ).then(([row]) => {
        maxWaiting = Math.max(maxWaiting, row!.n);
        maxAgeMs = Math.max(maxAgeMs, Number(row!.age ?? 0));
      });
    }, 200);
    for (const clients of [16, 64]) {
      await drive(handle, 'design 2: `record` × 2, no lock; sequencer in the worker', clients, twoRecords);
      await drive(handle, 'design 2: `recordMany` (one INSERT), no lock', clients, (tx, i) =>
        recordMany(tx, [event(2 * i), event(2 * i + 1)]).then(() => {}),
      );
    }
    clearInterval(watch);
    const t0 = performance.now();
    while ((await countUnsealed(handle.db)) > 0) await new Promise((r) => setTimeout(r, 20));
    const drainMs = performance.now() - t0;
    await sealer.stop();
    sealLog = `sequencer (every ${process.env.AUDIT_SEAL_INTERVAL_MS || 250} ms, beside the writers): at most ${maxWaiting} events waiting and the oldest written ${Math.round(maxAgeMs)} ms before (sampled every 200 ms; includes the writer's own transaction time); ${Math.round(drainMs)} ms after the writers stopped none was waiting; ${await chainCheck(handle)}; checkpoints ${readdirSync(scratch).length ? 'written' : 'none'} (load ${load()})`;
    out('');
    out(`- ${sealLog}`);
  } finally {
    await fresh.handle.close();
  }
}

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error('Set DATABASE_URL (a PostgreSQL server; a scratch database rd_bench_audit is created and dropped).');
  process.env.AUDIT_SIGNING_KEY ||= generateAuditSigningKeyPem();
  const key = loadAuditSigningKey();
  const scratch = mkdtempSync(path.join(tmpdir(), 'rd-bench-audit-'));
  const [pgVersion] = await (async () => {
    const h = await openPostgres(process.env.DATABASE_URL!, 1);
    const rows = await queryRows<{ v: string }>(h.db, sql`select current_setting('server_version') as v`);
    await h.close();
    return rows.map((r) => r.v);
  })();
  out(`# Audit benchmark`);
  out('');
  out(
    `- date: ${new Date().toISOString()}; ${cpus().length} logical CPUs (${cpus()[0]?.model.trim()}); Node ${process.version}; PostgreSQL ${pgVersion}`,
  );
  out(`- ${SECONDS} s per row, each transaction appends two audit events; load average (1 min) at the end of each row`);
  out('');
  out('| design | clients | transactions | transactions/s | p50 ms | p99 ms | deadlocks | retries | load |');
  out('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');

  if (!values['skip-old'] && !values['chain-only']) {
    const old = await freshDb(oldMigrations());
    try {
      await drive(old.handle, 'old: `record` × 2, lock until commit (git ' + OLD_COMMIT + ')', 16, async (tx, i) => {
        await recordOld(tx, event(2 * i));
        await recordOld(tx, event(2 * i + 1));
      });
      await drive(old.handle, 'design 1: one INSERT of both events, lock just before commit', 16, (tx, i) =>
        recordManyAtCommit(tx, [event(2 * i), event(2 * i + 1)]),
      );
      const [c] = await queryRows<{ n: string; max: string }>(
        old.handle.db,
        sql`select count(*)::text as n, max(seq)::text as max from audit_events`,
      );
      out(`| (old schema: ${c!.n} events, seq 1…${c!.max}${c!.n === c!.max ? ', no gap' : ', GAP'}) | | | | | | | | |`);
    } finally {
      await old.handle.close();
    }
  }

  if (!values['chain-only']) await throughput(key, scratch);

  // A large chain: generate_series, then the sequencer, then audit:verify as its own process.
  const big = await freshDb();
  try {
    const { handle } = big;
    out('');
    out('| large chain | events | seconds | events/s | peak RSS MB | load |');
    out('| --- | ---: | ---: | ---: | ---: | ---: |');
    const step = Math.min(BIG, 1_000_000);
    for (let done = 0; done < BIG; done += step) {
      const n = Math.min(step, BIG - done);
      let t = performance.now();
      await handle.db
        .execute(sql`insert into audit_events (at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, origin)
        select now() - make_interval(secs => (${BIG}::bigint - g)::double precision), (g % 40) + 1, 'agent' || (g % 40) || '@bench.example', 'agent', 'ticket.status_changed', 'ticket', (g % 100000)::text,
               jsonb_build_object('status', 'open'), jsonb_build_object('status', 'resolved', 'amount', '7.50', 'n', g),
               jsonb_build_object('via', 'ui', 'ip', '10.0.' || (g % 250) || '.1')
        from generate_series(${done + 1}::bigint, ${done + n}::bigint) g`);
      const insertS = (performance.now() - t) / 1000;
      out(`| INSERT … SELECT generate_series (unsealed) | ${n} | ${insertS.toFixed(1)} | ${Math.round(n / insertS)} | | ${load()} |`);
      t = performance.now();
      const { sealed } = await sealAuditEvents(handle.db, { wait: true, batchSize: 10_000 });
      const sealS = (performance.now() - t) / 1000;
      out(
        `| sealed by the sequencer (batches of 10,000) | ${sealed} | ${sealS.toFixed(1)} | ${Math.round(sealed / sealS)} | | ${load()} |`,
      );
      // Verified after the first million and at the full length.
      if (done > 0 && done + n < BIG) continue;
      await handle.db.execute(sql`vacuum analyze audit_events`);
      const v = await verifyProcess(big.url);
      const rate = /\((\d+) events\/s\)/.exec(v.stdout)?.[1] ?? '?';
      const first = v.stdout.split('\n')[0];
      out(
        `| \`audit:verify\` (own process; "${first?.slice(0, 24)}…") | ${done + n} | ${v.seconds.toFixed(1)} | ${rate} | ${(v.peakKb / 1024).toFixed(0)} | ${v.load} |`,
      );
    }
  } finally {
    await big.handle.close();
    if (values.keep) out(`\n- kept ${DB_NAME} for \`audit:verify -- --no-seal\``);
    else await dropScratchDatabase(DB_NAME);
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(path.join('bench', 'audit', 'last-run.md'), `${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, desc, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, openPostgres, pgError, queryRows, type Db, type DbHandle } from '@/db';
import { auditEvents, providerJobs } from '@/db/schema';
import { webhookBody } from '@/lib/provider/worker';
import { createTestDb, isPostgres } from '@/db/testing';
import { startAuditSealer } from './background';
import { Checkpointer, readCheckpointFile, signCheckpoint, type CheckpointConfig } from './checkpoints';
import { record, recordMany, type AuditInput } from './index';
import { countUnsealed, sealAuditEvents } from './sealer';
import { generateAuditSigningKeyPem, loadAuditSigningKey } from './signing';
import { verifyAuditChain } from './verify';

const TSX = path.join('node_modules', '.bin', 'tsx');
const KEY_PEM = generateAuditSigningKeyPem();
const KEY = loadAuditSigningKey({ AUDIT_SIGNING_KEY: KEY_PEM });

const event = (n: number | string): AuditInput => ({
  actor: { id: null, label: 'tester@test.example', role: 'agent' },
  action: 'ticket.note_added',
  entityType: 'ticket',
  entityId: n,
  before: { status: 'open', amount: '10.00' },
  after: { status: 'resolved', amount: '10.00', at: new Date('2026-01-01T00:00:00Z'), nested: { b: 2, a: [1, 'x', null] } },
  reason: `event ${n}`,
  origin: { via: 'cli', ip: '127.0.0.1' },
});

async function writeEvents(db: Db, count: number) {
  for (let i = 0; i < count; i += 1) await db.transaction((tx) => record(tx, event(i)));
}

const seal = (db: Db) => sealAuditEvents(db, { wait: true });

/** Runs statements with triggers switched off, as a superuser could. */
async function asSuperuserBypassingTriggers(db: Db, statements: ReturnType<typeof sql>[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

const refusal = (db: Db, statement: ReturnType<typeof sql>) =>
  db.execute(statement).then(
    () => null,
    (error: unknown) => pgError(error),
  );

const tmp = mkdtempSync(path.join(tmpdir(), 'rd-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let files = 0;
const checkpointConfig = (everyEvents = 1): CheckpointConfig => ({
  file: path.join(tmp, `checkpoints-${(files += 1)}.jsonl`),
  everyEvents,
  everyMs: 60_000,
  webhook: false,
});

describe('audit chain', () => {
  let handle: DbHandle;
  let db: Db;
  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterAll(() => handle.close());

  it('appends unsealed, seals in insertion order, links every event to the one before and verifies', async () => {
    await writeEvents(db, 5);
    expect(await countUnsealed(db)).toBe(5);
    const unsealed = await db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(unsealed.map((r) => [r.seq, r.hash])).toEqual(Array.from({ length: 5 }, () => [null, null]));
    expect((await verifyAuditChain(db)).unsealed).toBe(5);

    expect(await seal(db)).toMatchObject({ sealed: 5, head: { seq: 5 }, locked: true });
    const rows = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.id)).toEqual(unsealed.map((r) => r.id));
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(rows[4]!.after).toMatchObject({ status: 'resolved', at: '2026-01-01T00:00:00.000Z' });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, count: 5, head: rows[4]!.hash, unsealed: 0, checkpoints: null });
  });

  it('recordMany appends a transaction’s events in one statement; a rolled-back event is never sealed', async () => {
    await db.transaction((tx) => recordMany(tx, [event('many-1'), event('many-2')]));
    await db
      .transaction(async (tx) => {
        await record(tx, event('rolled-back'));
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await seal(db)).toMatchObject({ sealed: 2, head: { seq: 7 } });
    const entityIds = (await db.select().from(auditEvents).orderBy(asc(auditEvents.seq))).map((r) => r.entityId);
    expect(entityIds.slice(5)).toEqual(['many-1', 'many-2']);
    expect(entityIds).not.toContain('rolled-back');
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 7 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of sealed events', async () => {
    for (const statement of [
      sql`update audit_events set reason = 'changed' where seq = 1`,
      sql`update audit_events set seq = null, prev_hash = null, hash = null where seq = 7`,
      sql`delete from audit_events where seq = 1`,
      sql`truncate audit_events`,
    ]) {
      expect(await refusal(db, statement)).toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('allows exactly one change to an unsealed event: sealing it, nothing else', async () => {
    await writeEvents(db, 1);
    const [row] = await db.select().from(auditEvents).where(isNull(auditEvents.seq));
    const h = 'f'.repeat(64);
    for (const statement of [
      sql`update audit_events set reason = 'changed' where id = ${row!.id}`,
      sql`update audit_events set seq = 8 where id = ${row!.id}`,
      sql`update audit_events set seq = 8, prev_hash = ${h}, hash = ${h}, reason = 'changed' where id = ${row!.id}`,
      sql`update audit_events set seq = 8, prev_hash = ${h}, hash = ${h}, after = '{}'::jsonb where id = ${row!.id}`,
      sql`update audit_events set seq = 8, prev_hash = ${h}, hash = ${h}, id = 999999 where id = ${row!.id}`,
      sql`delete from audit_events where id = ${row!.id}`,
    ]) {
      expect(await refusal(db, statement)).toMatchObject({ code: '42501' });
    }
    expect(await refusal(db, sql`update audit_events set seq = 8, prev_hash = ${h}, hash = ${h} where id = ${row!.id}`)).toBeNull();
    // Sealed by hand with a wrong hash: from now on the row is frozen, and the chain names it.
    expect(await refusal(db, sql`update audit_events set hash = ${'0'.repeat(64)} where id = ${row!.id}`)).toMatchObject({ code: '42501' });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badSeq: 8 });
  });

  it('a sealer that finds the lock taken does nothing and says so', async () => {
    await writeEvents(db, 1);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(72620002)`);
      if (handle.kind === 'postgres') expect(await sealAuditEvents(db)).toMatchObject({ sealed: 0, locked: false });
    });
  });
});

describe('a crash between append and sealing (embedded database)', () => {
  it('after a restart the events are sealed, none lost, none twice', async () => {
    const dir = path.join(tmp, 'crash-pglite');
    const first = await openPglite(dir);
    await migrate(first);
    await writeEvents(first.db, 7);
    await sealAuditEvents(first.db, { wait: true, batchSize: 3, maxBatches: 1 });
    await writeEvents(first.db, 5);
    await first.close(); // the process stops here, 9 events unsealed
    const again = await openPglite(dir);
    try {
      expect(await countUnsealed(again.db)).toBe(9);
      expect(await seal(again.db)).toMatchObject({ sealed: 9, head: { seq: 12 } });
      expect(await verifyAuditChain(again.db)).toMatchObject({ ok: true, count: 12, unsealed: 0 });
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('tampering, found and named', () => {
  /** A fresh chain of 20 sealed events with a checkpoint after each. */
  async function chain() {
    const handle = await createTestDb();
    const config = checkpointConfig();
    const checkpointer = new Checkpointer(handle.db, KEY, config);
    for (let i = 0; i < 20; i += 1) {
      await handle.db.transaction((tx) => record(tx, event(i)));
      await checkpointer.maybeCheckpoint((await seal(handle.db)).head);
    }
    const verify = () => verifyAuditChain(handle.db, { checkpoints: readCheckpointFile(config.file), publicKey: KEY });
    expect(await verify()).toMatchObject({ ok: true, count: 20, checkpoints: 20 });
    const hashAt = async (seq: number) =>
      (await queryRows<{ hash: string }>(handle.db, sql`select hash from audit_events where seq = ${seq}`))[0]!.hash;
    return { handle, db: handle.db, config, verify, hashAt };
  }

  it('an altered middle event', async () => {
    const { handle, db, verify } = await chain();
    await asSuperuserBypassingTriggers(db, [sql`update audit_events set reason = 'quietly changed' where seq = 10`]);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 10, count: 9, problem: 'event 10 was altered after it was written' });
    await handle.close();
  });

  it('a deleted middle event', async () => {
    const { handle, db, verify } = await chain();
    await asSuperuserBypassingTriggers(db, [sql`delete from audit_events where seq = 10`]);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 10, problem: 'event 10 is missing (next is 11)' });
    await handle.close();
  });

  it('two events swapped', async () => {
    const { handle, db, verify } = await chain();
    // Exchange the contents of events 5 and 6, keeping each position's seq and hashes.
    await asSuperuserBypassingTriggers(db, [
      sql`update audit_events set seq = -5 where seq = 5`,
      sql`update audit_events set seq = 5, prev_hash = (select prev_hash from audit_events where seq = -5), hash = (select hash from audit_events where seq = -5) where seq = 6`,
      sql`update audit_events set seq = 6, prev_hash = (select hash from audit_events where seq = 5 and id <> audit_events.id),
                                  hash = (select hash from audit_events where seq = 7) where seq = -5`,
    ]);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 5 });
    await handle.close();
  });

  it('the newest 10 events deleted: found by the checkpoints, not by the chain alone', async () => {
    const { handle, db, verify, config } = await chain();
    const newest = readCheckpointFile(config.file).at(-1)!;
    await asSuperuserBypassingTriggers(db, [sql`delete from audit_events where seq > 10`]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 10, checkpoints: null });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, count: 10 });
    if ('checkpoint' in newest && !result.ok)
      expect(result.problem).toBe(`checkpoint 20 ${newest.checkpoint.hash} at ${newest.checkpoint.at}: the database now ends at 10`);
    await handle.close();
  });

  it('every event deleted', async () => {
    const { handle, db, verify } = await chain();
    await asSuperuserBypassingTriggers(db, [sql`delete from audit_events`]);
    expect(await verify()).toMatchObject({
      ok: false,
      count: 0,
      problem: expect.stringMatching(/^checkpoint 20 [0-9a-f]{64} at .*: the database now ends at 0$/),
    });
    await handle.close();
  });

  it('the newest events rewritten (deleted and replaced by new ones)', async () => {
    const { handle, db, verify } = await chain();
    await asSuperuserBypassingTriggers(db, [sql`delete from audit_events where seq > 15`]);
    await writeEvents(db, 5);
    await seal(db);
    expect(await verify()).toMatchObject({
      ok: false,
      badSeq: 16,
      problem: expect.stringMatching(/^checkpoint 16 .*another event at seq 16/),
    });
    await handle.close();
  });

  it('a forged checkpoint (another key) or an altered one is refused', async () => {
    const { handle, db, config, verify, hashAt } = await chain();
    const other: KeyObject = generateKeyPairSync('ed25519').privateKey;
    await asSuperuserBypassingTriggers(db, [sql`delete from audit_events where seq > 10`]);
    // A forger who deleted the tail adds a checkpoint of the new head, signed with a key of their own.
    const forged = signCheckpoint({ seq: 10, hash: await hashAt(10) }, other);
    appendFileSync(config.file, `${JSON.stringify(forged)}\n`);
    expect(await verify()).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^checkpoint 10 .*signature does not verify.*refused$/),
    });
    // Rewriting a genuine line's seq breaks its signature too.
    const lines = readFileSync(config.file, 'utf8').trim().split('\n').slice(0, 20);
    const altered = { ...JSON.parse(lines[19]!), seq: 10, hash: await hashAt(10) };
    expect(
      await verifyAuditChain(db, {
        publicKey: KEY,
        checkpoints: [...readCheckpointFile(config.file).slice(0, 19), { line: 20, checkpoint: altered }],
      }),
    ).toMatchObject({ ok: false, problem: expect.stringMatching(/signature does not verify/) });
    await handle.close();
  });
});

describe('checkpoints', () => {
  it('are written every N events or T seconds, only when the head moved, signed and verifiable', async () => {
    const handle = await createTestDb();
    let now = Date.parse('2026-03-01T10:00:00Z');
    const config = { ...checkpointConfig(10), everyMs: 30_000 };
    const checkpointer = new Checkpointer(handle.db, KEY, config, () => now);
    const step = async (events: number) => {
      await writeEvents(handle.db, events);
      return checkpointer.maybeCheckpoint((await seal(handle.db)).head);
    };
    expect(await step(1)).toMatchObject({ seq: 1 }); // the first head is checkpointed at once
    expect(await step(5)).toBeNull(); // 5 events, 0 s
    expect(await step(5)).toMatchObject({ seq: 11 }); // 10 events
    now += 29_000;
    expect(await step(1)).toBeNull();
    now += 1_000;
    expect(await step(0)).toMatchObject({ seq: 12 }); // 30 s
    now += 60_000;
    expect(await step(0)).toBeNull(); // the head did not move
    // A restart reads the last checkpoint back from the file.
    expect(await new Checkpointer(handle.db, KEY, config, () => now).maybeCheckpoint({ seq: 12, hash: 'x' })).toBeNull();
    const lines = readCheckpointFile(config.file);
    expect(lines.map((l) => ('checkpoint' in l ? l.checkpoint.seq : l.error))).toEqual([1, 11, 12]);
    expect(await verifyAuditChain(handle.db, { checkpoints: lines, publicKey: KEY })).toMatchObject({
      ok: true,
      count: 12,
      checkpoints: 3,
    });
    await handle.close();
  });

  it('with the webhook on, each checkpoint also goes to the panel through the outbox', async () => {
    const handle = await createTestDb();
    await writeEvents(handle.db, 2);
    const checkpoint = await new Checkpointer(handle.db, KEY, { ...checkpointConfig(), webhook: true }).maybeCheckpoint(
      (await seal(handle.db)).head,
    );
    const jobs = await handle.db.select().from(providerJobs);
    expect(jobs).toMatchObject([{ kind: 'audit_checkpoint', state: 'pending', payload: { checkpoint } }]);
    expect(JSON.parse(webhookBody(jobs[0]!))).toMatchObject({ kind: 'audit_checkpoint', checkpoint: { seq: 2, sig: checkpoint!.sig } });
    await handle.close();
  });

  it('the signing key: required on PostgreSQL, PKCS#8 Ed25519 only', () => {
    expect(() => loadAuditSigningKey({ DATABASE_URL: 'postgres://x' })).toThrow(/AUDIT_SIGNING_KEY is not set.*audit:keygen/);
    expect(() => loadAuditSigningKey({ AUDIT_SIGNING_KEY: 'nope' })).toThrow(/not a PEM private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadAuditSigningKey({ AUDIT_SIGNING_KEY: rsa })).toThrow(/Ed25519/);
    expect(loadAuditSigningKey({ AUDIT_SIGNING_KEY: KEY_PEM.replace(/\n/g, '\\n') }).asymmetricKeyType).toBe('ed25519');
  });
});

describe('npm run audit:verify', () => {
  const dir = path.join(tmp, 'cli-pglite');
  const checkpoints = path.join(tmp, 'cli-checkpoints.jsonl');
  const runVerify = (...args: string[]) =>
    spawnSync(TSX, ['scripts/verify-audit.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        PGLITE_DIR: dir,
        AUDIT_SIGNING_KEY: KEY_PEM,
        AUDIT_CHECKPOINT_FILE: path.join(tmp, 'none.jsonl'),
      },
      encoding: 'utf8',
    });
  const withDb = async (fn: (db: Db) => Promise<void>) => {
    const file = await openPglite(dir);
    try {
      await fn(file.db);
    } finally {
      await file.close();
    }
  };

  it('seals, verifies, says what it could not check; names tail deletion and forged checkpoints', async () => {
    await withDb(async (db) => {
      await migrate({ db, kind: 'pglite' } as DbHandle);
      await writeEvents(db, 12);
      const checkpointer = new Checkpointer(db, KEY, { file: checkpoints, everyEvents: 1, everyMs: 60_000, webhook: false });
      await checkpointer.maybeCheckpoint((await seal(db)).head);
      await writeEvents(db, 3); // left unsealed: the command seals them first
    });

    const good = runVerify('--checkpoints', checkpoints);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(
      /^ok 15 events, head [0-9a-f]{64}\nsealed 3 waiting events first\n0 events waiting to be sealed\nmatches all 1 checkpoints of /,
    );
    expect(good.stdout).toMatch(/verified in [\d.]+ s \(\d+ events\/s\)\n$/);
    expect(runVerify().stdout).toContain('no checkpoints: deleting or rewriting the newest events cannot be detected from the chain alone');

    await withDb(async (db) => {
      await asSuperuserBypassingTriggers(db, [sql`update audit_events set actor_label = 'someone-else' where seq = 2`]);
    });
    const altered = runVerify('--checkpoints', checkpoints);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toContain('broken at seq 2: event 2 was altered after it was written');

    await withDb(async (db) => {
      await asSuperuserBypassingTriggers(db, [
        sql`update audit_events set actor_label = 'tester@test.example' where seq = 2`,
        sql`delete from audit_events where seq > 2`,
      ]);
    });
    const head = readCheckpointFile(checkpoints)[0]!;
    const tail = runVerify('--checkpoints', checkpoints);
    expect(tail.status).toBe(1);
    if ('checkpoint' in head)
      expect(tail.stdout).toContain(`checkpoint 12 ${head.checkpoint.hash} at ${head.checkpoint.at}: the database now ends at 2`);
    expect(runVerify().status).toBe(0); // without checkpoints the deletion goes unseen

    const forged = signCheckpoint({ seq: 2, hash: 'a'.repeat(64) }, generateKeyPairSync('ed25519').privateKey);
    appendFileSync(checkpoints, `${JSON.stringify(forged)}\n`);
    const refused = runVerify('--checkpoints', checkpoints);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(
      /^refused: checkpoint 2 a{64} at .* \(line 2\): the signature does not verify with the audit key; forged or altered, refused\n/,
    );
  }, 120_000);
});

describe.runIf(isPostgres())('audit chain under concurrency (PostgreSQL)', () => {
  let local: Awaited<ReturnType<typeof createTestDb>>;
  let wide: DbHandle;
  beforeAll(async () => {
    local = await createTestDb();
    wide = await openPostgres(local.url!, 70);
  });
  afterAll(async () => {
    await wide.close();
    await local.close();
  });

  it('64 writers for a few seconds, two sealers: one chain, no gap, no fork, every committed event once, no rolled-back one', async () => {
    const config = checkpointConfig(200);
    const sealers = [
      startAuditSealer({ db: wide.db, key: KEY, checkpoints: config, intervalMs: 20, log: () => {} }),
      startAuditSealer({ db: local.db, key: KEY, checkpoints: { ...config, file: `${config.file}.2` }, intervalMs: 35, log: () => {} }),
    ];
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    const until = Date.now() + 4_000;
    await Promise.all(
      Array.from({ length: 64 }, async (_, w) => {
        for (let n = 0; Date.now() < until; n += 1) {
          const ids = [`${w}-${n}-a`, `${w}-${n}-b`];
          const rollback = n % 5 === 4;
          try {
            await wide.db.transaction(async (tx) => {
              if (n % 2) await recordMany(tx, ids.map(event));
              else for (const id of ids) await record(tx, event(id));
              if (rollback) throw new Error('roll back');
            });
            ids.forEach((id) => committed.add(id));
          } catch {
            ids.forEach((id) => rolledBack.add(id));
          }
        }
      }),
    );
    await Promise.all(sealers.map((s) => s.stop()));
    await seal(local.db);
    const rows = await queryRows<{ seq: string; entity_id: string }>(
      local.db,
      sql`select seq::text, entity_id from audit_events order by audit_events.seq`,
    );
    expect(rows.length).toBe(committed.size);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.entity_id))).toEqual(committed);
    expect(rows.some((r) => rolledBack.has(r.entity_id))).toBe(false);
    expect(rolledBack.size).toBeGreaterThan(0);
    const result = await verifyAuditChain(local.db, { checkpoints: readCheckpointFile(config.file), publicKey: KEY });
    expect(result).toMatchObject({ ok: true, count: committed.size, unsealed: 0 });
    if (result.ok) expect(result.checkpoints).toBeGreaterThan(0);
  }, 60_000);

  it('a writer-and-sealer process killed mid-work: after restart every committed event is sealed, once', async () => {
    // One process (node with tsx's loader), so SIGKILL hits the writer itself, not a wrapper.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'lib/audit/fixtures/crash-writer.ts', `${local.url!}?application_name=rd_crash_writer`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const reported: number[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('committed ')) reported.push(Number(line.slice(10)));
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (reported.length >= 300) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // Wait until the server has ended its sessions: whatever they had not committed is rolled back.
    for (let i = 0; i < 100; i += 1) {
      const [left] = await queryRows<{ n: number }>(
        local.db,
        sql`select count(*)::int as n from pg_stat_activity where application_name = 'rd_crash_writer'`,
      );
      if (left!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Sealing after the restart (a commit the server finished after the kill is sealed too).
    expect(await countUnsealed(local.db)).toBeGreaterThanOrEqual(0);
    await seal(local.db);
    expect(await countUnsealed(local.db)).toBe(0);
    const rows = await local.db.select({ id: auditEvents.id, seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq));
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    const ids = new Set(rows.map((r) => r.id));
    expect(ids.size).toBe(rows.length);
    for (const id of reported) expect(ids.has(id)).toBe(true);
    expect(rows[0]!.seq).toBe(rows.length);
    expect(await verifyAuditChain(local.db)).toMatchObject({ ok: true, count: rows.length, unsealed: 0 });
  }, 60_000);
});

describe('the hashed text', () => {
  it('is canonicalJson of the named fields, written out directly', async () => {
    const { canonicalJson, chainedBody } = await import('./canonical');
    type Hashable = Parameters<typeof chainedBody>[0];
    const cases = [
      { ...event(1), seq: 1, at: new Date('2026-01-02T03:04:05.678Z'), actorId: 3, actorLabel: 'a', actorRole: null, entityId: '1' },
      {
        ...event('x'),
        seq: 2,
        at: '2026-01-02T03:04:05.678Z',
        actorId: null,
        actorLabel: 'é "q"',
        actorRole: 'admin',
        entityId: null,
        before: undefined,
      },
      {
        ...event(3),
        seq: 3,
        at: new Date(0),
        actorId: 1,
        actorLabel: 'b',
        actorRole: null,
        entityId: '3',
        after: { z: 1, a: { y: [3, { b: 1, a: 2 }] } },
      },
    ];
    for (const c of cases) {
      const { seq, at, actorId, actorLabel, actorRole, action, entityType, entityId, before, after, reason, origin } = c;
      const reference = canonicalJson({
        seq,
        at: typeof at === 'string' ? at : at.toISOString(),
        actorId,
        actorLabel,
        actorRole,
        action,
        entityType,
        entityId,
        before,
        after,
        reason,
        origin,
      });
      expect(chainedBody(c as unknown as Hashable)).toBe(reference);
    }
  });
});

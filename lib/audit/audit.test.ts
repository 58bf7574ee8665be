import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, pgError, type Db } from '@/db';
import { auditEvents } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { record, type AuditInput } from './index';
import { verifyAuditChain } from './verify';

const handle = setupTestDb({ setDefault: false });
let db: Db;

const event = (n: number): AuditInput => ({
  actor: { id: null, label: 'tester@test.example', role: 'agent' },
  action: 'test.event',
  entityType: 'ticket',
  entityId: n,
  before: { status: 'open', amount: '10.00' },
  after: { status: 'resolved', amount: '10.00', at: new Date('2026-01-01T00:00:00Z'), nested: { b: 2, a: [1, 'x', null] } },
  reason: `event ${n}`,
  origin: { via: 'cli', ip: '127.0.0.1' },
});

async function writeEvents(count: number) {
  for (let i = 0; i < count; i += 1) await db.transaction((tx) => record(tx, event(i)));
}

/** Runs statements with triggers switched off, as a superuser could. */
async function asSuperuserBypassingTriggers(statements: ReturnType<typeof sql>[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

beforeAll(() => {
  db = handle.db;
});

describe('audit chain', () => {
  it('links every event to the one before and verifies', async () => {
    await writeEvents(5);
    const rows = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(rows[4]!.after).toMatchObject({ status: 'resolved', at: '2026-01-01T00:00:00.000Z' });
    const result = await verifyAuditChain(db);
    expect(result).toEqual({ ok: true, count: 5, head: rows[4]!.hash });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      db.execute(statement).then(
        () => null,
        (error: unknown) => pgError(error),
      );
    for (const statement of [
      sql`update audit_events set reason = 'changed' where seq = 1`,
      sql`delete from audit_events where seq = 1`,
      sql`truncate audit_events`,
    ]) {
      expect(await refusal(statement)).toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('names the first altered event', async () => {
    await asSuperuserBypassingTriggers([sql`update audit_events set reason = 'quietly changed' where seq = 3`]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badSeq: 3, count: 2 });
  });
});

describe('audit chain tampering', () => {
  const local = setupTestDb({ setDefault: false });
  beforeAll(async () => {
    db = local.db;
    await writeEvents(6);
  });

  it('detects a deleted event', async () => {
    await asSuperuserBypassingTriggers([sql`delete from audit_events where seq = 4`]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badSeq: 4 });
  });

  it('detects a swapped pair', async () => {
    // Exchange the contents of events 1 and 2, keeping their sequence numbers.
    await asSuperuserBypassingTriggers([
      sql`update audit_events set seq = -1 where seq = 1`,
      sql`update audit_events set seq = 1 where seq = 2`,
      sql`update audit_events set seq = 2 where seq = -1`,
    ]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badSeq: 1 });
  });
});

describe('npm run audit:verify', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runVerify = () =>
    spawnSync(path.join('node_modules', '.bin', 'tsx'), ['scripts/verify-audit.ts'], {
      env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: dir },
      encoding: 'utf8',
    });

  it('prints ok with the count and head, then exit 1 naming the bad event after tampering', async () => {
    const file = await openPglite(dir);
    await migrate(file);
    db = file.db;
    await writeEvents(3);
    await file.close();

    const good = runVerify();
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^ok 3 events, head [0-9a-f]{64}\n$/);

    const again = await openPglite(dir);
    db = again.db;
    await asSuperuserBypassingTriggers([sql`update audit_events set actor_label = 'someone-else' where seq = 2`]);
    await again.close();

    const bad = runVerify();
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('seq 2');
  }, 60_000);
});

describe.runIf(isPostgres())('audit chain under concurrency (PostgreSQL)', () => {
  const local = setupTestDb({ setDefault: false });

  it('20 concurrent writers leave one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        local.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(0.01)`);
          await record(tx, event(i));
        }),
      ),
    );
    const result = await verifyAuditChain(local.db);
    expect(result).toMatchObject({ ok: true, count: 20 });
  });
});

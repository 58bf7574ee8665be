/**
 * The ceiling any audited write can reach here: 16 clients each committing transactions that do
 * nothing but append two audit events (lib/audit `record`, which holds one advisory lock until commit).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/decisions/audit-ceiling.ts
 */
import { sql } from 'drizzle-orm';
import { migrate, openPostgres, queryRows, type Tx } from '@/db';
import { auditEvents } from '@/db/schema';
import { record, type AuditInput } from '@/lib/audit';
import { asStoredJson, GENESIS_HASH, hashEvent, type ChainedFields } from '@/lib/audit/canonical';

/**
 * A prototype for lib/audit (not used by the app): one lock, one read of the chain's head, every
 * event of the transaction in one INSERT (3 round trips instead of 3 per event). Same lock key, same hashes as `record`.
 */
async function recordMany(tx: Tx, inputs: AuditInput[]) {
  // Two statements: a READ COMMITTED statement sees what committed before it began, so the head is read after the lock.
  await tx.execute(sql`select pg_advisory_xact_lock(72620001)`);
  const [head] = await queryRows<{ seq: string | null; hash: string | null }>(
    tx,
    sql`select a.seq::text as seq, a.hash from audit_events a order by a.seq desc limit 1`,
  );
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
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.insert(auditEvents).values(rows);
}

const NAME = 'rd_bench_audit_ceiling';
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const N = Number(process.env.N ?? 1000);

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('Set DATABASE_URL.');
  const url = new URL(base);
  url.pathname = `/${NAME}`;
  const admin = await openPostgres(base, 1);
  await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`));
  await admin.db.execute(sql.raw(`CREATE DATABASE ${NAME}`));
  const handle = await openPostgres(url.toString(), CLIENTS + 1);
  try {
    await migrate(handle);
    const event = (i: number): AuditInput => ({
      actor: { id: null, label: 'bench', role: null },
      action: 'ticket.note_added',
      entityType: 'bench',
      entityId: i,
    });
    for (const [label, writes] of [
      ['commit only (xid assigned, no audit)', 0],
      ['one audit event per transaction (record)', 1],
      ['two audit events per transaction (record × 2)', 2],
      ['two audit events per transaction (recordMany prototype)', -2],
    ] as const) {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next++ < N) {
            await handle.db.transaction(async (tx) => {
              if (writes === 0) await tx.execute(sql`select txid_current()`);
              if (writes < 0) await recordMany(tx, [event(1), event(2)]);
              for (let i = 0; i < writes; i++) await record(tx, event(i));
            });
          }
        }),
      );
      const s = (performance.now() - started) / 1000;
      console.log(`${label}: ${Math.round(N / s)} transactions/s with ${CLIENTS} clients`);
    }
    const { verifyAuditChain } = await import('@/lib/audit/verify');
    const chain = await verifyAuditChain(handle.db);
    console.log(`audit chain: ${chain.ok ? `ok, ${chain.count} events` : `BROKEN: ${chain.problem}`}`);
  } finally {
    await handle.close();
    await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`));
    await admin.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

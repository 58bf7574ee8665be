/**
 * The sequencer: gives committed, unsealed audit events their place in the hash chain.
 *
 * Writers (`record`) insert events with `seq`, `prev_hash` and `hash` null, with no shared lock.
 * Here, under one advisory lock that only sealers take, a batch of committed unsealed events (in
 * insertion order) gets seq = head + 1, + 2, … and hash = sha256(prev_hash + canonical JSON of the
 * event) in one UPDATE — the only UPDATE the append-only trigger allows. A rolled-back event was
 * never visible, so it is never sealed; a crash mid-batch rolls the batch back and the next run
 * seals it again from the same head, so no event is sealed twice or skipped.
 */
import { desc, isNotNull, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db';
import { auditEvents } from '@/db/schema';
import { GENESIS_HASH, hashEvent } from './canonical';
import { readEvents } from './rows';

/** Any constant, different from every other advisory lock of the app: held by one sealer at a time. */
export const AUDIT_SEAL_LOCK_KEY = 72_620_002;

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface SealResult {
  /** Events sealed by this call. */
  sealed: number;
  /** The chain's head after it (null: the chain is empty). */
  head: ChainHead | null;
  /** False when another sealer held the lock and `wait` was false: nothing was done by this call. */
  locked: boolean;
}

/** The newest sealed event. */
export async function chainHead(db: Db | Tx): Promise<ChainHead | null> {
  const [head] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(isNotNull(auditEvents.seq))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return head ? { seq: head.seq!, hash: head.hash! } : null;
}

/** How many committed events wait for the sequencer. */
export async function countUnsealed(db: Db | Tx): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from audit_events where seq is null`);
  return Number(row?.n ?? 0);
}

async function sealBatch(tx: Tx, batchSize: number, head: ChainHead | null): Promise<{ sealed: number; head: ChainHead | null }> {
  const pending = await readEvents(tx, sql`seq is null`, sql`id`, batchSize);
  if (pending.length === 0) return { sealed: 0, head };
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const sealed = pending.map((row) => {
    seq += 1;
    const hash = hashEvent(prevHash, { ...row, seq });
    const entry = { id: row.id, seq, prev_hash: prevHash, hash };
    prevHash = hash;
    return entry;
  });
  const updated = await queryRows<{ id: number }>(
    tx,
    sql`update audit_events a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
        from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as v(id bigint, seq bigint, prev_hash text, hash text)
        where a.id = v.id and a.seq is null
        returning a.id`,
  );
  if (updated.length !== sealed.length) throw new Error(`audit sealer: sealed ${updated.length} of ${sealed.length} events; rolled back`);
  return { sealed: sealed.length, head: { seq, hash: prevHash } };
}

/**
 * Seals every committed unsealed event, a batch per transaction. `wait: false` (the worker's
 * timer) returns at once when another sealer holds the lock; `wait: true` (before a verification
 * or an export) waits for it, so everything committed before the call is sealed when it returns.
 */
export async function sealAuditEvents(
  db: Db,
  options: { batchSize?: number; wait?: boolean; maxBatches?: number } = {},
): Promise<SealResult> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? Infinity;
  let total = 0;
  let head: ChainHead | null = null;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const result = await db.transaction(async (tx) => {
      if (options.wait) {
        await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY})`);
      } else {
        const [got] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY}) as locked`);
        if (!got?.locked) return null;
      }
      // Read after the lock: a READ COMMITTED statement sees every batch committed before it began.
      return sealBatch(tx, batchSize, await chainHead(tx));
    });
    if (!result) return { sealed: total, head: await chainHead(db), locked: false };
    total += result.sealed;
    head = result.head;
    if (result.sealed < batchSize) break;
  }
  return { sealed: total, head, locked: true };
}

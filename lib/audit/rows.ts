import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db';
import type { ChainedFields } from './canonical';

/** An audit row as the sealer and the verifier read it: the hashed fields plus id and chain columns. */
export interface StoredEvent extends Omit<ChainedFields, 'at'> {
  /** ISO 8601, whole milliseconds, UTC. */
  at: string;
  id: number;
  storedSeq: number | null;
  prevHash: string | null;
  hash: string | null;
}

/** An `audit_events` row as a plain query returns it, on either driver. */
export interface RawAuditRow {
  id: string | number;
  seq: string | number | null;
  at: string | Date;
  actor_id: string | number | null;
  actor_label: string;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  origin: unknown;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * Reads audit rows with one plain query (no ORM mapping: the verifier reads millions), the same way
 * for the sealer and the verifier, on either driver: `at` in the form `Date.toISOString` gives
 * (whole milliseconds, as `record` writes it), bigints as numbers, jsonb parsed.
 */
export async function readEvents(db: Db | Tx, where: SQL, orderBy: SQL, limit: number): Promise<StoredEvent[]> {
  const rows = await queryRows<RawAuditRow & { at: string }>(
    db,
    sql`select id, seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor_id, actor_label, actor_role,
               action, entity_type, entity_id, before, after, reason, origin, prev_hash, hash
        from audit_events where ${where} order by ${orderBy} limit ${limit}`,
  );
  // The common fields' object with three more set on it (no spread copy): the verifier reads millions.
  return rows.map((r) => {
    const seq = r.seq == null ? null : Number(r.seq);
    return Object.assign(commonFields(r), { storedSeq: seq, seq: seq ?? 0, at: r.at });
  });
}

/** The columns every reader maps the same way (all but `seq` and `at`). */
export function commonFields(r: RawAuditRow) {
  return {
    id: Number(r.id),
    actorId: r.actor_id == null ? null : Number(r.actor_id),
    actorLabel: r.actor_label,
    actorRole: r.actor_role,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    reason: r.reason,
    origin: r.origin,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

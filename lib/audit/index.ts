import { desc, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { auditEvents } from '@/db/schema';
import { asStoredJson, GENESIS_HASH, hashEvent, type ChainedFields } from './canonical';

/** Where a change came from. */
export interface Origin {
  via: 'ui' | 'api' | 'cli' | 'seed' | 'system';
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditActor {
  id: number | null;
  label: string;
  role: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  origin?: Origin | null;
}

/** Any constant: the advisory lock that serialises audit writers so the chain never forks. */
const AUDIT_LOCK_KEY = 72_620_001;

/**
 * Appends one event to the audit chain inside the caller's transaction. The lock is held until
 * that transaction ends, so the change and its record commit (or roll back) together.
 */
export async function record(tx: Tx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const fields: ChainedFields = {
    seq: (head?.seq ?? 0) + 1,
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
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = hashEvent(prevHash, fields);
  await tx.insert(auditEvents).values({ ...fields, prevHash, hash });
  return { seq: fields.seq, hash };
}

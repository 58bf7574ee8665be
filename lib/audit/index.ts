import { sql } from 'drizzle-orm';
import { isAuditAction, type AuditAction } from './actions';
import { insertAsJson, queryRows, type Tx } from '@/db';
import { auditEvents } from '@/db/schema';
import { asStoredJson } from './canonical';

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
  action: AuditAction;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  origin?: Origin | null;
}

function toRow(input: AuditInput) {
  if (!isAuditAction(input.action)) throw new Error(`Unknown audit action "${String(input.action)}": add it to lib/audit/actions.ts.`);
  return {
    // Set here, in whole milliseconds, so the value the hash covers is exactly what a JavaScript Date reads back.
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
}

/**
 * Appends one event to the audit log inside the caller's transaction: it commits (or rolls back)
 * with the change it records. No lock is taken: the event is inserted unsealed, and the sequencer
 * (`sealAuditEvents`, run by the worker and before every verification) gives it its place in the
 * hash chain once it has committed. Until then the append-only triggers protect it.
 */
export async function record(tx: Tx, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values(toRow(input));
}

/**
 * `record` for several events of one transaction: one INSERT statement, the rows as one JSON
 * parameter (a short fixed text, prepared once it repeats, whatever the number of events).
 */
export async function recordMany(tx: Tx, inputs: AuditInput[]): Promise<{ ids: number[] }> {
  if (inputs.length === 0) return { ids: [] };
  const rows = await queryRows<{ id: number | string }>(tx, sql`${insertAsJson(auditEvents, inputs.map(toRow))} returning id`);
  return { ids: rows.map((r) => Number(r.id)) };
}

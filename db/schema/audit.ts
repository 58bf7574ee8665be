import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at } from './_columns';

/**
 * Append-only, hash-chained record of every change. Triggers (see the audit_append_only migration)
 * refuse UPDATE, DELETE and TRUNCATE; `seq` is assigned under a lock so the chain never forks.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: at('at').notNull(),
    /** Staff user id, or null for the system and the panel. */
    actorId: bigint('actor_id', { mode: 'number' }),
    /** A readable label: the staff email, `system`, `api-key:<name>`, or the email tried at sign-in. */
    actorLabel: text('actor_label').notNull(),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    origin: jsonb('origin'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_events_entity_idx').on(t.entityType, t.entityId), index('audit_events_actor_idx').on(t.actorId)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

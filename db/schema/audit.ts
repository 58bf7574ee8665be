import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, id } from './_columns';

/**
 * Append-only, hash-chained record of every change. A writer inserts an event with `seq`,
 * `prev_hash` and `hash` null, in its own transaction and without any shared lock; the sequencer
 * (lib/audit/sealer.ts) later gives committed events their place in the chain. Triggers (see the
 * audit_append_only and audit_sequencer migrations) refuse DELETE and TRUNCATE, and every UPDATE
 * except that one sealing step (those three columns from null to set, nothing else changed).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    /** Insertion order: shows unsealed events too. Not part of the chain (ids of rolled-back inserts are skipped). */
    id: id(),
    /** The position in the chain: 1, 2, 3… without gaps; null until sealed. */
    seq: bigint('seq', { mode: 'number' }),
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
    /** Null until sealed. */
    prevHash: text('prev_hash'),
    /** Null until sealed. */
    hash: text('hash'),
  },
  (t) => [
    // Partial: an unsealed event costs no entry here until the sequencer seals it.
    uniqueIndex('audit_events_seq_idx')
      .on(t.seq)
      .where(sql`seq is not null`),
    index('audit_events_unsealed_idx')
      .on(t.id)
      .where(sql`seq is null`),
    // The audit log's filters (lib/audit/query.ts), each ending in id: a filtered page newest
    // first is an ordered index walk, never a sort of every match.
    index('audit_events_entity_id_idx').on(t.entityType, t.entityId, t.id),
    index('audit_events_actor_id_idx').on(t.actorId, t.id),
    index('audit_events_action_id_idx').on(t.action, t.id),
    index('audit_events_ticket_idx')
      .on(sql`coalesce(${t.after}->>'ticketId', ${t.before}->>'ticketId')`, t.id)
      .where(sql`coalesce(${t.after}->>'ticketId', ${t.before}->>'ticketId') is not null`),
    index('audit_events_customer_idx')
      .on(sql`coalesce(${t.after}->>'customerId', ${t.before}->>'customerId')`, t.id)
      .where(sql`coalesce(${t.after}->>'customerId', ${t.before}->>'customerId') is not null`),
    // Dated views walk (at, id) from the range's end (lib/audit/query.ts auditPageSql).
    index('audit_events_at_id_idx').on(t.at, t.id),
    index('audit_events_reason_trgm_idx')
      .using('gin', sql`${t.reason} gin_trgm_ops`)
      .where(sql`${t.reason} is not null`),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { at, ref } from './_columns';
import { apiKeys } from './staff';

/**
 * The first answer to each `Idempotency-Key` an API key sent with a POST: a repeat of the same
 * request gets it again, the same key with another request a conflict. `status` is null while the
 * first request is still being worked on.
 */
export const apiIdempotencyKeys = pgTable(
  'api_idempotency_keys',
  {
    apiKeyId: ref('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and canonical JSON body. */
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    body: jsonb('body'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index('api_idempotency_keys_created_idx').on(t.createdAt)],
);

export type ApiIdempotencyKey = typeof apiIdempotencyKeys.$inferSelect;

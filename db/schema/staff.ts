import { boolean, date, doublePrecision, index, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, id, ref } from './_columns';

export const staffRole = pgEnum('staff_role', ['agent', 'supervisor', 'admin']);

export const staffUsers = pgTable(
  'staff_users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: staffRole('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** Sessions issued before this moment are no longer honoured (sign-out everywhere, role change). */
    sessionsValidAfter: at('sessions_valid_after').notNull().defaultNow(),
    /** Signed in with a one-time password (new account, reset): only the change-password page until a new one is set. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    lastSignInAt: at('last_sign_in_at'),
    /** When this person last looked at their proposals (`/proposals`): reviews after it are counted in the navigation. */
    proposalsSeenAt: at('proposals_seen_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('staff_users_email_key').on(t.email)],
);

export const apiKeys = pgTable('api_keys', {
  id: id(),
  name: text('name').notNull(),
  /** First characters of the key, shown to admins to tell keys apart. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdBy: ref('created_by').references(() => staffUsers.id),
  createdAt: createdAt(),
  lastUsedAt: at('last_used_at'),
  revokedAt: at('revoked_at'),
  /** Refused from this moment on (null: never expires). */
  expiresAt: at('expires_at'),
});

/**
 * Per-key rate limit (a token bucket) and today's request count, one row per key, updated by one
 * atomic statement on every API request (lib/api-keys/rate-limit.ts), so the limit holds across
 * app instances. Bookkeeping, not audited.
 */
export const apiKeyUsage = pgTable('api_key_usage', {
  apiKeyId: ref('api_key_id')
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: 'cascade' }),
  /** Tokens left after the last request (refilled at the configured rate up to the burst). */
  tokens: doublePrecision('tokens').notNull(),
  refilledAt: at('refilled_at').notNull(),
  /** Whether the last request was let through (false: it got 429). */
  lastAllowed: boolean('last_allowed').notNull(),
  /** The UTC day `requestsToday` counts. */
  day: date('day', { mode: 'string' }).notNull(),
  /** Requests let through on `day`. */
  requestsToday: integer('requests_today').notNull(),
  /** Requests refused (429) on `day`. */
  refusedToday: integer('refused_today').notNull(),
  lastUsedAt: at('last_used_at').notNull(),
});

/** Sign-in attempts, counted in the database so limits hold across app instances. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    at: at('at').notNull().defaultNow(),
    /** An admin unlocked the account: the failure no longer counts against it (it still counts against the address). */
    clearedAt: at('cleared_at'),
  },
  (t) => [index('login_attempts_email_at_idx').on(t.email, t.at), index('login_attempts_ip_at_idx').on(t.ip, t.at)],
);

export type StaffUser = typeof staffUsers.$inferSelect;
export type StaffRole = (typeof staffRole.enumValues)[number];

/** Sessions ended by signing out: their JWTs are refused until they would have expired anyway. */
export const revokedSessions = pgTable('revoked_sessions', {
  sessionId: text('session_id').primaryKey(),
  userId: ref('user_id')
    .notNull()
    .references(() => staffUsers.id),
  revokedAt: at('revoked_at').notNull().defaultNow(),
  expiresAt: at('expires_at').notNull(),
});

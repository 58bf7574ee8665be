/**
 * The caller behind `Authorization: Bearer rdk_…`, with the per-key rate limit, in one statement.
 *
 * The limit is a token bucket per key (`api_key_usage`): it refills at `perSecond` up to `burst`
 * tokens and every request takes one. The row is read and written by one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` (PostgreSQL locks the row for the update), so every
 * app instance on the same database shares the count, and it costs one round trip together with
 * the key lookup, today's request count and the last-used time.
 */
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type Db, type Tx } from '@/db';
import type { Origin } from '@/lib/audit';
import { expiredApiKey, refuse, UNKNOWN_API_KEY, type ApiKeyCtx } from '@/lib/auth/actor';
import { scopesHave, type Permission } from '@/lib/auth/permissions';
import { readApiRateLimit, type ApiRateLimit } from '@/lib/config';
import { AppError, RateLimitedError } from '@/lib/errors';
import { API_KEY_PREFIX, hashApiKey } from './keys';

/** What "no limit" (`API_RATE_LIMIT_PER_SECOND=0`) becomes: a bucket nobody empties. */
const UNLIMITED = 1e9;

export interface KeyUse {
  id: number;
  name: string;
  scopes: string[];
  /** Refused: revoked or expired. */
  revokedAt: Date | null;
  expiresAt: Date | null;
  isUsable: boolean;
  /** Whether the rate limit let this request through (null when the key is not usable). */
  isAllowed: boolean | null;
  /** Tokens left in the bucket after this request. */
  tokens: number | null;
}

interface Row {
  id: number | string;
  name: string;
  scopes: string[];
  revoked_at: Date | string | null;
  expires_at: Date | string | null;
  usable: boolean;
  allowed: boolean | null;
  tokens: number | string | null;
}

const toDate = (value: Date | string | null) => (value === null ? null : value instanceof Date ? value : new Date(value));

/**
 * Looks the key up by its hash and, when it is neither revoked nor expired, takes a token from
 * its bucket and counts the request for today — one statement, one round trip. Null for an
 * unknown key.
 */
export async function spendApiKeyToken(db: Db | Tx, keyHash: string, limit: ApiRateLimit = readApiRateLimit()): Promise<KeyUse | null> {
  const rate = limit.perSecond > 0 ? limit.perSecond : UNLIMITED;
  const burst = limit.perSecond > 0 ? limit.burst : UNLIMITED;
  const today = sql`(now() at time zone 'utc')::date`;
  // Tokens available now: what was left, refilled for the time since, capped at the burst.
  const available = sql`least(${burst}::float8, u.tokens + greatest(0, extract(epoch from clock_timestamp() - u.refilled_at)) * ${rate}::float8)`;
  const allowed = sql`(${available} >= 1)`;
  // Bookkeeping: when this statement is its own transaction its commit need not wait for the disk
  // (a crash loses at most a few counted requests), so the hot bucket row's lock is not held
  // through an fsync — about 1.5× the requests a second on one key. Never inside a caller's
  // transaction, whose commit must stay durable.
  const quickCommit = db instanceof PgTransaction ? sql`null` : sql`set_config('synchronous_commit', 'off', true)`;
  const [row] = await queryRows<Row>(
    db,
    sql`with k as (
      select id, name, scopes, revoked_at, expires_at, (revoked_at is null and (expires_at is null or expires_at > now())) as usable
      from api_keys where key_hash = ${keyHash}
    ), b as (
      insert into api_key_usage as u (api_key_id, tokens, refilled_at, last_allowed, day, requests_today, refused_today, last_used_at)
      select id, ${burst}::float8 - 1, clock_timestamp(), true, ${today}, 1, 0, now() from k where usable
      on conflict (api_key_id) do update set
        tokens = case when ${allowed} then ${available} - 1 else ${available} end,
        refilled_at = greatest(u.refilled_at, clock_timestamp()),
        last_allowed = ${allowed},
        requests_today = (case when u.day = ${today} then u.requests_today else 0 end) + (case when ${allowed} then 1 else 0 end),
        refused_today = (case when u.day = ${today} then u.refused_today else 0 end) + (case when ${allowed} then 0 else 1 end),
        day = ${today},
        last_used_at = now()
      returning api_key_id, tokens, last_allowed
    ), quick as (
      select ${quickCommit}
    ), seen as (
      update api_keys set last_used_at = now()
      where id = (select id from k where usable) and (last_used_at is null or last_used_at < now() - interval '1 minute')
    )
    select k.id, k.name, k.scopes, k.revoked_at, k.expires_at, k.usable, b.last_allowed as allowed, b.tokens
    from k left join b on b.api_key_id = k.id cross join quick`,
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    name: row.name,
    scopes: row.scopes,
    revokedAt: toDate(row.revoked_at),
    expiresAt: toDate(row.expires_at),
    isUsable: row.usable,
    isAllowed: row.allowed,
    tokens: row.tokens === null ? null : Number(row.tokens),
  };
}

/** Whole seconds until the bucket holds a token again (at least 1). */
export function retryAfterSeconds(tokens: number, limit: ApiRateLimit): number {
  if (limit.perSecond <= 0) return 1;
  return Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
}

/**
 * The caller behind `Authorization: Bearer rdk_…`: a known key, neither revoked nor expired, within
 * its rate limit, holding `permission`. Missing, malformed, unknown or revoked → `unauthenticated`
 * (401); expired → 401 saying so; over the limit → `rate_limited` (429, `Retry-After`); without the
 * scope → `forbidden` (403). One round trip; core functions re-read the key with `authorize` inside their transaction.
 */
export async function authenticateApiKey(
  db: Db | Tx,
  header: string | null | undefined,
  permission: Permission,
  origin: Origin = { via: 'api' },
): Promise<ApiKeyCtx> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match) throw new AppError('unauthenticated', 'Send the API key in the Authorization header: "Authorization: Bearer rdk_…".');
  const plaintext = match[1]!;
  if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 200) throw new AppError('unauthenticated', UNKNOWN_API_KEY);
  const limit = readApiRateLimit();
  const key = await spendApiKeyToken(db, hashApiKey(plaintext), limit);
  if (!key || key.revokedAt) throw new AppError('unauthenticated', UNKNOWN_API_KEY);
  if (!key.isUsable && key.expiresAt) throw new AppError('unauthenticated', expiredApiKey(key.expiresAt));
  if (key.isAllowed === false) {
    const seconds = retryAfterSeconds(key.tokens ?? 0, limit);
    throw new RateLimitedError(
      `The API key "${key.name}" sent more than ${limit.perSecond} requests a second (bursts up to ${limit.burst}); try again in ${seconds} s.`,
      seconds,
    );
  }
  if (!scopesHave(key.scopes, permission)) refuse(permission, `the API key "${key.name}" does not have it`);
  return { kind: 'api_key', apiKeyId: key.id, origin };
}

/**
 * `Idempotency-Key` for the API-key POSTs (the route wrapper's `idempotent` option): per API key,
 * the first answer (status and body) to a key is kept; a repeat of the same request (method, path
 * and canonical JSON body) gets it again, the same key with another request gets 409.
 *
 * The claim of the key (a row without a status), the work and the stored answer are one
 * transaction (`answerOnce`): one commit, and two copies of a request sent at once cannot both run —
 * the second one's claim waits for the first to commit and then gets its answer (or, when the first
 * failed and rolled its claim back, runs itself). A failure rolls the claim back with the work, so a
 * corrected retry may use the key. A claim without an answer that is committed (left by an earlier
 * version, which claimed in a transaction of its own) is "still being worked on" (409) until it is
 * CLAIM_STALE_MS old, then taken over. Answers are kept for IDEMPOTENCY_RETENTION_HOURS.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { apiIdempotencyKeys } from '@/db/schema';
import { canonicalJson } from '@/lib/audit/canonical';
import { IDEMPOTENCY_CONFLICT } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { requestTransaction } from './common';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const CLAIM_STALE_MS = 60_000;
/** How long an answer is kept for replays; older keys are forgotten (a few at a time, now and then). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header's value, checked: 1–255 visible ASCII characters; absent → null. */
export function idempotencyKeyOf(header: string | null): string | null {
  if (header === null) return null;
  const key = header.trim();
  if (!KEY_PATTERN.test(key))
    throw new AppError('bad_request', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters (a UUID is a good choice).', {
      'Idempotency-Key': ['1 to 255 visible ASCII characters.'],
    });
  return key;
}

/** SHA-256 of what makes two requests the same: method, path and canonical JSON body. */
export function idempotencyHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

export type KeyClaim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/** Claims `key` for this request, or returns the stored answer of the same request; 409 otherwise. */
export async function claimIdempotencyKey(db: Db | Tx, apiKeyId: number, key: string, hash: string): Promise<KeyClaim> {
  const inserted = await db
    .insert(apiIdempotencyKeys)
    .values({ apiKeyId, key, requestHash: hash })
    .onConflictDoNothing()
    .returning({ key: apiIdempotencyKeys.key });
  if (inserted.length) {
    if (Math.random() < 0.01) await forgetOldKeys(db);
    return { kind: 'new' };
  }
  const [earlier] = await db
    .select()
    .from(apiIdempotencyKeys)
    .where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, key)));
  if (!earlier) return claimIdempotencyKey(db, apiKeyId, key, hash); // released meanwhile
  if (earlier.requestHash !== hash) throw new AppError('conflict', IDEMPOTENCY_CONFLICT);
  if (earlier.status !== null) return { kind: 'replay', status: earlier.status, body: earlier.body };
  // Still being worked on: take it over only when its claim is stale (its process died).
  const [taken] = await db
    .update(apiIdempotencyKeys)
    .set({ createdAt: sql`now()` })
    .where(
      and(
        eq(apiIdempotencyKeys.apiKeyId, apiKeyId),
        eq(apiIdempotencyKeys.key, key),
        sql`${apiIdempotencyKeys.status} is null`,
        sql`${apiIdempotencyKeys.createdAt} < now() - ${`${CLAIM_STALE_MS} milliseconds`}::interval`,
      ),
    )
    .returning({ key: apiIdempotencyKeys.key });
  if (taken) return { kind: 'new' };
  throw new AppError('conflict', 'A request with this Idempotency-Key is still being worked on; send it again in a moment.');
}

/**
 * Runs `work` once for this key: the claim, the work (intake core functions join the transaction)
 * and the answer `answerOf` gives (null: none is kept, the key is given up) in one transaction.
 * A repeat of the same request gets the stored answer instead; the same key with another request 409.
 */
export async function answerOnce<R>(
  ids: { apiKeyId: number; key: string; hash: string },
  work: () => Promise<R>,
  answerOf: (result: R) => { status: number; body: unknown } | null,
): Promise<{ kind: 'replay'; status: number; body: unknown } | { kind: 'done'; result: R }> {
  return requestTransaction(async (tx) => {
    const claim = await claimIdempotencyKey(tx, ids.apiKeyId, ids.key, ids.hash);
    if (claim.kind === 'replay') return claim;
    const result = await work();
    const answer = answerOf(result);
    if (answer) await completeIdempotencyKey(tx, ids.apiKeyId, ids.key, answer.status, answer.body);
    else await releaseIdempotencyKey(tx, ids.apiKeyId, ids.key);
    return { kind: 'done' as const, result };
  });
}

/** Stores the answer of a claimed key. */
export async function completeIdempotencyKey(db: Db | Tx, apiKeyId: number, key: string, status: number, body: unknown): Promise<void> {
  await db
    .update(apiIdempotencyKeys)
    .set({ status, body: body ?? null })
    .where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, key)));
}

/** Gives a claimed key up (the request failed): a retry with it runs afresh. */
export async function releaseIdempotencyKey(db: Db | Tx, apiKeyId: number, key: string): Promise<void> {
  await db
    .delete(apiIdempotencyKeys)
    .where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, key), sql`${apiIdempotencyKeys.status} is null`));
}

/** Deletes up to 500 keys older than the retention (called now and then by claims). */
export async function forgetOldKeys(db: Db | Tx): Promise<void> {
  await db.execute(
    sql`delete from ${apiIdempotencyKeys} where ctid in (select ctid from ${apiIdempotencyKeys}
        where ${apiIdempotencyKeys.createdAt} < now() - ${`${IDEMPOTENCY_RETENTION_HOURS} hours`}::interval limit 500)`,
  );
}

/**
 * The command kernel of the money verbs (decisions and their reviews, manual credits, reversals and
 * their reviews): one transaction run again after a deadlock, unique violations turned into
 * conflicts, the idempotency key's request hash and replay, and the second-person review rule.
 * Each verb keeps its own rows, locks and audit rows; what they share is written here once.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { getDb, pgError, type Tx } from '@/db';
import { canonicalJson } from '@/lib/audit/canonical';
import { AppError } from '@/lib/errors';

// ---------------------------------------------------------------------------------------------
// Idempotency: the same key for the same request is a replay; for anything else, a conflict.

export const IDEMPOTENCY_CONFLICT = 'This Idempotency-Key was already used for a different request.';

/** SHA-256 of the canonical JSON (sorted keys) of the normalized request. */
export function requestHash(request: Record<string, string | number | boolean | null | undefined>): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** A stored request that holds an idempotency key. */
export interface KeyedRequest {
  id: number;
  requestHash: string;
  /** Who sent it: a key is one person's. */
  requestedBy: number;
}

/** What an earlier use of the key makes of this request: new (no earlier use), a replay, or a conflict. */
export function keyUse(earlier: KeyedRequest | undefined, request: { hash: string; actorId: number }): 'new' | 'replay' | 'conflict' {
  if (!earlier) return 'new';
  return earlier.requestHash === request.hash && earlier.requestedBy === request.actorId ? 'replay' : 'conflict';
}

/**
 * The earlier result (`load(earlier.id)`) when the key was used before for the same request by the
 * same person; a `conflict` when it was used for anything else; null when the key is new.
 */
export async function replayOf<T>(
  earlier: KeyedRequest | undefined,
  request: { hash: string; actorId: number },
  load: (id: number) => Promise<T>,
): Promise<T | null> {
  const use = keyUse(earlier, request);
  if (use === 'conflict') throw new AppError('conflict', IDEMPOTENCY_CONFLICT);
  return use === 'replay' ? load(earlier!.id) : null;
}

// ---------------------------------------------------------------------------------------------
// Second-person review.

/** What a review of a request that may wait for a second person does. */
export type ReviewStep =
  /** It waits, and this reviewer may decide it. */
  | 'review'
  /** Already decided the same way by the same reviewer: return it as it is. */
  | 'replay'
  /** Already decided otherwise, or by someone else: a conflict. */
  | 'already_decided'
  /** The requester's own request: another person must decide it. */
  | 'own_request';

/**
 * The review rule, in one place. Nobody approves their own request; `ownMayReject` lets the
 * requester withdraw it by rejecting it. With `replaysSameVerdict`, repeating the verdict already
 * given is a replay rather than a conflict.
 */
export function reviewStep(
  request: { state: string; requestedBy: number; reviewedBy: number | null },
  review: { actorId: number; approve: boolean },
  rules: { ownMayReject: boolean; replaysSameVerdict: boolean },
): ReviewStep {
  if (request.state !== 'awaiting_approval') {
    const same = request.state === (review.approve ? 'executed' : 'rejected') && request.reviewedBy === review.actorId;
    return rules.replaysSameVerdict && same ? 'replay' : 'already_decided';
  }
  if (request.requestedBy === review.actorId && (review.approve || !rules.ownMayReject)) return 'own_request';
  return 'review';
}

// ---------------------------------------------------------------------------------------------
// One person's money, counted race-free.

/**
 * Locks one person's credit count until the transaction ends (`pg_advisory_xact_lock` on the
 * namespace `credits-by:<role>` and the staff id): two parallel requests by the same person take
 * turns, so the second counts the first and both cannot slip under a limit. Taken after the
 * ticket's lock (decisions) or first (manual credits), and never before a ticket lock, so it adds no
 * lock cycle.
 */
export async function lockPersonCredits(tx: Tx, scope: 'decision' | 'manual', staffId: number): Promise<void> {
  await tx.execute(sql`select ${personCreditsLock(scope, staffId)}`);
}

/** `lockPersonCredits` as an expression, for a statement that takes it after another lock of its own. */
export function personCreditsLock(scope: 'decision' | 'manual', staffId: number): SQL {
  return sql`pg_advisory_xact_lock(hashtext(${`credits-by:${scope}`}), ${staffId}::int)`;
}

// ---------------------------------------------------------------------------------------------
// The transaction.

/** SQLSTATEs after which the whole transaction may simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs `run` again (up to `attempts` times in all) when PostgreSQL aborted it as a deadlock victim
 * or for a serialization failure. Safe: the aborted attempt left nothing behind, and the commands
 * are idempotent by their key anyway.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code = pgError(error)?.code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * attempt));
    }
  }
}

export interface CommandOptions {
  /**
   * The `conflict` sentence for a unique violation that reached the caller (a race the locks did
   * not cover), from PostgreSQL's message naming the index; null: the error is rethrown as it is.
   */
  uniqueConflict?: (violation: string) => string | null;
  /**
   * A unique index (part of its name) whose violation runs the command once more: a concurrent
   * request inserted the same idempotency key, and the second run finds it and replays it.
   */
  retryOnceOn?: string;
}

/**
 * Runs one money command: `work` in one transaction (it begins with the actor's check and takes its
 * locks in the documented order), again after a deadlock or serialization failure, with unique
 * violations mapped to conflicts by `options`.
 */
export async function runCommand<T>(work: (tx: Tx) => Promise<T>, options: CommandOptions = {}): Promise<T> {
  const db = await getDb();
  let hasRetriedUnique = false;
  for (;;) {
    try {
      return await retryOnDeadlock(() => db.transaction(work));
    } catch (error) {
      const pg = pgError(error);
      if (pg?.code !== '23505') throw error;
      if (options.retryOnceOn && !hasRetriedUnique && pg.message.includes(options.retryOnceOn)) {
        hasRetriedUnique = true;
        continue;
      }
      const sentence = options.uniqueConflict?.(pg.message) ?? null;
      throw sentence === null ? error : new AppError('conflict', sentence);
    }
  }
}

/**
 * When a set comes into force, the stored suggestions of open tickets are recomputed under it by
 * the worker (`npm run worker`, or the demo server's in-process worker; ./background.ts): never by
 * a timer in the approving process or a page visit. Exactly once per set: a worker claims the set
 * in force with its row locked (`FOR UPDATE SKIP LOCKED`) and a lease on the row
 * (`recompute_state = 'running'`, `recompute_claimed_by`, `recompute_lease_until`); every batch
 * of tickets is one short transaction that re-checks the claim under the row lock and moves the
 * cursor, the progress and the lease with it. A worker that dies leaves a lease that runs out; the
 * next worker resumes after the cursor. Older sets that came into force meanwhile without a
 * recompute are `superseded` (this recompute covers their tickets). The queue is never blocked.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, desc, eq, gt, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { policyParamSets, tickets } from '@/db/schema';
import { refreshSuggestion } from '@/lib/tickets/suggestion';

export const RECOMPUTE_BATCH = 25;
/** How long a claim holds without a batch: a worker silent for longer is taken as dead and its recompute taken over. */
export const RECOMPUTE_LEASE_MS = 60_000;

/** One worker's name on the claims it takes (host, process, a random part). */
export const recomputeWorkerId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface RecomputeRun {
  /** The set recomputed. */
  version: number;
  /** Open tickets when the recompute started. */
  total: number;
  /** Tickets recomputed by this call (a take-over resumes: fewer than total). */
  recomputed: number;
  /** 'done'; 'lost' when another worker took the claim over (this one was too slow); 'stopped': the worker is stopping (its lease is released for the next one). */
  outcome: 'done' | 'lost' | 'stopped';
  /** Older sets marked superseded by this one. */
  superseded: number[];
}

/**
 * Claims the recompute of the set in force at `now`, if it is due: not done, and not running
 * under another worker's live lease. Older due sets are marked superseded in the same transaction.
 */
async function claimDue(db: Db, workerId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [inForce] = await tx
      .select({ id: policyParamSets.id })
      .from(policyParamSets)
      .where(and(eq(policyParamSets.state, 'approved'), lte(policyParamSets.inForceFrom, now)))
      .orderBy(desc(policyParamSets.inForceFrom), desc(policyParamSets.version))
      .limit(1);
    if (!inForce) return null;
    // Another worker in a batch holds the row: it is running; skip rather than wait.
    const [set] = await tx.select().from(policyParamSets).where(eq(policyParamSets.id, inForce.id)).for('update', { skipLocked: true });
    if (!set) return null;
    if (set.recomputeState === 'done' || set.recomputeState === 'superseded') return null;
    const isOthers = set.recomputeState === 'running' && set.recomputeClaimedBy !== workerId;
    if (isOthers && set.recomputeLeaseUntil && set.recomputeLeaseUntil > now) return null;

    const fresh = set.recomputeState === 'waiting';
    const total = fresh
      ? ((
          await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(tickets)
            .where(ne(tickets.status, 'resolved'))
        )[0]?.n ?? 0)
      : null;
    const [claimed] = await tx
      .update(policyParamSets)
      .set({
        recomputeState: 'running',
        recomputeClaimedBy: workerId,
        recomputeLeaseUntil: new Date(now.getTime() + RECOMPUTE_LEASE_MS),
        ...(fresh
          ? { recomputeTotal: total, recomputeDone: 0, recomputeCursor: 0, recomputeStartedAt: now, recomputeFinishedAt: null }
          : {}),
      })
      .where(eq(policyParamSets.id, set.id))
      .returning();
    const superseded = await tx
      .update(policyParamSets)
      .set({ recomputeState: 'superseded', recomputeClaimedBy: null, recomputeLeaseUntil: null, recomputeFinishedAt: now })
      .where(
        and(
          eq(policyParamSets.state, 'approved'),
          lte(policyParamSets.inForceFrom, now),
          ne(policyParamSets.id, set.id),
          inArray(policyParamSets.recomputeState, ['waiting', 'running']),
        ),
      )
      .returning({ version: policyParamSets.version });
    return { set: claimed!, superseded: superseded.map((s) => s.version) };
  });
}

/**
 * One batch under the claim: the set's row locked, the claim re-checked, up to RECOMPUTE_BATCH
 * open tickets after the cursor recomputed, and cursor, progress and lease moved, all in one
 * transaction (a batch either counts or never happened).
 */
async function runBatch(db: Db, setId: number, workerId: string): Promise<'done' | 'lost' | number> {
  return db.transaction(async (tx) => {
    const [set] = await tx.select().from(policyParamSets).where(eq(policyParamSets.id, setId)).for('update');
    if (!set || set.recomputeState !== 'running' || set.recomputeClaimedBy !== workerId) return 'lost';
    const now = new Date();
    const ids = (
      await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(ne(tickets.status, 'resolved'), gt(tickets.id, set.recomputeCursor ?? 0)))
        .orderBy(asc(tickets.id))
        .limit(RECOMPUTE_BATCH)
    ).map((r) => r.id);
    if (ids.length === 0) {
      await tx
        .update(policyParamSets)
        .set({
          recomputeState: 'done',
          recomputeClaimedBy: null,
          recomputeLeaseUntil: null,
          recomputeFinishedAt: now,
          // Tickets opened meanwhile were recomputed too; progress never shows more than all.
          recomputeTotal: sql`greatest(${policyParamSets.recomputeTotal}, ${policyParamSets.recomputeDone})`,
        })
        .where(eq(policyParamSets.id, setId));
      return 'done';
    }
    for (const id of ids) await refreshSuggestion(tx, id, now);
    await tx
      .update(policyParamSets)
      .set({
        recomputeCursor: ids[ids.length - 1]!,
        recomputeDone: sql`coalesce(${policyParamSets.recomputeDone}, 0) + ${ids.length}`,
        recomputeLeaseUntil: new Date(now.getTime() + RECOMPUTE_LEASE_MS),
      })
      .where(eq(policyParamSets.id, setId));
    return ids.length;
  });
}

/**
 * The worker's step: claims the recompute of the set in force if it is due and runs it to the end
 * (or until another worker took it over). Null when nothing is due. `now` decides which set is in
 * force and whether a lease has run out (tests pass it; the worker does not).
 */
export async function runDueRecompute(
  db: Db,
  options: { workerId?: string; now?: Date; onBatch?: (done: number) => void; shouldStop?: () => boolean } = {},
): Promise<RecomputeRun | null> {
  const workerId = options.workerId ?? recomputeWorkerId();
  const claim = await claimDue(db, workerId, options.now ?? new Date());
  if (!claim) return null;
  let recomputed = 0;
  for (;;) {
    const step = await runBatch(db, claim.set.id, workerId);
    if (step === 'done' || step === 'lost') {
      const [after] = await db
        .select({ total: policyParamSets.recomputeTotal })
        .from(policyParamSets)
        .where(eq(policyParamSets.id, claim.set.id));
      return { version: claim.set.version, total: after?.total ?? 0, recomputed, outcome: step, superseded: claim.superseded };
    }
    recomputed += step;
    options.onBatch?.(recomputed);
    if (options.shouldStop?.()) {
      // Hand the claim on at once: the next worker resumes after the cursor.
      await db
        .update(policyParamSets)
        .set({ recomputeLeaseUntil: new Date() })
        .where(and(eq(policyParamSets.id, claim.set.id), eq(policyParamSets.recomputeClaimedBy, workerId)));
      return {
        version: claim.set.version,
        total: claim.set.recomputeTotal ?? 0,
        recomputed,
        outcome: 'stopped',
        superseded: claim.superseded,
      };
    }
    // Let other work in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

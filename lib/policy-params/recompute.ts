/**
 * When a set comes into force, the stored suggestions of open tickets are recomputed under it in
 * the background: small batches, one short transaction each, progress on the set's row — the
 * queue is never blocked. Started on approval (or timed for the effective time), and resumed by the
 * policy pages when a set in force has not finished (another instance, a restart).
 */
import { and, asc, desc, eq, lte, ne } from 'drizzle-orm';
import { getDb } from '@/db';
import { policyParamSets, tickets } from '@/db/schema';
import { refreshSuggestion } from '@/lib/tickets/suggestion';

const BATCH = 25;
/** A recompute that has not moved for this long is taken as dead (its process stopped) and restarted. */
const STALE_MS = 5 * 60_000;
const running = new Set<number>();

/**
 * Recomputes the stored suggestion of every open ticket under the parameters in force, recording
 * progress on set `setId`. Resolves when done (tests await it; the app does not).
 */
export async function recomputeOpenSuggestions(setId: number): Promise<{ total: number }> {
  const db = await getDb();
  const ids = (await db.select({ id: tickets.id }).from(tickets).where(ne(tickets.status, 'resolved')).orderBy(asc(tickets.id))).map(
    (r) => r.id,
  );
  await db
    .update(policyParamSets)
    .set({ recomputeTotal: ids.length, recomputeDone: 0, recomputeStartedAt: new Date(), recomputeFinishedAt: null })
    .where(eq(policyParamSets.id, setId));
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await db.transaction(async (tx) => {
      for (const id of batch) await refreshSuggestion(tx, id);
    });
    await db
      .update(policyParamSets)
      .set({ recomputeDone: i + batch.length, recomputeStartedAt: new Date() })
      .where(eq(policyParamSets.id, setId));
    // Let requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await db.update(policyParamSets).set({ recomputeFinishedAt: new Date() }).where(eq(policyParamSets.id, setId));
  return { total: ids.length };
}

/** Starts the recompute in this process unless it is already running here. */
export function startRecompute(setId: number): void {
  if (running.has(setId)) return;
  running.add(setId);
  recomputeOpenSuggestions(setId)
    .catch((error: unknown) => console.error(`policy params: recompute of set ${setId} failed`, error))
    .finally(() => running.delete(setId));
}

/** Starts the recompute now if the set is in force, else at its time (when that is within a timer's reach). */
export function scheduleRecompute(setId: number, inForceFrom: Date): void {
  const wait = inForceFrom.getTime() - Date.now();
  if (wait <= 0) return startRecompute(setId);
  if (wait < 2 ** 31 - 1) setTimeout(() => startRecompute(setId), wait + 1000).unref();
}

/** Starts the recompute of the set in force if it never ran or has stalled (fire and forget). */
export function resumeDueRecompute(): void {
  void (async () => {
    const db = await getDb();
    const now = new Date();
    const [set] = await db
      .select({ id: policyParamSets.id, finished: policyParamSets.recomputeFinishedAt, moved: policyParamSets.recomputeStartedAt })
      .from(policyParamSets)
      .where(and(eq(policyParamSets.state, 'approved'), lte(policyParamSets.inForceFrom, now)))
      .orderBy(desc(policyParamSets.inForceFrom), desc(policyParamSets.version))
      .limit(1);
    if (!set || set.finished || running.has(set.id)) return;
    if (set.moved && now.getTime() - set.moved.getTime() < STALE_MS) return;
    startRecompute(set.id);
  })().catch((error: unknown) => console.error('policy params: could not resume the recompute', error));
}

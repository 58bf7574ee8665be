/**
 * Whether money can reach the panel: each outbox worker records a heartbeat (`worker_heartbeats`),
 * and every staff page reads the latest ones. No worker seen lately, or none with a panel URL,
 * means credits, cancels and replies wait in the outbox: the desk says so on every page.
 */
import { hostname } from 'node:os';
import { desc, gt, lt } from 'drizzle-orm';
import { getDb, type Db } from '@/db';
import { workerHeartbeats } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';

/** A worker not seen for this long is taken for stopped. */
export const WORKER_STALE_MS = 2 * 60_000;
/** How often a running worker records that it runs (at most). */
export const HEARTBEAT_EVERY_MS = 15_000;

export const newWorkerId = (startedAt: Date) => `${hostname()}:${process.pid}:${startedAt.toISOString()}`;

/** Records that this worker runs (and whether it can deliver); rows of workers gone for a day are removed. */
export async function recordHeartbeat(
  db: Db,
  beat: { workerId: string; startedAt: Date; hasPanelUrl: boolean },
  now: Date = new Date(),
): Promise<void> {
  await db
    .insert(workerHeartbeats)
    .values({ ...beat, seenAt: now })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { seenAt: now, hasPanelUrl: beat.hasPanelUrl } });
  await db.delete(workerHeartbeats).where(lt(workerHeartbeats.seenAt, new Date(now.getTime() - 86_400_000)));
}

export type DeliveryProblem = { kind: 'no_worker' | 'no_panel_url'; sentence: string } | null;

const MINUTES = WORKER_STALE_MS / 60_000;

/** What stops money from reaching the panel right now, in one sentence with what to do; null: nothing. */
export async function deliveryProblemAt(db: Db, now: Date): Promise<DeliveryProblem> {
  const recent = await db
    .select({ hasPanelUrl: workerHeartbeats.hasPanelUrl })
    .from(workerHeartbeats)
    .where(gt(workerHeartbeats.seenAt, new Date(now.getTime() - WORKER_STALE_MS)))
    .orderBy(desc(workerHeartbeats.seenAt))
    .limit(20);
  if (recent.length === 0) {
    return {
      kind: 'no_worker',
      sentence: `No outbox worker has run in the last ${MINUTES} minutes, so credits, cancels and replies wait here and do not reach the panel: start one with \`npm run worker\` (same DATABASE_URL, PANEL_WEBHOOK_URL and PANEL_WEBHOOK_SECRET), or ask whoever runs the desk to.`,
    };
  }
  if (!recent.some((r) => r.hasPanelUrl)) {
    return {
      kind: 'no_panel_url',
      sentence:
        'The outbox worker runs without PANEL_WEBHOOK_URL, so credits, cancels and replies wait here and do not reach the panel: set PANEL_WEBHOOK_URL and PANEL_WEBHOOK_SECRET for the worker and restart it.',
    };
  }
  return null;
}

/** The banner's sentence for the signed-in person's pages (any staff member sees it). */
export async function getDeliveryProblem(ctx: Ctx): Promise<DeliveryProblem> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');
  return deliveryProblemAt(db, new Date());
}

import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '@/db';
import { staffUsers, ticketPresence } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { presenceLimiter } from './limits';
import { PRESENCE_CHANNEL } from './notify';

/** A viewer counts as present this long after their last heartbeat (clients beat every 20 s). */
export const PRESENCE_TTL_MS = 45_000;

export const presenceSchema = z.object({
  ticketId: z.coerce.number({ error: 'ticketId must be a number.' }).int().min(0, 'ticketId must be 0 (the queue) or a ticket id.'),
  isLeaving: z.boolean().default(false),
});

export interface Viewer {
  id: number;
  name: string;
  seenAt: string;
}

/**
 * Records that the actor has a ticket (0: the queue) open, or has left it, and tells the other
 * instances. Presence is passing screen state, not a change of data, so it is not audited.
 */
export async function touchPresence(ctx: Ctx, input: unknown) {
  const { ticketId, isLeaving } = parseInput(presenceSchema, input);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.read');
  if (!presenceLimiter.take(actor.id)) {
    throw new AppError('rate_limited', 'Too many presence updates from your account; wait a minute before opening more tickets.');
  }
  await db.transaction(async (tx) => {
    if (isLeaving) {
      await tx.delete(ticketPresence).where(and(eq(ticketPresence.staffId, actor.id), eq(ticketPresence.ticketId, ticketId)));
    } else {
      await tx
        .insert(ticketPresence)
        .values({ staffId: actor.id, ticketId, seenAt: new Date() })
        .onConflictDoUpdate({ target: [ticketPresence.staffId, ticketPresence.ticketId], set: { seenAt: new Date() } });
      await tx
        .delete(ticketPresence)
        .where(and(eq(ticketPresence.staffId, actor.id), lt(ticketPresence.seenAt, new Date(Date.now() - 3_600_000))));
    }
    await tx.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${String(ticketId)})`);
  });
  return { ok: true };
}

/** Who has each of these tickets open right now. */
export async function viewersOf(db: Db, ticketIds: number[]): Promise<Record<number, Viewer[]>> {
  if (ticketIds.length === 0) return {};
  const rows = await db
    .select({ ticketId: ticketPresence.ticketId, id: staffUsers.id, name: staffUsers.name, seenAt: ticketPresence.seenAt })
    .from(ticketPresence)
    .innerJoin(staffUsers, eq(staffUsers.id, ticketPresence.staffId))
    .where(
      and(
        inArray(ticketPresence.ticketId, ticketIds),
        gt(ticketPresence.seenAt, new Date(Date.now() - PRESENCE_TTL_MS)),
        eq(staffUsers.isActive, true),
      ),
    )
    .orderBy(staffUsers.name);
  const result: Record<number, Viewer[]> = {};
  for (const row of rows) (result[row.ticketId] ??= []).push({ id: row.id, name: row.name, seenAt: row.seenAt.toISOString() });
  return result;
}

export async function listViewers(ctx: Ctx, ticketIds: number[]) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');
  return viewersOf(db, ticketIds);
}

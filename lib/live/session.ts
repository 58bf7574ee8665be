import { getDb } from '@/db';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { acquireStream, MAX_STREAMS_PER_USER } from './limits';

/**
 * Opens one live stream for a staff member: checks the permission, takes one of the person's
 * stream slots. `recheck` re-reads the person (a signed-out or deactivated one fails it); `release`
 * frees the slot when the stream ends.
 */
export async function openLiveStream(ctx: Ctx): Promise<{ recheck: () => Promise<void>; release: () => void }> {
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.read');
  const release = acquireStream(actor.id);
  if (!release) {
    throw new AppError('rate_limited', `You already have ${MAX_STREAMS_PER_USER} live connections open; close some tabs of the desk.`);
  }
  return {
    recheck: async () => {
      await authorizeStaff(db, ctx, 'tickets.read');
    },
    release,
  };
}

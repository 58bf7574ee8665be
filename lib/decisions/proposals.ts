/**
 * A proposer's own proposals: the reviews they have not looked at yet (counted in the navigation)
 * and the list of their recent proposals (`/proposals`), whose reading marks the reviews seen.
 */
import { and, desc, eq, gt, isNotNull, or, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { decisions, staffUsers, tickets } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { selectDecisionViews, type DecisionView } from './view';

const PROPOSALS_SHOWN = 50;

/** Reviewed by someone else (approved or rejected) after this person last looked at their proposals. */
const unseenReviewOf = (staffId: number, seenAt: Date | null) =>
  and(
    eq(decisions.decidedBy, staffId),
    isNotNull(decisions.approvedBy),
    isNotNull(decisions.decidedAt),
    seenAt ? gt(decisions.decidedAt, seenAt) : undefined,
  );

/** How many of the signed-in person's proposals were approved or rejected since they last looked. */
export async function countUnseenReviews(ctx: Ctx): Promise<number> {
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.work');
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(decisions)
    .innerJoin(staffUsers, eq(staffUsers.id, decisions.decidedBy))
    .where(
      and(
        eq(decisions.decidedBy, actor.id),
        isNotNull(decisions.approvedBy),
        or(isNull(staffUsers.proposalsSeenAt), gt(decisions.decidedAt, staffUsers.proposalsSeenAt)),
      ),
    );
  return row?.n ?? 0;
}

export interface MyProposal extends DecisionView {
  /** Reviewed since the person last looked (shown as new once). */
  isNew: boolean;
  ticketStatus: string;
}

/**
 * The signed-in person's proposals that went to a supervisor (newest first, the last 50), with
 * which reviews are new; reading them marks them seen (the navigation's count goes to 0).
 */
export async function listMyProposals(ctx: Ctx): Promise<MyProposal[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'tickets.work');
    const [me] = await tx.select({ seenAt: staffUsers.proposalsSeenAt }).from(staffUsers).where(eq(staffUsers.id, actor.id)).for('update');
    const ids = await tx
      .select({ id: decisions.id, ticketStatus: tickets.status })
      .from(decisions)
      .innerJoin(tickets, eq(tickets.id, decisions.ticketId))
      .where(and(eq(decisions.decidedBy, actor.id), or(isNotNull(decisions.approvedBy), eq(decisions.state, 'awaiting_approval'))))
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(PROPOSALS_SHOWN);
    if (ids.length === 0) return [];
    const views = await selectDecisionViews(tx, sql`${decisions.id} in ${ids.map((r) => r.id)}`);
    const unseen = new Set(
      (
        await tx
          .select({ id: decisions.id })
          .from(decisions)
          .where(and(unseenReviewOf(actor.id, me?.seenAt ?? null), sql`${decisions.id} in ${ids.map((r) => r.id)}`))
      ).map((r) => r.id),
    );
    await tx.update(staffUsers).set({ proposalsSeenAt: new Date() }).where(eq(staffUsers.id, actor.id));
    const status = new Map(ids.map((r) => [r.id, r.ticketStatus]));
    return views
      .map((v) => ({ ...v, isNew: unseen.has(v.id), ticketStatus: status.get(v.id) ?? '' }))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  });
}

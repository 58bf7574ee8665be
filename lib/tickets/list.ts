import { asc, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { customers, orders, staffUsers, tickets } from '@/db/schema';
import { AREA_ROLES, requireActor, type Ctx } from '@/lib/auth/actor';

/** The most urgent open tickets, deadline first. */
export async function listOpenTickets(ctx: Ctx, limit = 50) {
  const db = await getDb();
  await requireActor(db, ctx, AREA_ROLES.tickets);
  return db
    .select({
      id: tickets.id,
      claim: tickets.claim,
      status: tickets.status,
      openedAt: tickets.openedAt,
      eligibilityDeadline: tickets.eligibilityDeadline,
      suggestedOutcome: tickets.suggestedOutcome,
      customer: customers.username,
      orderNumber: orders.externalId,
      assignee: staffUsers.name,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(eq(tickets.status, 'open'))
    .orderBy(sql`${tickets.eligibilityDeadline} asc nulls last`, asc(tickets.id))
    .limit(limit);
}

export async function countTicketsByStatus(ctx: Ctx) {
  const db = await getDb();
  await requireActor(db, ctx, AREA_ROLES.tickets);
  return db
    .select({ status: tickets.status, count: sql<number>`count(*)::int` })
    .from(tickets)
    .groupBy(tickets.status)
    .orderBy(desc(sql`count(*)`));
}

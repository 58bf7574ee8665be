import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db';
import { customers, orders, payments, services, staffUsers, tickets } from '@/db/schema';
import { AREA_ROLES, requireActor, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { QUEUE_TABS, queueQuerySchema, type QueueQuery } from '@/lib/validation/queue';

export const QUEUE_PAGE_SIZE = 50;

type CursorValue = string | null;

export function encodeCursor(value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [CursorValue, number] {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if ((value === null || typeof value === 'string') && Number.isSafeInteger(id)) return [value, id as number];
  } catch {
    // fall through
  }
  throw new AppError('invalid', 'after: this page link is not valid any more; start again from the first page.');
}

/** Ticket ids, order numbers, customer names or emails and target links that match the search. */
function searchCondition(q: string): SQL {
  const ticketId = /^t?-?(\d{1,15})$/i.exec(q)?.[1];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches: SQL[] = [
    inArray(tickets.customerId, sql`(select ${customers.id} from ${customers} where ${customers.username} ilike ${pattern} or ${customers.email} ilike ${pattern})`),
    ilike(tickets.targetLinkGiven, pattern),
    inArray(tickets.orderId, sql`(select ${orders.id} from ${orders} where ${orders.externalId} = ${q})`),
  ];
  if (ticketId) matches.push(eq(tickets.id, Number(ticketId)));
  return or(...matches)!;
}

/** Every filter except the status tab (the tab counts are taken under the same filters). */
function filterConditions(query: QueueQuery, actorId: number, now: Date): SQL[] {
  const where: SQL[] = [];
  if (query.claim) where.push(eq(tickets.claim, query.claim));
  if (query.outcome) where.push(eq(tickets.suggestedOutcome, query.outcome));
  if (query.assignee === 'me') where.push(eq(tickets.assigneeId, actorId));
  if (query.assignee === 'unassigned') where.push(isNull(tickets.assigneeId));
  if (query.method) where.push(sql`exists (select 1 from ${payments} where ${payments.id} = ${tickets.paymentId} and ${payments.method} = ${query.method})`);
  if (query.overdue) where.push(lt(tickets.eligibilityDeadline, now), ne(tickets.status, 'resolved'));
  if (query.q) where.push(searchCondition(query.q));
  return where;
}

/** Sort order and the keyset condition "after this row" for each sort. */
function sorting(query: QueueQuery) {
  switch (query.sort) {
    case 'opened':
      return {
        orderBy: [desc(tickets.openedAt), desc(tickets.id)],
        cursorOf: (row: { openedAt: Date; id: number }) => encodeCursor(row.openedAt.toISOString(), row.id),
        after: ([value, id]: [CursorValue, number]) => sql`(${tickets.openedAt}, ${tickets.id}) < (${value}::timestamptz, ${id})`,
      };
    case 'amount':
      return {
        orderBy: [sql`${tickets.amountAtStake} desc nulls last`, desc(tickets.id)],
        cursorOf: (row: { amountAtStake: string | null; id: number }) => encodeCursor(row.amountAtStake, row.id),
        after: ([value, id]: [CursorValue, number]) =>
          value === null
            ? sql`(${tickets.amountAtStake} is null and ${tickets.id} < ${id})`
            : sql`((${tickets.amountAtStake}, ${tickets.id}) < (${value}::numeric, ${id}) or ${tickets.amountAtStake} is null)`,
      };
    default:
      return {
        orderBy: [sql`${tickets.eligibilityDeadline} asc nulls last`, asc(tickets.id)],
        cursorOf: (row: { eligibilityDeadline: Date | null; id: number }) => encodeCursor(row.eligibilityDeadline?.toISOString() ?? null, row.id),
        after: ([value, id]: [CursorValue, number]) =>
          value === null
            ? sql`(${tickets.eligibilityDeadline} is null and ${tickets.id} > ${id})`
            : sql`((${tickets.eligibilityDeadline}, ${tickets.id}) > (${value}::timestamptz, ${id}) or ${tickets.eligibilityDeadline} is null)`,
      };
  }
}

/**
 * One page of the ticket queue (keyset pagination, never OFFSET) with the tab counts under the
 * same filters. Listing never runs the policy check: the suggestion and deadline are stored.
 */
export async function listQueue(ctx: Ctx, input: unknown, now = new Date()) {
  const query = parseInput(queueQuerySchema, input);
  const db = await getDb();
  const actor = await requireActor(db, ctx, AREA_ROLES.tickets);
  const filters = filterConditions(query, actor.id, now);
  const { orderBy, cursorOf, after } = sorting(query);

  const pageWhere = [...filters];
  if (query.status !== 'all') pageWhere.push(eq(tickets.status, query.status));
  if (query.after) pageWhere.push(after(decodeCursor(query.after)));

  const [rows, counts] = await Promise.all([
    db
      .select({
        id: tickets.id,
        claim: tickets.claim,
        status: tickets.status,
        openedAt: tickets.openedAt,
        eligibilityDeadline: tickets.eligibilityDeadline,
        suggestedOutcome: tickets.suggestedOutcome,
        amountAtStake: tickets.amountAtStake,
        assigneeId: tickets.assigneeId,
        assigneeName: staffUsers.name,
        customerName: customers.username,
        customerEmail: customers.email,
        orderNumber: orders.externalId,
        orderStatus: orders.status,
        currency: sql<string | null>`coalesce(${orders.currency}, ${payments.currency})`,
        serviceName: services.name,
        paymentMethod: payments.method,
      })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .leftJoin(orders, eq(orders.id, tickets.orderId))
      .leftJoin(services, eq(services.id, orders.serviceId))
      .leftJoin(payments, eq(payments.id, tickets.paymentId))
      .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
      .where(and(...pageWhere))
      .orderBy(...orderBy)
      .limit(QUEUE_PAGE_SIZE + 1),
    db
      .select({ status: tickets.status, n: count() })
      .from(tickets)
      .where(filters.length ? and(...filters) : undefined)
      .groupBy(tickets.status),
  ]);

  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const last = page.at(-1);
  const tabCounts: Partial<Record<(typeof QUEUE_TABS)[number], number>> = Object.fromEntries(counts.map((c) => [c.status, c.n]));
  return {
    query,
    actor,
    rows: page,
    nextCursor: rows.length > QUEUE_PAGE_SIZE && last ? cursorOf(last as never) : null,
    counts: { ...tabCounts, all: counts.reduce((sum, c) => sum + c.n, 0) },
  };
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>['rows'][number];

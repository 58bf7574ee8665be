import { and, asc, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { getDb, withGenericPlans, type Db, type Tx } from '@/db';
import { customers, orders, payments, services, staffUsers, ticketStatusCounts, tickets, type TicketStatus } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { QUEUE_TABS, queueQuerySchema, type QueueQuery } from '@/lib/validation/queue';
import { textProblem } from '@/lib/validation/parse';
import { breachingSoonBefore } from './sla';

export const QUEUE_PAGE_SIZE = 50;
/** Under filters, each tab counts at most this many tickets ("1,000+"): counting a million rows per page is not worth it. */
export const FILTERED_COUNT_CAP = 1000;

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

/**
 * Tickets whose id, order number, customer name or email, or target link match the search. Each
 * part is its own index lookup (trigram for the texts) and their union is joined back, so the
 * planner never walks the whole queue testing every row.
 */
function searchCondition(q: string): SQL {
  // What the queue shows is searchable as shown: `T-15` (a ticket), `#1000240` (an order number).
  const ticketId = /^#?t?-?\s*(\d{1,15})$/i.exec(q)?.[1];
  const orderNumber = q.replace(/^#\s*/, '');
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const t = sql.raw('s_t');
  return inArray(
    tickets.id,
    sql`(select ${t}.id from ${tickets} ${t} where ${t}.customer_id in (select ${customers.id} from ${customers} where ${customers.username} ilike ${pattern} or ${customers.email} ilike ${pattern})
      union all select ${t}.id from ${tickets} ${t} where ${t}.target_link_given ilike ${pattern}
      union all select ${t}.id from ${tickets} ${t} where ${t}.order_id in (select ${orders.id} from ${orders} where ${orders.externalId} = ${orderNumber})
      ${ticketId ? sql`union all select ${Number(ticketId)}::bigint` : sql``})`,
  );
}

const FILTER_NAMES: Record<string, string> = {
  status: 'status tab',
  claim: 'claim',
  outcome: 'suggestion',
  assignee: 'assignee',
  method: 'payment method',
  q: 'search',
  sort: 'sort',
  after: 'page',
  breaching: 'breaching soon',
};

/**
 * The queue's URL, read forgivingly: a value that does not work (a hand-edited or old link) is
 * left out with a sentence saying so, and the queue shows the rest. `overdue=1` (the old name of
 * the breaching-soon filter) still works.
 */
export function parseQueueQuery(input: unknown): { query: QueueQuery; ignored: string[] } {
  const values: Record<string, unknown> = { ...((input ?? {}) as Record<string, unknown>) };
  if (values.overdue !== undefined && values.breaching === undefined) values.breaching = values.overdue;
  delete values.overdue;
  const ignored: string[] = [];
  for (let attempt = 0; attempt < 12; attempt++) {
    const parsed = queueQuerySchema.safeParse(values);
    if (parsed.success) return { query: parsed.data, ignored };
    const keys = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
    for (const key of keys) {
      if (!(key in values)) continue;
      const value = values[key];
      // Text PostgreSQL cannot take (a NUL, a lone surrogate) is named, never echoed back.
      const problem = typeof value === 'string' ? textProblem(value) : null;
      ignored.push(
        problem
          ? `The ${FILTER_NAMES[key] ?? key} is left out: ${problem}`
          : `The ${FILTER_NAMES[key] ?? key} “${String(value).slice(0, 40)}” is not one the queue knows, so it is left out.`,
      );
      delete values[key];
    }
  }
  return { query: queueQuerySchema.parse({}), ignored };
}

/** Every filter except the status tab (the tab counts are taken under the same filters). */
function filterConditions(query: QueueQuery, actorId: number, now: Date): SQL[] {
  const where: SQL[] = [];
  if (query.claim) where.push(eq(tickets.claim, query.claim));
  if (query.outcome) where.push(eq(tickets.suggestedOutcome, query.outcome));
  if (query.assignee === 'me') where.push(eq(tickets.assigneeId, actorId));
  if (query.assignee === 'unassigned') where.push(isNull(tickets.assigneeId));
  if (query.method)
    where.push(
      sql`exists (select 1 from ${payments} where ${payments.id} = ${tickets.paymentId} and ${payments.method} = ${query.method})`,
    );
  // sla_due_at is null for resolved tickets and those waiting for the customer: they never breach.
  if (query.breaching) where.push(lt(tickets.slaDueAt, breachingSoonBefore(now)));
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
        // Exactly the order of tickets_status_amount_desc_idx, so the page is read off the index.
        orderBy: [sql`${tickets.amountAtStake} desc nulls last`, sql`${tickets.id} desc nulls last`],
        cursorOf: (row: { amountAtStake: string | null; id: number }) => encodeCursor(row.amountAtStake, row.id),
        after: ([value, id]: [CursorValue, number]) =>
          value === null
            ? sql`(${tickets.amountAtStake} is null and ${tickets.id} < ${id})`
            : sql`((${tickets.amountAtStake}, ${tickets.id}) < (${value}::numeric, ${id}) or ${tickets.amountAtStake} is null)`,
      };
    case 'sla':
      return {
        // The order of tickets_status_sla_idx: the next service-level due time first, none last.
        orderBy: [sql`${tickets.slaDueAt} asc nulls last`, asc(tickets.id)],
        cursorOf: (row: { slaDueAt: Date | null; id: number }) => encodeCursor(row.slaDueAt?.toISOString() ?? null, row.id),
        after: ([value, id]: [CursorValue, number]) =>
          value === null
            ? sql`(${tickets.slaDueAt} is null and ${tickets.id} > ${id})`
            : sql`((${tickets.slaDueAt}, ${tickets.id}) > (${value}::timestamptz, ${id}) or ${tickets.slaDueAt} is null)`,
      };
    default:
      return {
        orderBy: [sql`${tickets.eligibilityDeadline} asc nulls last`, asc(tickets.id)],
        cursorOf: (row: { eligibilityDeadline: Date | null; id: number }) =>
          encodeCursor(row.eligibilityDeadline?.toISOString() ?? null, row.id),
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
  const { query, ignored } = parseQueueQuery(input);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'tickets.read');
  const filters = filterConditions(query, actor.id, now);
  const { orderBy, cursorOf, after } = sorting(query);

  const pageWhere = [...filters];
  if (query.status !== 'all') pageWhere.push(eq(tickets.status, query.status));
  if (query.after) {
    try {
      pageWhere.push(after(decodeCursor(query.after)));
    } catch {
      ignored.push('That page link is not valid any more, so the queue starts again from the first page.');
      query.after = undefined;
    }
  }

  const pageQuery = (from: Db | Tx) =>
    from
      .select({
        id: tickets.id,
        claim: tickets.claim,
        status: tickets.status,
        openedAt: tickets.openedAt,
        eligibilityDeadline: tickets.eligibilityDeadline,
        slaDueAt: tickets.slaDueAt,
        firstRespondedAt: tickets.firstRespondedAt,
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
      // Written into the statement, not a parameter: a generic plan must know it reads one page.
      .limit(sql.raw(String(QUEUE_PAGE_SIZE + 1)) as unknown as number);

  const [rows, counts] = await Promise.all([
    // Unfiltered, the page is read off the (status, sort) index whatever the values: the plan is kept
    // per connection instead of made again for every page (it took longer to plan than to run).
    // Under filters the best plan depends on the values, so it is planned each time.
    filters.length ? pageQuery(db) : withGenericPlans(db, pageQuery),
    filters.length
      ? // Per status, stop counting at the cap. With LIMIT the planner is tempted to scan the whole
        // table hoping to meet matches early; for a status with few matches that reads every row,
        // so this statement alone is kept on the indexes (claim, outcome, assignee, deadline, search).
        db.transaction(async (tx) => {
          await tx.execute(sql`set local enable_seqscan = off`);
          return tx
            .select({
              status: sql<TicketStatus>`s.status`,
              n: sql<number>`(select count(*)::int from (select 1 from ${tickets} where ${tickets.status} = s.status and ${and(...filters)} limit ${FILTERED_COUNT_CAP}) x)`,
            })
            .from(sql`unnest(enum_range(null::ticket_status)) as s(status)`);
        })
      : db
          .select({ status: ticketStatusCounts.status, n: sql<number>`sum(${ticketStatusCounts.n})::int` })
          .from(ticketStatusCounts)
          .groupBy(ticketStatusCounts.status),
  ]);

  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const last = page.at(-1);
  const tabCounts: Partial<Record<(typeof QUEUE_TABS)[number], number>> = Object.fromEntries(counts.map((c) => [c.status, c.n]));
  return {
    query,
    /** Sentences about the URL's values that were left out because they do not work (shown above the queue). */
    ignored,
    actor,
    rows: page,
    nextCursor: rows.length > QUEUE_PAGE_SIZE && last ? cursorOf(last as never) : null,
    counts: { ...tabCounts, all: counts.reduce((sum, c) => sum + c.n, 0) },
    /** True when the counts stop at FILTERED_COUNT_CAP per tab. */
    areCountsCapped: filters.length > 0,
  };
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>['rows'][number];

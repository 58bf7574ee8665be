/** The panel's orders, one or a batch of up to 100, upserted by the panel's order number. */
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { insertAsJson, pgError, queryRows, type Tx } from '@/db';
import { customers, orderEvents, orders, services, tickets, type Order } from '@/db/schema';
import { record, recordMany, type AuditActor, type AuditInput, type Origin } from '@/lib/audit';
import type { Ctx } from '@/lib/auth/actor';
import { AppError, isAppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { parseInput } from '@/lib/validation/parse';
import { intakeTransaction, unknownCustomer, unknownService } from './common';
import type { UpsertResult } from './catalog';
import { MAX_ORDER_BATCH, orderBatchInputSchema, orderInputSchema, type OrderInput } from './schemas';

export interface OrderBatchItem {
  index: number;
  number: string | null;
  status: 'accepted' | 'refused';
  created?: boolean;
  detail?: string;
  fieldErrors?: Record<string, string[]>;
}
export interface OrderBatchResult {
  accepted: number;
  refused: number;
  results: OrderBatchItem[];
}

const facts = (
  o: Pick<Order, 'customerId' | 'serviceId' | 'link' | 'quantity' | 'startCount' | 'delivered' | 'charge' | 'currency' | 'status'>,
) => ({
  customerId: o.customerId,
  serviceId: o.serviceId,
  link: o.link,
  quantity: o.quantity,
  startCount: o.startCount,
  delivered: o.delivered,
  charge: o.charge,
  currency: o.currency,
  status: o.status,
});

/** The row an order is stored as, given what the desk held before (`before`, locked) and its ids. */
function orderRow(o: OrderInput, before: Order | undefined, customerId: number, serviceId: number, now: Date) {
  const createdAt = new Date(o.createdAt);
  // remains: quantity − delivered (negative: over-delivered); "Unknown" keeps what we knew.
  const delivered = o.remains == null ? (before?.delivered ?? 0) : Math.max(0, o.quantity - o.remains);
  const statusChangedAt = o.statusChangedAt
    ? new Date(o.statusChangedAt)
    : before
      ? before.status === o.status
        ? before.statusChangedAt
        : now
      : createdAt;
  return {
    externalId: o.number,
    customerId,
    serviceId,
    link: o.link,
    quantity: o.quantity,
    startCount: o.startCount === undefined ? (before?.startCount ?? null) : o.startCount,
    delivered,
    charge: o.charge,
    currency: o.currency,
    status: o.status,
    statusChangedAt,
    createdAt,
  };
}
type OrderRow = ReturnType<typeof orderRow>;

/** The timeline rows of one stored order: its creation, or the status change the panel reports this way. */
function timelineOf(before: Order | undefined, order: Order, values: OrderRow): (typeof orderEvents.$inferInsert)[] {
  if (!before) return [{ orderId: order.id, kind: 'created', at: values.createdAt, data: { source: 'intake' } }];
  if (before.status === order.status) return [];
  return [
    {
      orderId: order.id,
      kind: 'status_changed',
      at: values.statusChangedAt,
      data: { from: before.status, to: order.status, source: 'intake' },
    },
  ];
}

/** Whether a stored order's facts differ from what was there before (a new order always does). */
const factsChanged = (before: Order | undefined, order: Order) => !before || JSON.stringify(facts(before)) !== JSON.stringify(facts(order));

/** The audit row of a stored order whose facts changed. */
const importedEvent = (
  who: { audit: AuditActor; origin: Origin },
  before: Order | undefined,
  order: Order,
  values: OrderRow,
  about: number[],
): AuditInput => ({
  actor: who.audit,
  action: 'order.imported',
  entityType: 'order',
  entityId: order.id,
  before: before ? facts(before) : null,
  after: { externalId: order.externalId, ...facts(order), statusChangedAt: values.statusChangedAt, ticketsRefreshed: about },
  origin: who.origin,
});

/** Re-suggests the tickets about an order and tells every open page, at commit. */
async function refreshTickets(tx: Tx, about: number[], now: Date) {
  for (const id of about) {
    await refreshSuggestion(tx, id, now);
    await notifyTicketChanged(tx, { id, kind: 'updated' });
  }
}

/** Stores one parsed order in `tx` (which the caller rolls back on failure). */
async function storeOrder(tx: Tx, o: OrderInput, who: { audit: AuditActor; origin: Origin }, now: Date): Promise<boolean> {
  // The customer and the service in one round trip.
  const [ids] = await queryRows<{ customer_id: number | string | null; service_id: number | string | null }>(
    tx,
    sql`select (select id from ${customers} where external_id = ${o.customer}) as customer_id,
               (select id from ${services} where external_id = ${o.service}) as service_id`,
  );
  if (ids?.customer_id == null) throw unknownCustomer(o.customer);
  if (ids.service_id == null) throw unknownService(o.service);
  const [customerId, serviceId] = [Number(ids.customer_id), Number(ids.service_id)];
  const [before] = await tx.select().from(orders).where(eq(orders.externalId, o.number)).for('update');
  const values = orderRow(o, before, customerId, serviceId, now);
  // A new one is inserted plainly: a parallel insert of the same number fails and runs again as an update.
  const [row] = before
    ? await tx.update(orders).set(values).where(eq(orders.id, before.id)).returning()
    : await tx.insert(orders).values(values).returning();
  const order = row!;
  const timeline = timelineOf(before, order, values);
  if (timeline.length) await tx.insert(orderEvents).values(timeline);

  // Tickets that named this order before it reached the desk are linked to it now.
  const linked = before
    ? []
    : await tx
        .update(tickets)
        .set({ orderId: order.id })
        .where(
          and(eq(tickets.customerId, customerId), isNull(tickets.orderId), sql`btrim(${tickets.orderNumberGiven}, ' #') = ${o.number}`),
        )
        .returning({ id: tickets.id });
  // A new order's tickets are those just linked to it.
  const about = before ? await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, order.id)) : linked;
  const changed = factsChanged(before, order);
  if (changed || linked.length)
    await refreshTickets(
      tx,
      about.map((t) => t.id),
      now,
    );
  if (changed)
    await record(
      tx,
      importedEvent(
        who,
        before,
        order,
        values,
        about.map((t) => t.id),
      ),
    );
  return !before;
}

/** The set-based path met what only the per-item path handles (a parallel insert of the same number). */
class PerItemNeeded extends Error {}

/**
 * Stores the parsed orders of a batch together, one statement per kind of row: the customers,
 * services and (locked) orders they name, one upsert of every order, one insert of their order
 * events, one linking of the tickets that named the new ones, one read of the tickets about the
 * others, and one insert of the audit rows. An order naming an unknown customer or service is
 * refused here; null when two items share a number (they must be applied one after the other).
 * Any failure of a statement throws: the caller rolls this back and stores the items one by one.
 */
async function storeOrdersTogether(
  tx: Tx,
  items: { index: number; order: OrderInput }[],
  who: { audit: AuditActor; origin: Origin },
  now: Date,
): Promise<Map<number, { created: boolean } | { error: AppError }> | null> {
  const numbers = new Set(items.map((i) => i.order.number));
  if (numbers.size < items.length) return null;
  const distinct = (values: string[]) => [...new Set(values)];
  const knownCustomers = await tx
    .select({ id: customers.id, externalId: customers.externalId })
    .from(customers)
    .where(inArray(customers.externalId, distinct(items.map((i) => i.order.customer))));
  const knownServices = await tx
    .select({ id: services.id, externalId: services.externalId })
    .from(services)
    .where(inArray(services.externalId, distinct(items.map((i) => i.order.service))));
  // Locked in one order, so two batches naming the same orders wait for each other instead of deadlocking.
  const stored = await tx
    .select()
    .from(orders)
    .where(inArray(orders.externalId, [...numbers]))
    .orderBy(orders.externalId)
    .for('update');
  const customerIds = new Map(knownCustomers.map((c) => [c.externalId, c.id]));
  const serviceIds = new Map(knownServices.map((s) => [s.externalId, s.id]));
  const befores = new Map(stored.map((o) => [o.externalId, o]));

  const outcome = new Map<number, { created: boolean } | { error: AppError }>();
  const writes: { index: number; before: Order | undefined; values: OrderRow }[] = [];
  for (const { index, order: o } of items) {
    const customerId = customerIds.get(o.customer);
    const serviceId = serviceIds.get(o.service);
    if (customerId === undefined) outcome.set(index, { error: unknownCustomer(o.customer) });
    else if (serviceId === undefined) outcome.set(index, { error: unknownService(o.service) });
    else {
      const before = befores.get(o.number);
      writes.push({ index, before, values: orderRow(o, before, customerId, serviceId, now) });
    }
  }
  if (!writes.length) return outcome;

  // One upsert, the rows as one JSON parameter (a fixed text, prepared once it repeats), sorted by
  // number (two batches inserting the same new numbers in any order wait for each other instead of
  // deadlocking); it updates only the rows locked above (a row a parallel request inserted
  // meanwhile is not returned).
  const set = [
    'customer_id',
    'service_id',
    'link',
    'quantity',
    'start_count',
    'delivered',
    'charge',
    'currency',
    'status',
    'status_changed_at',
    'created_at',
  ];
  const upserted = tx.$with('upserted', getTableColumns(orders)).as(
    sql`${insertAsJson(
      orders,
      writes.map((w) => w.values).sort((a, b) => numberOrder({ number: a.externalId }, { number: b.externalId })),
    )} on conflict (external_id) do update set ${sql.raw(set.map((c) => `${c} = excluded.${c}`).join(', '))}
        where ${orders.id} in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(stored.map((o) => o.id))}::jsonb))
        returning *`,
  );
  const rows = await tx.with(upserted).select().from(upserted);
  const byNumber = new Map(rows.map((r) => [r.externalId, r]));
  const done = writes.map((w) => {
    const order = byNumber.get(w.values.externalId);
    if (!order || (w.before && w.before.id !== order.id)) throw new PerItemNeeded();
    return { ...w, order };
  });

  const timeline = done.flatMap((d) => timelineOf(d.before, d.order, d.values));
  if (timeline.length) await tx.execute(insertAsJson(orderEvents, timeline));

  // The tickets about these orders: those that named a new one before it arrived (linked to it
  // now), and those already linked to an updated one.
  const fresh = done.filter((d) => !d.before);
  const linked = fresh.length
    ? await queryRows<{ id: number | string; order_id: number | string }>(
        tx,
        sql`update ${tickets} t set order_id = x.order_id
            from json_to_recordset(${JSON.stringify(
              fresh.map((d) => ({ order_id: d.order.id, customer_id: d.order.customerId, number: d.order.externalId })),
            )}::json) as x(order_id bigint, customer_id bigint, number text)
            where t.customer_id = x.customer_id and t.order_id is null and btrim(t.order_number_given, ' #') = x.number
            returning t.id, t.order_id`,
      )
    : [];
  const updated = done.filter((d) => d.before).map((d) => d.order.id);
  const linkedBefore = updated.length
    ? await tx.select({ id: tickets.id, orderId: tickets.orderId }).from(tickets).where(inArray(tickets.orderId, updated))
    : [];
  const about = new Map<number, number[]>();
  for (const t of [...linked.map((l) => ({ id: Number(l.id), orderId: Number(l.order_id) })), ...linkedBefore]) {
    about.set(t.orderId!, [...(about.get(t.orderId!) ?? []), t.id]);
  }
  const events: AuditInput[] = [];
  for (const d of done) {
    const ids = (about.get(d.order.id) ?? []).sort((a, b) => a - b);
    const changed = factsChanged(d.before, d.order);
    if (changed || (!d.before && ids.length)) await refreshTickets(tx, ids, now);
    if (changed) events.push(importedEvent(who, d.before, d.order, d.values, ids));
    outcome.set(d.index, { created: !d.before });
  }
  await recordMany(tx, events);
  return outcome;
}

/** `POST /api/v1/orders` with one order: upserted by number; audited `order.imported`. */
export async function upsertOrder(ctx: Ctx, input: unknown): Promise<UpsertResult> {
  const o = parseInput(orderInputSchema, input);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => ({
    id: o.number,
    created: await storeOrder(tx, o, { audit, origin: ctx.origin }, new Date()),
  }));
}

const numberOrder = (a: { number: string }, b: { number: string }) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);

function refusal(error: unknown): Pick<OrderBatchItem, 'detail' | 'fieldErrors'> {
  if (isAppError(error)) return { detail: error.message, ...(error.fieldErrors && { fieldErrors: error.fieldErrors }) };
  console.error('[intake] an order of a batch could not be stored', error);
  return { detail: 'This order could not be stored; nothing of it was written. Check its values and send it again.' };
}

/**
 * `POST /api/v1/orders` with `{ orders: [...] }` (1–100): every order is checked, the good ones are
 * stored together (`storeOrdersTogether`), or one by one with a savepoint each when a statement of
 * that fails, so each order is stored entirely or not at all; answered in the same order: accepted
 * (created or updated) or refused with the reason and its fields.
 */
export async function upsertOrderBatch(ctx: Ctx, input: unknown): Promise<OrderBatchResult> {
  const { orders: items } = parseInput(orderBatchInputSchema, input);
  const parsed = items.map((item) => {
    try {
      return { ok: true as const, order: parseInput(orderInputSchema, item) };
    } catch (error) {
      return { ok: false as const, error };
    }
  });
  const numberOf = (item: unknown) => {
    const n = item && typeof item === 'object' ? (item as Record<string, unknown>).number : undefined;
    return typeof n === 'string' ? n.trim().slice(0, 64) : null;
  };
  if (items.length > MAX_ORDER_BATCH) throw new AppError('invalid', `orders: Give at most ${MAX_ORDER_BATCH} orders per request.`);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    const now = new Date();
    const who = { audit, origin: ctx.origin };
    const valid = parsed.flatMap((p, index) => (p.ok ? [{ index, order: p.order }] : []));
    // All together first (one savepoint around it); when a statement fails, item by item, each in its own savepoint.
    const together = valid.length
      ? await tx
          .transaction((sp) => storeOrdersTogether(sp, valid, who, now))
          .catch((error: unknown) => {
            // A deadlock runs the whole batch again (intakeTransaction).
            if (['40P01', '40001'].includes(pgError(error)?.code ?? '')) throw error;
            return null;
          })
      : new Map<number, { created: boolean } | { error: AppError }>();
    // Item by item when together failed, in order-number order as the upsert above locks them (a
    // stable sort: a repeated number keeps its items' order), so two batches naming the same orders
    // in other orders wait for each other instead of deadlocking.
    const oneByOne = new Map<number, { created: boolean } | { error: unknown }>();
    if (!together)
      for (const { index, order } of [...valid].sort((a, b) => numberOrder(a.order, b.order))) {
        try {
          const store = () => tx.transaction((sp) => storeOrder(sp, order, who, now));
          // A parallel request inserted the same number first: run the item again, as an update.
          const created = await store().catch((error: unknown) => {
            if (pgError(error)?.code === '23505') return store();
            throw error;
          });
          oneByOne.set(index, { created });
        } catch (error) {
          // A deadlock runs the whole batch again (intakeTransaction); anything else refuses this item.
          if (['40P01', '40001'].includes(pgError(error)?.code ?? '')) throw error;
          oneByOne.set(index, { error });
        }
      }
    const results: OrderBatchItem[] = parsed.map((p, index) => {
      if (!p.ok) return { index, number: numberOf(items[index]), status: 'refused', ...refusal(p.error) };
      const done = together?.get(index) ?? oneByOne.get(index)!;
      return 'error' in done
        ? { index, number: p.order.number, status: 'refused', ...refusal(done.error) }
        : { index, number: p.order.number, status: 'accepted', created: done.created };
    });
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { accepted, refused: results.length - accepted, results };
  });
}

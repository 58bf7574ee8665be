/** The panel's orders, one or a batch of up to 100, upserted by the panel's order number. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pgError, type Tx } from '@/db';
import { orderEvents, orders, tickets, type Order } from '@/db/schema';
import { record, type AuditActor, type Origin } from '@/lib/audit';
import type { Ctx } from '@/lib/auth/actor';
import { AppError, isAppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { parseInput } from '@/lib/validation/parse';
import { customerIdOf, intakeTransaction, serviceIdOf } from './common';
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

/** Stores one parsed order in `tx` (which the caller rolls back on failure). */
async function storeOrder(tx: Tx, o: OrderInput, who: { audit: AuditActor; origin: Origin }, now: Date): Promise<boolean> {
  const customerId = await customerIdOf(tx, o.customer);
  const serviceId = await serviceIdOf(tx, o.service);
  const [before] = await tx.select().from(orders).where(eq(orders.externalId, o.number)).for('update');
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
  const values = {
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
  // A new one is inserted plainly: a parallel insert of the same number fails and runs again as an update.
  const [row] = before
    ? await tx.update(orders).set(values).where(eq(orders.id, before.id)).returning()
    : await tx.insert(orders).values(values).returning();
  const order = row!;

  // The timeline: the order's creation, and each status change the panel reports this way.
  if (!before) {
    await tx.insert(orderEvents).values({ orderId: order.id, kind: 'created', at: createdAt, data: { source: 'intake' } });
  } else if (before.status !== order.status) {
    await tx.insert(orderEvents).values({
      orderId: order.id,
      kind: 'status_changed',
      at: statusChangedAt,
      data: { from: before.status, to: order.status, source: 'intake' },
    });
  }

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
  const about = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, order.id));
  const changed = !before || JSON.stringify(facts(before)) !== JSON.stringify(facts(order));
  if (changed || linked.length) {
    for (const { id } of about) {
      await refreshSuggestion(tx, id, now);
      await notifyTicketChanged(tx, { id, kind: 'updated' });
    }
  }
  if (changed) {
    await record(tx, {
      actor: who.audit,
      action: 'order.imported',
      entityType: 'order',
      entityId: order.id,
      before: before ? facts(before) : null,
      after: { externalId: o.number, ...facts(order), statusChangedAt, ticketsRefreshed: about.map((t) => t.id) },
      origin: who.origin,
    });
  }
  return !before;
}

/** `POST /api/v1/orders` with one order: upserted by number; audited `order.imported`. */
export async function upsertOrder(ctx: Ctx, input: unknown): Promise<UpsertResult> {
  const o = parseInput(orderInputSchema, input);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => ({
    id: o.number,
    created: await storeOrder(tx, o, { audit, origin: ctx.origin }, new Date()),
  }));
}

function refusal(error: unknown): Pick<OrderBatchItem, 'detail' | 'fieldErrors'> {
  if (isAppError(error)) return { detail: error.message, ...(error.fieldErrors && { fieldErrors: error.fieldErrors }) };
  console.error('[intake] an order of a batch could not be stored', error);
  return { detail: 'This order could not be stored; nothing of it was written. Check its values and send it again.' };
}

/**
 * `POST /api/v1/orders` with `{ orders: [...] }` (1–100): each order is checked and stored on its
 * own, all or nothing (a savepoint each), and answered in the same order: accepted (created or
 * updated) or refused with the reason and its fields.
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
    const results: OrderBatchItem[] = [];
    for (const [index, p] of parsed.entries()) {
      if (!p.ok) {
        results.push({ index, number: numberOf(items[index]), status: 'refused', ...refusal(p.error) });
        continue;
      }
      try {
        const store = () => tx.transaction((sp) => storeOrder(sp, p.order, { audit, origin: ctx.origin }, now));
        // A parallel request inserted the same number first: run the item again, as an update.
        const created = await store().catch((error: unknown) => {
          if (pgError(error)?.code === '23505') return store();
          throw error;
        });
        results.push({ index, number: p.order.number, status: 'accepted', created });
      } catch (error) {
        // A deadlock runs the whole batch again (intakeTransaction); anything else refuses this item.
        if (['40P01', '40001'].includes(pgError(error)?.code ?? '')) throw error;
        results.push({ index, number: p.order.number, status: 'refused', ...refusal(error) });
      }
    }
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { accepted, refused: results.length - accepted, results };
  });
}

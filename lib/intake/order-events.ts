import { and, eq, max, sql } from 'drizzle-orm';
import { orderEvents, orders, tickets, type Order, type OrderEvent } from '@/db/schema';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { orderEventInputSchema, toCount, toOrderStatus } from '@/lib/validation/intake';
import { parseInput } from '@/lib/validation/parse';
import type { Ctx } from '@/lib/auth/actor';
import { isCancelConfirmed, settleCancel } from '@/lib/decisions/settle';
import { intakeTransaction } from './common';

export interface RecordedOrderEvent {
  /** True when an event with this event id was already recorded for the order: nothing changed. */
  duplicate: boolean;
  event: { id: number; eventId: string | null; kind: OrderEvent['kind']; at: string; data: Record<string, unknown> };
  order: { number: string; status: Order['status']; delivered: number; startCount: number | null; statusChangedAt: string };
  /** Whether the event changed the order's facts (an event older than the order's newest is only added to the timeline). */
  applied: boolean;
  ticketsRefreshed: number;
}

const orderView = (
  order: Pick<Order, 'externalId' | 'status' | 'delivered' | 'startCount' | 'statusChangedAt'>,
): RecordedOrderEvent['order'] => ({
  number: order.externalId,
  status: order.status,
  delivered: order.delivered,
  startCount: order.startCount,
  statusChangedAt: order.statusChangedAt.toISOString(),
});

const eventView = (event: OrderEvent): RecordedOrderEvent['event'] => ({
  id: event.id,
  eventId: typeof event.data.eventId === 'string' ? event.data.eventId : null,
  kind: event.kind,
  at: event.at.toISOString(),
  data: event.data,
});

/**
 * Records one order event reported by the panel, in one transaction: the order row is locked (so
 * the same event id posted twice at once is recorded once: the second sees the first), the event
 * joins the timeline, the order's status / delivered / start count / status time follow what the
 * event carries, every ticket about the order gets its stored suggestion recomputed and a live
 * notice, and an audit row names the API key.
 *
 * - Idempotent by `eventId` (or `data.eventId`), per order: a repeat returns the first recording.
 * - `status_changed` sets the status from `data.to` or `data.status` (our words or the panel's).
 * - `data.delivered` (or `data.remains`, as quantity − remains) sets the delivered count;
 *   `data.startCount` the start count.
 * - An event older than the order's newest event is kept in the timeline but does not change the
 *   order: late reports never roll its state back.
 */
export async function recordOrderEvent(ctx: Ctx, input: unknown): Promise<RecordedOrderEvent> {
  const parsed = parseInput(orderEventInputSchema, input);
  const eventId = parsed.eventId ?? (typeof parsed.data.eventId === 'string' ? parsed.data.eventId.trim() : undefined) ?? null;
  const at = new Date(parsed.at);
  const data: Record<string, unknown> = eventId ? { ...parsed.data, eventId } : parsed.data;
  // The order is locked before the tickets it settles or refreshes (decisions lock ticket, then order):
  // PostgreSQL breaks such a cycle as a deadlock, and the event is simply recorded again (intakeTransaction).
  return intakeTransaction(ctx, 'orders.events.write', async ({ tx, audit }) => {
    const [order] = await tx.select().from(orders).where(eq(orders.externalId, parsed.orderNumber)).for('update');
    if (!order) throw new AppError('not_found', `There is no order with number "${parsed.orderNumber}".`);

    if (eventId) {
      const [existing] = await tx
        .select()
        .from(orderEvents)
        .where(and(eq(orderEvents.orderId, order.id), sql`${orderEvents.data} ->> 'eventId' = ${eventId}`))
        .limit(1);
      if (existing) {
        if (existing.kind !== parsed.kind) {
          throw new AppError('conflict', `Event id "${eventId}" was already used for a ${existing.kind} event of this order.`, {
            eventId: [`Already used for a ${existing.kind} event.`],
          });
        }
        return { duplicate: true, event: eventView(existing), order: orderView(order), applied: false, ticketsRefreshed: 0 };
      }
    }

    const [newest] = await tx
      .select({ at: max(orderEvents.at) })
      .from(orderEvents)
      .where(eq(orderEvents.orderId, order.id));
    const isNewest = !newest?.at || at.getTime() >= newest.at.getTime();

    const changes: Partial<Pick<Order, 'status' | 'statusChangedAt' | 'delivered' | 'startCount'>> = {};
    if (isNewest) {
      // A cancel answer carries the order's status too: cancelled, or (refused) where it stands now.
      const status =
        parsed.kind === 'status_changed'
          ? toOrderStatus(data.to !== undefined ? data.to : data.status)
          : parsed.kind === 'cancel_result'
            ? typeof data.status === 'string' && isCancelConfirmed(data.status)
              ? 'canceled'
              : toOrderStatus(data.orderStatus)
            : null;
      if (status && status !== order.status && at.getTime() >= order.statusChangedAt.getTime()) {
        changes.status = status;
        changes.statusChangedAt = at;
      }
      const remains = toCount(data.remains, { signed: true });
      const delivered = toCount(data.delivered) ?? (remains === null ? null : Math.max(0, order.quantity - remains));
      if (delivered !== null && delivered !== order.delivered) changes.delivered = delivered;
      const startCount = toCount(data.startCount);
      if (startCount !== null && startCount !== order.startCount) changes.startCount = startCount;
    }

    const [event] = await tx.insert(orderEvents).values({ orderId: order.id, kind: parsed.kind, at, data }).returning();
    const after = Object.keys(changes).length
      ? (await tx.update(orders).set(changes).where(eq(orders.id, order.id)).returning())[0]!
      : order;

    // The panel's answer to a cancel the desk sent settles the decision that asked for it (lib/decisions/settle.ts).
    const settled =
      parsed.kind === 'cancel_result'
        ? await settleCancel(
            tx,
            {
              orderId: order.id,
              orderNumber: order.externalId,
              requestEventId: typeof data.requestEventId === 'string' ? data.requestEventId : null,
              status: typeof data.status === 'string' ? data.status : '',
              message: typeof data.message === 'string' ? data.message : null,
              refunded: typeof data.refunded === 'string' ? data.refunded : null,
            },
            { actor: audit, origin: ctx.origin },
          )
        : [];

    const ticketRows = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, order.id));
    const now = new Date();
    for (const { id } of ticketRows) {
      await refreshSuggestion(tx, id, now);
      await notifyTicketChanged(tx, { id, kind: 'updated' });
    }

    const facts = (o: Order) => ({
      status: o.status,
      delivered: o.delivered,
      startCount: o.startCount,
      statusChangedAt: o.statusChangedAt,
    });
    await record(tx, {
      actor: audit,
      action: 'order.event_recorded',
      entityType: 'order',
      entityId: order.id,
      before: facts(order),
      after: {
        ...facts(after),
        event: { id: event!.id, kind: event!.kind, at, eventId, data: parsed.data },
        applied: isNewest,
        ticketsRefreshed: ticketRows.map((t) => t.id),
        cancelsSettled: settled,
      },
      reason: isNewest ? null : 'Older than the order’s newest event: added to the timeline without changing the order.',
      origin: ctx.origin,
    });
    return {
      duplicate: false,
      event: eventView(event!),
      order: orderView(after),
      applied: isNewest,
      ticketsRefreshed: ticketRows.length,
    };
  });
}

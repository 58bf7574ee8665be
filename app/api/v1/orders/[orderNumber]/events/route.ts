import { created, jsonObject, route } from '@/lib/http';
import { recordOrderEvent } from '@/lib/intake/order-events';

function decodeParam(value: string): string {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

/**
 * POST /api/v1/orders/{orderNumber}/events — the panel reports what happened to an order.
 * `Authorization: Bearer <API key with the order-events scope>`; body `{ eventId?, kind, at, data }`.
 * 201 with the recorded event and the order's facts; 200 with `duplicate: true` for an event id seen
 * before; with an `Idempotency-Key` header a repeat gets the first answer (the same key with another
 * body: 409); problem+json otherwise (401 key, 403 scope, 404 order, 409 event id reused for another
 * kind, 413 too large, 400 not JSON, 422 naming the field).
 */
export const POST = route<{ orderNumber: string }>(
  { auth: { apiKey: 'orders.events.write' }, idempotent: true },
  async ({ ctx, body, params }) => {
    const input = jsonObject(body, '{ eventId?, kind, at, data }');
    const result = await recordOrderEvent(ctx, { ...input, orderNumber: decodeParam(params.orderNumber) });
    return result.duplicate ? result : created(result);
  },
);

import { z } from 'zod';

/** The order event kinds (db/schema/panel.ts `order_event_kind`; a test keeps the two lists equal). */
export const ORDER_EVENT_KINDS = [
  'created',
  'status_changed',
  'partial_delivery',
  'provider_error',
  'refill_requested',
  'refill_result',
  'cancel_requested',
  'cancel_result',
  'drop_noticed',
  'reprocess_sent',
] as const;
export type OrderEventKindInput = (typeof ORDER_EVENT_KINDS)[number];

export type OrderStatusValue = 'submitted' | 'processing' | 'partial' | 'completed' | 'canceled';

/** Our order statuses and the panel's ("API v2") words for them, lower case. */
const STATUS_WORDS: Record<string, OrderStatusValue> = {
  submitted: 'submitted',
  pending: 'submitted',
  processing: 'processing',
  'in progress': 'processing',
  inprogress: 'processing',
  partial: 'partial',
  completed: 'completed',
  canceled: 'canceled',
  cancelled: 'canceled',
  refunded: 'canceled',
  fail: 'canceled',
  failed: 'canceled',
  error: 'canceled',
};

/** An order status from our own word or the panel's (`In progress`, `Cancelled`, `Fail`…); null if unknown. */
export function toOrderStatus(value: unknown): OrderStatusValue | null {
  if (typeof value !== 'string') return null;
  return (
    STATUS_WORDS[
      value
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, ' ')
    ] ?? null
  );
}

/** A whole number given as a number or as digits (panels send counts as strings); null otherwise. */
export function toCount(value: unknown, { signed = false } = {}): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && (signed ? /^\s*-?\d{1,12}\s*$/ : /^\s*\d{1,12}\s*$/).test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n) || (!signed && n < 0)) return null;
  return n;
}

const FUTURE_TOLERANCE_MS = 5 * 60_000;
const eventIdSchema = z
  .string({ error: 'Give the event id as a string.' })
  .trim()
  .min(1, 'The event id is empty.')
  .max(200, 'The event id is longer than 200 characters.');

/**
 * The body of `POST /api/v1/orders/{orderNumber}/events` (plus the order number from the path):
 * `{ eventId?, kind, at, data }`. `data` is kept as the panel sent it; the fields the desk reads
 * from it are checked here: `to` / `status` of a status change, `delivered`, `startCount`, `eventId`.
 */
export const orderEventInputSchema = z
  .object({
    orderNumber: z
      .string({ error: 'Give the panel’s order number.' })
      .trim()
      .min(1, 'Give the panel’s order number.')
      .max(64, 'The order number is longer than 64 characters.'),
    eventId: eventIdSchema.optional(),
    kind: z.enum(ORDER_EVENT_KINDS, { error: `Use one of: ${ORDER_EVENT_KINDS.join(', ')}.` }),
    at: z.iso.datetime({ offset: true, error: 'Give the time as ISO 8601 with a time zone, for example 2026-11-27T16:00:00Z.' }),
    data: z.record(z.string(), z.unknown(), { error: 'Give data as a JSON object (it may be empty).' }).default({}),
  })
  .superRefine((input, ctx) => {
    if (new Date(input.at).getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'The time is in the future.' });
    }
    const { data } = input;
    if (data.eventId !== undefined) {
      const parsed = eventIdSchema.safeParse(data.eventId);
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['data', 'eventId'], message: parsed.error.issues[0]!.message });
      else if (input.eventId !== undefined && parsed.data !== input.eventId) {
        ctx.addIssue({ code: 'custom', path: ['data', 'eventId'], message: 'eventId and data.eventId differ; give one of them.' });
      }
    }
    if (data.delivered !== undefined && data.delivered !== null && toCount(data.delivered) === null) {
      ctx.addIssue({ code: 'custom', path: ['data', 'delivered'], message: 'Give the delivered count as a whole number, 0 or more.' });
    }
    if (data.startCount !== undefined && data.startCount !== null && toCount(data.startCount) === null) {
      ctx.addIssue({ code: 'custom', path: ['data', 'startCount'], message: 'Give the start count as a whole number, 0 or more.' });
    }
    if (input.kind === 'status_changed') {
      const field = data.to !== undefined ? 'to' : 'status';
      if (toOrderStatus(data[field]) === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', field],
          message:
            data[field] === undefined
              ? 'A status change needs the new status in data.to (or data.status).'
              : 'Unknown status: use submitted, processing, partial, completed or canceled (or the panel’s Pending, In progress, Partial, Completed, Canceled).',
        });
      }
    }
    if (input.kind === 'partial_delivery' && data.delivered == null && toCount(data.remains, { signed: true }) === null) {
      ctx.addIssue({ code: 'custom', path: ['data', 'delivered'], message: 'A partial delivery needs data.delivered (or data.remains).' });
    }
  });

export type OrderEventInput = z.input<typeof orderEventInputSchema>;

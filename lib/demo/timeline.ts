/**
 * One order and its timeline: created → (provider errors) → processing → deliveries → final
 * status, then what happens after (drops, refill and cancel requests and their results). Event
 * times strictly increase and never pass `limitMs` (the anchor).
 */
import { centsToDecimal, chargeCents, refundCents } from './money';
import type { Rng } from './random';
import type { IdCursor, OrderEventRow, OrderRow, OrderStatus, SeedService } from './rows';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface OrderPlan {
  service: SeedService;
  customerId: number;
  link: string;
  quantity: number;
  status: OrderStatus;
  /** A canceled order that the provider reported as `Fail`. */
  failed?: boolean;
  createdMs: number;
  /** When the last status change happened: creation for `submitted`, start for `processing`. */
  statusMs: number;
  /** Share delivered for `processing` and `partial` orders. */
  deliveredShare?: number;
  /** Provider errors before the order started (or instead of starting). */
  errors?: number;
  /** No refund recorded with the partial / canceled status ("partial not refunded"). */
  noRefund?: boolean;
  cancel?: { atMs: number; result: 'Canceled' | 'Rejected' | null };
  refill?: { atMs: number; result: 'Completed' | 'Rejected' | 'Error' | null };
  drop?: { atMs: number; share: number };
  /** Events never go past this time. */
  limitMs: number;
}

export interface BuiltOrder {
  row: OrderRow;
  chargeCents: number;
  /** The count the target showed before the order (null while not started). */
  startCount: number | null;
  /** The count after a drop, when one was noticed. */
  droppedTo: number | null;
}

/** Errors any provider gives, whatever the platform. */
const START_ERRORS_ANY = [
  '{"error":"Not enough funds on balance"}',
  '{"error":"Not enough funds on balance"}',
  '{"error":"Link duplicate: You have active order with this link. Please wait until order being completed."}',
  '{"error":"The selected service id is disabled"}',
  'Link is private',
  'Incorrect link',
  '{"error":"Incorrect request"}',
  'Timeout: provider did not answer',
];

/** What a provider says about the target, in the words of the service's platform. */
const PLATFORM_ERRORS: Record<string, readonly string[]> = {
  Instagram: ['Instagram account is private', 'Username not found', 'Post not found'],
  TikTok: ['TikTok account is private', 'Username not found', 'Video not found'],
  YouTube: ['Video not found', 'Channel not found', 'Video is private or age-restricted'],
  Telegram: ['Channel not found', 'Telegram channel is private', 'Post not found in channel'],
  X: ['X account is protected', 'Username not found', 'Post not found'],
};

const platformErrors = (platform: string) => PLATFORM_ERRORS[platform] ?? ['Username not found'];
const startErrors = (platform: string) => [...START_ERRORS_ANY, ...platformErrors(platform)];
const cancelReasons = (platform: string) => [
  'Link is private',
  'Incorrect link',
  'Account restricted',
  'Service is temporarily unavailable',
  ...platformErrors(platform),
];

const FAIL_MESSAGES = ['Fail', 'Error', '{"error":"Order failed, please try again"}', 'Provider error: service down'];

const REFILL_REJECTIONS = [
  'Refill rejected: current count is above start count + quantity',
  'Refill rejected: link changed or account private',
  'Refill rejected: overlapping order on the same link',
  'Refill period expired',
  '{"error":"Refill is disabled for this service"}',
  'Refill already requested',
];

const CANCEL_REJECTIONS = [
  'Order cannot be canceled: already in progress',
  '{"error":"Cancel is disabled for this service"}',
  'Order already completed',
];

const PROVIDER_STATUS: Record<OrderStatus, string> = {
  submitted: 'Pending',
  processing: 'In progress',
  partial: 'Partial',
  completed: 'Completed',
  canceled: 'Canceled',
};

/** A believable count on the target before the order. */
export function startCountFor(rng: Rng, metric: string): number {
  switch (metric) {
    case 'followers':
    case 'subscribers':
    case 'members':
      return Math.round(rng.logNormal(1_800, 25_000));
    case 'views':
      return Math.round(rng.logNormal(900, 20_000));
    case 'watch_hours':
      return Math.round(rng.logNormal(300, 2_500));
    default:
      return Math.round(rng.logNormal(60, 1_200));
  }
}

export function buildOrder(rng: Rng, plan: OrderPlan, ids: IdCursor, events: OrderEventRow[]): BuiltOrder {
  const id = ++ids.order;
  const { service, quantity, status } = plan;
  const cents = chargeCents(service.rateE4, quantity);
  const charge = centsToDecimal(cents);
  let last = plan.createdMs - 1;
  /** Adds an event at `atMs` (at least a second after the previous one); null when that is past the limit. */
  const push = (kind: OrderEventRow['kind'], atMs: number, data: Record<string, unknown>): number | null => {
    const at = Math.round(Math.max(atMs, last + 1_000));
    if (at > plan.limitMs) return null;
    last = at;
    events.push({ id: ++ids.orderEvent, orderId: id, kind, at: new Date(at), data });
    return at;
  };

  const started = status !== 'submitted' && !(status === 'canceled' && !plan.deliveredShare && rng.chance(0.6));
  const startCount = started ? startCountFor(rng, service.metric) : null;
  let delivered = 0;
  if (status === 'completed') delivered = rng.chance(0.04) ? quantity + Math.ceil(quantity * rng.real(0.005, 0.05)) : quantity;
  else if (status === 'partial') delivered = clamp(Math.round(quantity * (plan.deliveredShare ?? rng.real(0.1, 0.9))), 1, quantity - 1);
  else if (status === 'processing') delivered = clamp(Math.round(quantity * (plan.deliveredShare ?? 0)), 0, quantity - 1);

  let statusAt =
    push('created', plan.createdMs, { quantity, via: rng.chance(0.55) ? 'api' : 'web', service: service.externalId }) ?? plan.createdMs;

  const errors = plan.errors ?? 0;
  const startMs = status === 'submitted' ? plan.statusMs : startTime(rng, plan);
  for (let i = 0; i < errors; i++) {
    const at = plan.createdMs + ((startMs - plan.createdMs) * (i + 1)) / (errors + 1);
    push('provider_error', at, { message: rng.pick(startErrors(service.platform)), attempt: i + 1 });
  }

  // Cancel asked for while the order was still pending or running.
  const cancelBeforeEnd = plan.cancel && (status === 'canceled' || status === 'submitted' || status === 'processing');
  if (started) {
    statusAt =
      push('status_changed', startMs, {
        from: 'submitted',
        to: 'processing',
        providerStatus: rng.pick(['In progress', 'Processing']),
        startCount,
      }) ?? statusAt;
  }

  if (status === 'processing' || status === 'partial' || status === 'completed') {
    // A few progress reports between the start and the end (or now, for a running order).
    const endMs = status === 'processing' ? Math.min(plan.limitMs, startMs + rng.real(0.2, 3) * DAY) : plan.statusMs;
    const steps = delivered > 0 && quantity >= 500 && rng.chance(0.5) ? rng.int(1, 3) : 0;
    for (let i = 1; i <= steps; i++) {
      const part = Math.floor((delivered * i) / (steps + 1));
      if (part <= 0) continue;
      push('partial_delivery', startMs + ((endMs - startMs) * i) / (steps + 1), { delivered: part, remains: quantity - part });
    }
  }

  if (cancelBeforeEnd && plan.cancel) {
    const at = push('cancel_requested', plan.cancel.atMs, { via: rng.pick(['button', 'api', 'support']) });
    if (at !== null && plan.cancel.result === 'Rejected') {
      push('cancel_result', at + rng.real(1, 90) * MINUTE, { status: 'Rejected', message: rng.pick(CANCEL_REJECTIONS) });
    } else if (at !== null && plan.cancel.result === 'Canceled') {
      // Confirmed before the order's own status change to canceled.
      push('cancel_result', at + Math.max(1_000, (plan.statusMs - at) / 2), { status: 'Canceled' });
    }
  }

  if (status === 'partial' || status === 'completed' || status === 'canceled') {
    const data: Record<string, unknown> = {
      from: started ? 'processing' : 'submitted',
      to: status,
      providerStatus: PROVIDER_STATUS[status],
    };
    if (status === 'canceled' && plan.failed) {
      push('provider_error', plan.statusMs - rng.real(1, 30) * MINUTE, {
        providerStatus: rng.pick(['Fail', 'Error']),
        message: rng.pick(FAIL_MESSAGES),
      });
      data.providerStatus = 'Fail';
    } else if (status === 'canceled' && !plan.cancel && rng.chance(0.6)) {
      push('provider_error', plan.statusMs - rng.real(1, 60) * MINUTE, { message: rng.pick(cancelReasons(service.platform)) });
    }
    if (status === 'partial') data.remains = String(quantity - delivered);
    if (status === 'completed') data.remains = String(quantity - delivered);
    if (status === 'partial' && !plan.noRefund) data.refunded = centsToDecimal(refundCents(cents, quantity - delivered, quantity));
    if (status === 'canceled' && !plan.noRefund) data.refunded = charge;
    // What the provider charged the panel, with the many decimals providers report.
    data.providerCharge = (Number(charge) * rng.real(0.35, 0.8)).toFixed(5);
    statusAt = push('status_changed', plan.statusMs, data) ?? statusAt;
  }

  // After completion: a drop noticed, a refill asked for, a late cancel request.
  let droppedTo: number | null = null;
  const after: { atMs: number; run: () => void }[] = [];
  if (plan.drop && startCount !== null) {
    const expected = startCount + delivered;
    const current = Math.max(startCount - rng.int(0, Math.ceil(startCount * 0.02)), expected - Math.round(delivered * plan.drop.share));
    droppedTo = current;
    const drop = plan.drop;
    after.push({ atMs: drop.atMs, run: () => push('drop_noticed', drop.atMs, { expected, current, dropped: expected - current }) });
  }
  if (plan.refill) {
    const refill = plan.refill;
    const refillId = String(rng.int(100_000, 9_999_999));
    after.push({
      atMs: refill.atMs,
      run: () => {
        const at = push('refill_requested', refill.atMs, { refillId, via: rng.pick(['button', 'api', 'support']) });
        if (at !== null && refill.result) {
          const data: Record<string, unknown> = { refillId, status: refill.result };
          if (refill.result === 'Rejected') data.message = rng.pick(REFILL_REJECTIONS);
          if (refill.result === 'Error') data.message = '{"error":"Refill failed, try later"}';
          push('refill_result', at + rng.real(0.5, 48) * HOUR, data);
        }
      },
    });
  }
  if (plan.cancel && !cancelBeforeEnd) {
    const cancel = plan.cancel;
    after.push({
      atMs: cancel.atMs,
      run: () => {
        const at = push('cancel_requested', cancel.atMs, { via: rng.pick(['button', 'api', 'support']) });
        if (at !== null && cancel.result)
          push('cancel_result', at + rng.real(1, 120) * MINUTE, { status: 'Rejected', message: rng.pick(CANCEL_REJECTIONS) });
      },
    });
  }
  after.sort((a, b) => a.atMs - b.atMs);
  for (const step of after) step.run();

  const row: OrderRow = {
    id,
    externalId: String(1_000_000 + id * 5 + rng.int(0, 4)),
    customerId: plan.customerId,
    serviceId: service.id,
    link: plan.link,
    quantity,
    startCount,
    delivered,
    charge,
    currency: 'USD',
    status,
    statusChangedAt: new Date(statusAt),
    createdAt: new Date(plan.createdMs),
  };
  return { row, chargeCents: cents, startCount, droppedTo };
}

/** When the provider started: minutes after creation, well before the end. */
function startTime(rng: Rng, plan: OrderPlan): number {
  if (plan.status === 'processing') return plan.statusMs;
  const span = Math.max(0, plan.statusMs - plan.createdMs);
  const typical = rng.logNormal(8 * MINUTE, 90 * MINUTE);
  return plan.createdMs + Math.min(span * 0.4, typical);
}

export const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/** A quantity as customers pick it: log-normal around the service's typical size, often round, within min/max. */
export function orderQuantity(rng: Rng, service: SeedService): number {
  let q = rng.logNormal(service.typicalQty, service.typicalQty * 10);
  if (rng.chance(0.7)) {
    const step = q >= 10_000 ? 5_000 : q >= 1_000 ? 500 : q >= 100 ? 50 : 5;
    q = Math.round(q / step) * step;
  }
  return clamp(Math.round(q), service.min, service.max);
}

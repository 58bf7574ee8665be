/** How the ticket page words deliveries to the panel. Pure functions, tested on their own. */
import type { Tone } from '@/components/ui/badge';
import { formatDuration } from '@/lib/dates';
import type { ProviderJobKind } from '@/lib/labels';

export const DELIVERY_KIND_LABEL: Record<ProviderJobKind, string> = {
  reprocess: 'Reprocess order',
  refill: 'Refill order',
  cancel: 'Cancel order',
  credit_granted: 'Balance credit',
  credit_reversed: 'Credit reversed',
  account_suspended: 'Account suspended',
  customer_reply: 'Reply to customer',
  audit_checkpoint: 'Audit checkpoint',
};

export interface DeliveryLike {
  state: 'pending' | 'delivered' | 'failed' | 'withdrawn';
  attempts: number;
  nextAttemptAt: Date | null;
}

/** A job due this long ago and still never tried is stuck: no worker is sending (or none can reach the panel). */
export const STUCK_AFTER_MS = 3 * 60_000;

/** Due for longer than STUCK_AFTER_MS and not delivered: worth a flag on the page. */
export function isStuck(delivery: DeliveryLike, now: Date): boolean {
  return (
    delivery.state === 'pending' && delivery.nextAttemptAt !== null && now.getTime() - delivery.nextAttemptAt.getTime() > STUCK_AFTER_MS
  );
}

/** The state badge: Delivered, Failed, Queued (never tried yet), Retrying once an attempt failed, Not sent when stuck. */
export function deliveryBadge(delivery: DeliveryLike, now?: Date): { label: string; tone: Tone } {
  if (delivery.state === 'delivered') return { label: 'Delivered', tone: 'success' };
  if (delivery.state === 'failed') return { label: 'Failed', tone: 'danger' };
  if (delivery.state === 'withdrawn') return { label: 'Withdrawn', tone: 'neutral' };
  if (now && isStuck(delivery, now)) return { label: 'Not sent', tone: 'danger' };
  if (delivery.attempts > 0) return { label: 'Retrying', tone: 'warning' };
  return { label: 'Queued', tone: 'info' };
}

/**
 * "sending now" when just due, "in 40 s" / "in 5 min" otherwise, and "overdue 12 min: is the worker
 * running?" when due for minutes; null when no attempt is planned.
 */
export function describeNextAttempt(delivery: DeliveryLike, now: Date): string | null {
  if (delivery.state !== 'pending' || !delivery.nextAttemptAt) return null;
  const ms = delivery.nextAttemptAt.getTime() - now.getTime();
  if (isStuck(delivery, now)) return `overdue ${formatDuration(ms)}: is the outbox worker running and the panel URL set?`;
  if (ms <= 1_000) return 'sending now';
  if (ms < 60_000) return `in ${Math.ceil(ms / 1000)} s`;
  return `in ${formatDuration(ms)}`;
}

export const attemptsLabel = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

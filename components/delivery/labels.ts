/** How the ticket page words deliveries to the panel. Pure functions, tested on their own. */
import type { Tone } from '@/components/ui/badge';
import { formatDuration } from '@/lib/dates';

export const DELIVERY_KIND_LABEL: Record<string, string> = {
  reprocess: 'Reprocess order',
  refill: 'Refill order',
  cancel: 'Cancel order',
  credit_granted: 'Balance credit',
  credit_reversed: 'Credit reversed',
  account_suspended: 'Account suspended',
  customer_reply: 'Reply to customer',
};

export interface DeliveryLike {
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
}

/** The state badge: Delivered, Failed, Pending, or Retrying once an attempt has failed. */
export function deliveryBadge(delivery: DeliveryLike): { label: string; tone: Tone } {
  if (delivery.state === 'delivered') return { label: 'Delivered', tone: 'success' };
  if (delivery.state === 'failed') return { label: 'Failed', tone: 'danger' };
  if (delivery.attempts > 0) return { label: 'Retrying', tone: 'warning' };
  return { label: 'Pending', tone: 'info' };
}

/** "sending now" when due, "in 40 s" / "in 5 min" otherwise; null when no attempt is planned. */
export function describeNextAttempt(delivery: DeliveryLike, now: Date): string | null {
  if (delivery.state !== 'pending' || !delivery.nextAttemptAt) return null;
  const ms = delivery.nextAttemptAt.getTime() - now.getTime();
  if (ms <= 1_000) return 'sending now';
  if (ms < 60_000) return `in ${Math.ceil(ms / 1000)} s`;
  return `in ${formatDuration(ms)}`;
}

export const attemptsLabel = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

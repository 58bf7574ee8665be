/**
 * How the ticket page words order events and times. Pure functions, no React, so they are easy to
 * test and cheap to call from server components.
 */
import { labelOf, type OrderEventKind } from '@/lib/labels';

export const EVENT_LABEL: Record<OrderEventKind, string> = {
  created: 'Order created',
  status_changed: 'Status changed',
  partial_delivery: 'Partial delivery',
  provider_error: 'Provider error',
  refill_requested: 'Refill requested',
  refill_result: 'Refill result',
  cancel_requested: 'Cancel requested',
  cancel_result: 'Cancel result',
  drop_noticed: 'Drop noticed',
  reprocess_sent: 'Reprocess sent',
};

export type EventTone = 'neutral' | 'progress' | 'problem' | 'request' | 'done';

export const EVENT_TONE: Record<OrderEventKind, EventTone> = {
  created: 'neutral',
  status_changed: 'progress',
  partial_delivery: 'progress',
  provider_error: 'problem',
  refill_requested: 'request',
  refill_result: 'done',
  cancel_requested: 'request',
  cancel_result: 'done',
  drop_noticed: 'problem',
  reprocess_sent: 'request',
};

/** Bytes as kilobytes with one decimal: "47.1 KB" (1 KB = 1024 bytes). */
export function formatKb(bytes: number): string {
  return `${(bytes / 1024).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`;
}

export const formatCount = (n: number) => n.toLocaleString('en');

/** A provider message, which panels often send as raw JSON `{"error": "..."}`: its text, and whether it was JSON. */
export function readProviderMessage(message: string): { text: string; isJson: boolean } {
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      const text = parsed.error ?? parsed.message ?? parsed.status;
      if (typeof text === 'string') return { text, isJson: true };
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  return { text: message, isJson: false };
}

const FACT_LABEL: Record<string, string> = {
  quantity: 'Quantity',
  startCount: 'Start count',
  delivered: 'Delivered',
  remains: 'Remains',
  refunded: 'Refunded',
  providerStatus: 'Provider status',
  providerCharge: 'Provider charge',
  expected: 'Expected count',
  current: 'Count now',
  dropped: 'Dropped',
  refillId: 'Refill id',
  attempt: 'Attempt',
  via: 'Via',
  service: 'Service id',
  status: 'Status',
  count: 'Count',
};

const NUMERIC = new Set(['quantity', 'startCount', 'delivered', 'remains', 'expected', 'current', 'dropped', 'count']);

export interface EventFact {
  key: string;
  label: string;
  value: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * An event's data as a title, an optional provider message, and labelled facts (counts with
 * thousands separators). Keys the page does not know are shown as they are, never dropped.
 */
export function describeEvent(kind: string, data: Record<string, unknown>) {
  let title = labelOf(EVENT_LABEL, kind);
  const rest = { ...data };
  if (kind === 'status_changed' && typeof rest.to === 'string') {
    title = typeof rest.from === 'string' ? `Status: ${rest.from} → ${rest.to}` : `Status: ${rest.to}`;
    delete rest.from;
    delete rest.to;
  }
  if ((kind === 'refill_result' || kind === 'cancel_result') && typeof rest.status === 'string') {
    title = `${EVENT_LABEL[kind]}: ${rest.status}`;
    delete rest.status;
  }
  let message: { text: string; isJson: boolean; raw: string } | null = null;
  if (typeof rest.message === 'string') {
    message = { ...readProviderMessage(rest.message), raw: rest.message };
    delete rest.message;
  }
  const facts: EventFact[] = Object.entries(rest).map(([key, value]) => {
    const numeric = NUMERIC.has(key) && (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value)));
    return { key, label: FACT_LABEL[key] ?? key, value: numeric ? formatCount(Number(value)) : show(value) };
  });
  return { title, message, facts };
}

/** Refill on a service: "30 days", "Lifetime", "None". */
export function describeRefill(refillDays: number | null): string {
  if (refillDays === null) return 'None';
  if (refillDays === 0) return 'Lifetime';
  return `${refillDays} day${refillDays === 1 ? '' : 's'}`;
}

/**
 * Plays the simulated panel (./world.ts) into a running Refund Desk at a steady rate through the
 * HTTP API only, with a progress line and a summary.
 */
import { percentile, send, type Answer } from './http';
import { World, type RequestKind, type SimRequest } from './world';

export interface SimulateOptions {
  url: string;
  key: string;
  /** Requests per second. */
  rate: number;
  /** How long; Infinity until stopped (signal). */
  minutes: number;
  seed: number;
  idPrefix: string;
  /** Senders at once (default: enough for the rate at half-second answers, at least 8). */
  concurrency?: number;
  ticketShare?: number;
  /** Progress and summary lines. */
  log?: (line: string) => void;
  /** Rewrites the progress line in place (a terminal) instead of one line every 10 s. */
  tty?: boolean;
  signal?: AbortSignal;
  /** Every answered request (after its retries): a caller that needs what was made (an end-to-end test) reads it here. */
  onAnswer?: (request: SimRequest, answer: Answer) => void;
}

export interface SimStats {
  sent: number;
  accepted: number;
  refused: number;
  rateLimited: number;
  errors: number;
  itemsAccepted: number;
  itemsRefused: number;
  byKind: Record<string, { accepted: number; refused: number }>;
  reasons: Map<string, number>;
  latencies: number[];
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Paces requests at `rate` per second, all paused together after a 429. */
export class Pacer {
  private nextAt = 0;
  private pausedUntil = 0;
  constructor(private readonly rate: number) {}
  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt, this.pausedUntil);
    this.nextAt = at + 1000 / this.rate;
    if (at > now) await sleep(at - now);
  }
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

function reasonOf(answer: Answer): string {
  const body = answer.body as { detail?: string; code?: string } | null;
  const detail = typeof body === 'object' && body?.detail ? body.detail : String(answer.body ?? '');
  return `${answer.status} ${detail.slice(0, 100)}`;
}

export async function simulate(options: SimulateOptions): Promise<SimStats> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const world = new World({ seed: options.seed, idPrefix: options.idPrefix, ticketShare: options.ticketShare });
  const pacer = new Pacer(options.rate);
  const stats: SimStats = {
    sent: 0,
    accepted: 0,
    refused: 0,
    rateLimited: 0,
    errors: 0,
    itemsAccepted: 0,
    itemsRefused: 0,
    byKind: {},
    reasons: new Map(),
    latencies: [],
    elapsedMs: 0,
  };
  const started = Date.now();
  const endAt = started + options.minutes * 60_000;
  const sender = {
    baseUrl: options.url,
    key: options.key,
    beforeEach: () => pacer.take(),
    onRetryAfter: (ms: number) => pacer.pause(ms),
  };
  let fatal: string | null = null;
  const running = () => !fatal && Date.now() < endAt && !options.signal?.aborted;

  const count = (kind: RequestKind, ok: boolean) => {
    const k = (stats.byKind[kind] ??= { accepted: 0, refused: 0 });
    if (ok) k.accepted++;
    else k.refused++;
  };

  async function one(request: SimRequest): Promise<boolean> {
    const answer = await send(sender, request);
    stats.sent += answer.attempts;
    stats.rateLimited += answer.rateLimited;
    stats.latencies.push(answer.ms);
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok) stats.accepted++;
    else if (answer.status === 0 || answer.status >= 500) stats.errors++;
    else stats.refused++;
    if (!ok) stats.reasons.set(reasonOf(answer), (stats.reasons.get(reasonOf(answer)) ?? 0) + 1);
    if (answer.status === 401) fatal = `The key was refused (401): ${reasonOf(answer)}`;
    if (answer.status === 403 && request.kind === 'event' && world.eventsEnabled) {
      world.eventsEnabled = false;
      log('  (the key lacks the order-events scope: status changes go as order updates from now on)');
    } else if (answer.status === 403) fatal = `The key lacks a scope (403): ${reasonOf(answer)}`;
    if (request.kind === 'order_batch' && ok) {
      const body = answer.body as { accepted?: number; refused?: number };
      stats.itemsAccepted += body.accepted ?? 0;
      stats.itemsRefused += body.refused ?? 0;
    }
    count(request.kind, ok);
    world.settle(request, ok);
    options.onAnswer?.(request, answer);
    return ok;
  }

  async function worker() {
    while (running()) {
      for (const request of world.next()) {
        if (!(await one(request))) break;
      }
    }
  }

  const progress = () => {
    const s = (Date.now() - started) / 1000;
    const line = `[${s.toFixed(0).padStart(4)} s] sent ${stats.sent} · accepted ${stats.accepted} · refused ${stats.refused} · 429 ${stats.rateLimited} · errors ${stats.errors} · ${(stats.sent / Math.max(s, 0.001)).toFixed(1)} req/s · tickets ${stats.byKind.ticket?.accepted ?? 0}`;
    if (options.tty) process.stderr.write(`\r${line}\x1b[K`);
    else log(line);
  };
  const timer = setInterval(progress, options.tty ? 1000 : 10_000);
  try {
    // Enough senders that the rate holds at half-second answers.
    await Promise.all(Array.from({ length: options.concurrency ?? Math.max(8, Math.ceil(options.rate / 2)) }, () => worker()));
  } finally {
    clearInterval(timer);
    if (options.tty) process.stderr.write('\n');
  }
  stats.elapsedMs = Date.now() - started;
  if (fatal) log(`Stopped: ${fatal}`);
  for (const line of summary(stats)) log(line);
  return stats;
}

export function summary(stats: SimStats): string[] {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const s = stats.elapsedMs / 1000;
  const lines = [
    `Summary: ${stats.sent} requests in ${s.toFixed(1)} s (${(stats.sent / Math.max(s, 0.001)).toFixed(1)} req/s): ${stats.accepted} accepted, ${stats.refused} refused, ${stats.rateLimited} answered 429 (waited and retried), ${stats.errors} errors (5xx or no answer).`,
    `Latency (incl. retries): p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms.`,
    ...(stats.itemsAccepted + stats.itemsRefused
      ? [`Batched orders: ${stats.itemsAccepted} accepted, ${stats.itemsRefused} refused.`]
      : []),
    'By kind (accepted / refused):',
    ...Object.entries(stats.byKind)
      .sort()
      .map(([kind, c]) => `  ${kind.padEnd(16)} ${String(c.accepted).padStart(7)} / ${c.refused}`),
  ];
  if (stats.reasons.size) {
    lines.push('Most common refusals:');
    for (const [reason, n] of [...stats.reasons].sort((a, b) => b[1] - a[1]).slice(0, 8))
      lines.push(`  ${String(n).padStart(6)} × ${reason}`);
  }
  return lines;
}

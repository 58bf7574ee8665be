/**
 * One intake request over HTTP, as a careful panel sends it: JSON with `Authorization: Bearer`, an
 * `Idempotency-Key` (kept across retries), waiting `Retry-After` on 429, retrying "still being
 * worked on" (409) and network failures with the same key.
 */
import type { SimRequest } from './world';

export interface Answer {
  status: number; // 0: no answer (network)
  body: unknown;
  ms: number;
  /** HTTP requests it took (retries included). */
  attempts: number;
  /** 429s met on the way. */
  rateLimited: number;
}

export interface Sender {
  baseUrl: string;
  key: string;
  /** Called with the wait when the server says 429 (so a pacer can pause everyone). */
  onRetryAfter?: (ms: number) => void;
  /** Waits before each HTTP request (pacing); resolves when it may go. */
  beforeEach?: () => Promise<void>;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds of `Retry-After` (delta-seconds or an HTTP date) in ms; at least 100 ms. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(100, s * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(100, at - now) : 1000;
}

export async function send(sender: Sender, request: SimRequest): Promise<Answer> {
  const url = `${sender.baseUrl.replace(/\/$/, '')}/api/v1${request.path}`;
  const payload = JSON.stringify(request.body);
  let attempts = 0;
  let rateLimited = 0;
  let networkFailures = 0;
  let busy = 0;
  const started = performance.now();
  for (;;) {
    await sender.beforeEach?.();
    attempts++;
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${sender.key}`,
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
        },
        body: payload,
        signal: AbortSignal.timeout(sender.timeoutMs ?? 30_000),
      });
    } catch (error) {
      if (++networkFailures <= 3) {
        await sleep(500 * networkFailures);
        continue;
      }
      return { status: 0, body: { detail: (error as Error).message }, ms: performance.now() - started, attempts, rateLimited };
    }
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 429) {
      rateLimited++;
      const wait = retryAfterMs(response.headers.get('retry-after'));
      sender.onRetryAfter?.(wait);
      await sleep(wait);
      continue;
    }
    // The same request still being worked on (a retry raced the first copy): ask again shortly.
    if (response.status === 409 && /still being worked on|in progress/i.test(JSON.stringify(body)) && ++busy <= 10) {
      await sleep(200 * busy);
      continue;
    }
    return { status: response.status, body, ms: performance.now() - started, attempts, rateLimited };
  }
}

/** p-th percentile (0–100) of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * Limits on live traffic, per app instance (each instance protects its own memory and fan-out;
 * presence and streams are passing screen state, so nothing needs counting across instances).
 */

/** At most `limit` events per key within a sliding window of `windowMs`. */
export class WindowLimiter {
  private readonly hits = new Map<string | number, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`; false when the key is over its limit (the event is not counted). */
  take(key: string | number): boolean {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) for (const [k, times] of this.hits) if (!times.some((at) => now - at < this.windowMs)) this.hits.delete(k);
    return true;
  }
}

/**
 * Clients beat every 20 s and on every ticket or queue they open or leave (three updates a page):
 * an agent moving fast through tickets sends about one a second, so 600 a minute only stops a
 * runaway client (each update is one small upsert).
 */
export const presenceLimiter = new WindowLimiter(600, 60_000);

/** Live streams one person may hold open on one instance (tabs, windows). */
export const MAX_STREAMS_PER_USER = 8;
const openStreams = new Map<number, number>();

/** Takes one of the user's stream slots; returns its release, or null when all are in use. */
export function acquireStream(userId: number): (() => void) | null {
  const open = openStreams.get(userId) ?? 0;
  if (open >= MAX_STREAMS_PER_USER) return null;
  openStreams.set(userId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openStreams.get(userId) ?? 1) - 1;
    if (left <= 0) openStreams.delete(userId);
    else openStreams.set(userId, left);
  };
}

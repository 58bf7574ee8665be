/**
 * Dates and durations, in one place: absolute times in UTC with a fixed locale (the server and the
 * browser render the same text), relative times against a `now` the caller passes in. Pure.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 4 h", "5 h", "12 min": a duration in its two largest units. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= DAY) {
    const days = Math.floor(abs / DAY);
    const hours = Math.floor((abs % DAY) / HOUR);
    return hours ? `${days} d ${hours} h` : `${days} d`;
  }
  if (abs >= HOUR) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.max(1, Math.floor(abs / MINUTE))} min`;
}

/** Time left until a deadline: overdue ones say by how much; under a day counts as soon. */
export function timeLeft(deadline: Date, now: Date) {
  const ms = deadline.getTime() - now.getTime();
  return { label: ms < 0 ? `overdue ${formatDuration(ms)}` : `${formatDuration(ms)} left`, isOverdue: ms < 0, isSoon: ms >= 0 && ms < DAY };
}

const UTC_PARTS = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' } as const;
const UTC_SECONDS = new Intl.DateTimeFormat('en-GB', { ...UTC_PARTS, second: '2-digit' });
const UTC_MINUTES = new Intl.DateTimeFormat('en-GB', UTC_PARTS);

/** "27 Nov 2026, 15:40:58 UTC": for title attributes. */
export const formatUtc = (date: Date) => `${UTC_SECONDS.format(date)} UTC`;

/** "27 Nov 2026, 15:40 UTC": an absolute time on the page. */
export const formatUtcMinutes = (date: Date) => `${UTC_MINUTES.format(date)} UTC`;

/** Where an instant sits relative to a reference: "3 d 4 h after order", "at order", "2 h before order". */
export function relativeTo(at: Date, reference: Date, what = 'order'): string {
  const ms = at.getTime() - reference.getTime();
  if (Math.abs(ms) < MINUTE) return `at ${what}`;
  return `${formatDuration(ms)} ${ms > 0 ? 'after' : 'before'} ${what}`;
}

/** "3 d ago", "in 5 h", "just now". */
export function relativeToNow(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  if (Math.abs(ms) < MINUTE) return 'just now';
  return ms > 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(ms)}`;
}

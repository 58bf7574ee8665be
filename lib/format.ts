const HOUR = 3_600_000;
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
  return `${Math.max(1, Math.floor(abs / 60_000))} min`;
}

/** Time left until a deadline: overdue ones say by how much; under a day counts as soon. */
export function timeLeft(deadline: Date, now: Date) {
  const ms = deadline.getTime() - now.getTime();
  return { label: ms < 0 ? `overdue ${formatDuration(ms)}` : `${formatDuration(ms)} left`, isOverdue: ms < 0, isSoon: ms >= 0 && ms < DAY };
}

/** A decimal string as money, without floating point: "1234.5" → "1,234.50 USD". */
export function formatMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount == null) return '—';
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}${currency ? ` ${currency}` : ''}`;
}

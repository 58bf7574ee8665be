/**
 * ISO-8601 instants, exact to the nanosecond, without `Date.parse` (which reads a zoneless
 * date-time as local time). Accepted: `YYYY-MM-DD`, optionally followed by `T` (or `t`) and
 * `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fffffffff` (1–9 fraction digits, `.` or `,`), optionally
 * followed by `Z`, `±hh`, `±hhmm` or `±hh:mm`. No zone means UTC; a date alone means midnight UTC.
 */

export const MS_PER_DAY = 86_400_000;

/** Milliseconds since the Unix epoch plus the nanoseconds inside that millisecond. */
export interface Instant {
  readonly ms: number;
  /** 0 … 999 999 */
  readonly ns: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Reads two decimal digits at `i`; -1 when either is not a digit (or is past the end). */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48; // NaN past the end
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Parses an ISO-8601 instant; null when the text is not one (or names an impossible date). */
export function parseInstant(s: string): Instant | null {
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const year = century * 100 + yearOfCentury;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return null;
  const monthDays = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > monthDays) return null;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (len === 10) return { ms, ns: 0 };

  const t = s.charCodeAt(10);
  if ((t !== 84 && t !== 116) || len < 16 || s.charCodeAt(13) !== 58) return null;
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  ms += hour * 3_600_000 + minute * 60_000;
  let i = 16;
  let ns = 0;
  if (i < len && s.charCodeAt(i) === 58) {
    const second = twoDigits(s, i + 1);
    if (second < 0 || second > 59 || i + 3 > len) return null;
    ms += second * 1000;
    i += 3;
    const sep = s.charCodeAt(i);
    if (i < len && (sep === 46 || sep === 44)) {
      let n = 0;
      let frac = 0;
      i++;
      while (i < len && n < 10) {
        const c = s.charCodeAt(i) - 48;
        if (!(c >= 0 && c <= 9)) break;
        frac = frac * 10 + c;
        n++;
        i++;
      }
      if (n === 0 || n > 9) return null;
      frac *= 10 ** (9 - n); // nanoseconds within the second
      ms += Math.floor(frac / 1_000_000);
      ns = frac % 1_000_000;
    }
  }
  if (i === len) return { ms, ns };

  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === len) return { ms, ns };
  if (z !== 43 && z !== 45) return null;
  const oh = twoDigits(s, i + 1);
  if (oh < 0 || oh > 23) return null;
  let om = 0;
  const rest = len - (i + 3);
  if (rest === 3 && s.charCodeAt(i + 3) === 58) om = twoDigits(s, i + 4);
  else if (rest === 2) om = twoDigits(s, i + 3);
  else if (rest !== 0) return null;
  if (om < 0 || om > 59) return null;
  const offset = (oh * 60 + om) * 60_000;
  return { ms: z === 43 ? ms - offset : ms + offset, ns };
}

export function addDays(t: Instant, days: number): Instant {
  return { ms: t.ms + days * MS_PER_DAY, ns: t.ns };
}

/** True when `a` is strictly later than `b`. */
export function isAfter(a: Instant, b: Instant): boolean {
  return a.ms > b.ms || (a.ms === b.ms && a.ns > b.ns);
}

export function earlier(a: Instant, b: Instant): Instant {
  return isAfter(a, b) ? b : a;
}

/** Year, month, day of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number, width: number): string {
  if (width === 2 && n >= 0 && n < 100) return n < 10 ? `0${n}` : `${n}`;
  return String(n).padStart(width, '0');
}

interface Parts {
  date: string; // YYYY-MM-DD
  hm: string; // hh:mm
  seconds: number;
  /** nanoseconds within the second */
  fraction: number;
}

function partsOf(t: Instant): Parts {
  const days = Math.floor(t.ms / MS_PER_DAY);
  const inDay = t.ms - days * MS_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  const minutes = Math.floor(inDay / 60_000);
  const inMinute = inDay - minutes * 60_000;
  return {
    date: `${y < 0 || y > 9999 ? (y < 0 ? '-' : '+') + pad(Math.abs(y), 6) : pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`,
    hm: `${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`,
    seconds: Math.floor(inMinute / 1000),
    fraction: (inMinute % 1000) * 1_000_000 + t.ns,
  };
}

/** Fraction digits without trailing zeros, at least `min` of them. */
function fractionDigits(nanos: number, min: number): string {
  let s = pad(nanos, 9);
  while (s.length > min && s.endsWith('0')) s = s.slice(0, -1);
  return s;
}

/** `2026-07-05T10:00:00.000Z` (as `Date#toISOString`); sub-millisecond digits kept when present. */
export function formatInstant(t: Instant): string {
  const p = partsOf(t);
  return `${p.date}T${p.hm}:${pad(p.seconds, 2)}.${fractionDigits(p.fraction, 3)}Z`;
}

/** `2026-07-05 10:00 UTC` for sentences read aloud (seconds only when not zero). */
export function describeInstant(t: Instant): string {
  const p = partsOf(t);
  if (p.seconds === 0 && p.fraction === 0) return `${p.date} ${p.hm} UTC`;
  const fraction = p.fraction === 0 ? '' : `.${fractionDigits(p.fraction, 0)}`;
  return `${p.date} ${p.hm}:${pad(p.seconds, 2)}${fraction} UTC`;
}

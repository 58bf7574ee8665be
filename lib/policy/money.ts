/**
 * Exact decimal money. A decimal string is read as an integer count of 10^-scale units (BigInt),
 * so no arithmetic ever goes through a JS float. Results are rounded down to the cent.
 */

/** Non-negative decimal: up to 18 integer digits, optionally `.` and 1–18 fraction digits. */
export const DECIMAL_PATTERN = /^\d{1,18}(?:\.\d{1,18})?$/;

export interface Decimal {
  /** value × 10^scale */
  readonly units: bigint;
  readonly scale: number;
}

const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

export function isDecimal(s: string): boolean {
  return DECIMAL_PATTERN.test(s);
}

/** Parses a string that matches DECIMAL_PATTERN (callers validate first). */
export function parseDecimal(s: string): Decimal {
  const dot = s.indexOf('.');
  if (dot < 0) return { units: BigInt(s), scale: 0 };
  return { units: BigInt(s.slice(0, dot) + s.slice(dot + 1)), scale: s.length - dot - 1 };
}

/** The value in whole cents, rounded down. */
export function toCentsDown(d: Decimal): bigint {
  return (d.units * 100n) / pow10(d.scale);
}

/** `value × numerator / denominator` in whole cents, rounded down (all operands ≥ 0). */
export function prorateCentsDown(d: Decimal, numerator: number, denominator: number): bigint {
  return (d.units * BigInt(numerator) * 100n) / (pow10(d.scale) * BigInt(denominator));
}

/** True when `cents / 100` is strictly greater than `d`. */
export function centsAbove(cents: bigint, d: Decimal): boolean {
  return cents * pow10(d.scale) > d.units * 100n;
}

/** `750n` → `"7.50"`. */
export function formatCents(cents: bigint): string {
  const whole = cents / 100n;
  const part = cents % 100n;
  return `${whole}.${part < 10n ? '0' : ''}${part}`;
}

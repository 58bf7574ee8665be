/**
 * Signed money with two decimals, exactly: a decimal string is read as a whole number of cents
 * (BigInt), so nothing ever goes through a JavaScript float. Pure: the server, the shared schemas
 * and client components all use it.
 */

/** `-12.5`, `0.07`, `10000.00`: an optional minus, digits, optionally a dot and one or two digits. */
const SIGNED_CENTS = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/;

/** "12.50" → 1250n, "-0.07" → -7n. Throws on anything else (callers validate first). */
export function toCents(amount: string): bigint {
  const match = SIGNED_CENTS.exec(amount.trim());
  if (!match) throw new TypeError(`not an amount with at most two decimals: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** 1250n → "12.50", -7n → "-0.07". */
export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const part = abs % 100n;
  return `${negative ? '-' : ''}${abs / 100n}.${part < 10n ? '0' : ''}${part}`;
}

/** a + b, both decimal strings with at most two decimals. */
export const addMoney = (a: string, b: string) => fromCents(toCents(a) + toCents(b));

/** a − b, both decimal strings with at most two decimals. */
export const subtractMoney = (a: string, b: string) => fromCents(toCents(a) - toCents(b));

/** −1, 0 or 1 as a is below, equal to or above b. */
export function compareMoney(a: string, b: string): -1 | 0 | 1 {
  const d = toCents(a) - toCents(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

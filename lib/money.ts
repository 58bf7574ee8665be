/**
 * Money, in one place: decimal strings read as whole cents (BigInt) so nothing goes through a
 * JavaScript float; compared and added exactly; shown with `Intl.NumberFormat` in a fixed locale, so
 * the server and the browser render the same text. Pure: server code, shared schemas and client
 * components all use it. Built on the policy check's own decimal reader (`lib/policy/money`).
 */
import { parseDecimal, toCentsDown } from '@/lib/policy/money';

/** `-12.5`, `0.07`, `10000.00`: an optional minus, digits, optionally a dot and one or two digits. */
const MONEY_PATTERN = /^-?\d{1,15}(?:\.\d{1,2})?$/;

/** Whether a string is an amount this module reads: at most two decimals, optionally negative. */
export const isMoney = (amount: string) => MONEY_PATTERN.test(amount.trim());

/** "12.50" → 1250n, "-0.07" → -7n. Throws on anything else (callers validate first). */
export function parseMoney(amount: string): bigint {
  const value = amount.trim();
  if (!MONEY_PATTERN.test(value)) throw new TypeError(`not an amount with at most two decimals: ${JSON.stringify(amount)}`);
  const cents = toCentsDown(parseDecimal(value.replace('-', '')));
  return value.startsWith('-') ? -cents : cents;
}

/** 1250n → "12.50", -7n → "-0.07". */
export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The former name of `parseMoney`, kept for the ledger code that reads it so. */
export const toCents = parseMoney;

/** a + b, both decimal strings with at most two decimals. */
export const addMoney = (a: string, b: string) => fromCents(parseMoney(a) + parseMoney(b));

/** a − b, both decimal strings with at most two decimals. */
export const subtractMoney = (a: string, b: string) => fromCents(parseMoney(a) - parseMoney(b));

/** −1, 0 or 1 as a is below, equal to or above b. */
export function compareMoney(a: string, b: string): -1 | 0 | 1 {
  const d = parseMoney(a) - parseMoney(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The locale every amount is shown in, on the server and in the browser alike. */
const LOCALE = 'en-US';
const PLAIN = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2, roundingMode: 'trunc' });
const byCurrency = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string | null | undefined): Intl.NumberFormat {
  if (!currency) return PLAIN;
  let format = byCurrency.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencyDisplay: 'code', roundingMode: 'trunc' });
    } catch {
      format = PLAIN; // not a currency code Intl knows the shape of: two decimals
    }
    byCurrency.set(currency, format);
  }
  return format;
}

/**
 * A decimal string as money: "1234.5", "USD" → "1,234.50 USD"; "-12.345", null → "−12.34". Grouped
 * thousands and the currency's own decimals (from `Intl.NumberFormat`), the code after the figure,
 * a true minus sign; extra decimals are cut, never rounded. `null` → "—".
 */
export function formatMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount == null) return '—';
  const negative = amount.trim().startsWith('-');
  const [whole = '0', fraction = ''] = amount.trim().replace('-', '').split('.');
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction)) return `${amount}${currency ? ` ${currency}` : ''}`;
  // The figure as an exact decimal string (Intl reads strings without going through a float).
  const exact = `${whole || '0'}.${fraction.padEnd(2, '0').slice(0, 2)}` as `${number}`;
  const text = formatterFor(currency)
    .formatToParts(exact)
    .filter((part) => part.type !== 'currency' && part.type !== 'literal')
    .map((part) => part.value)
    .join('');
  return `${negative ? '−' : ''}${text}${currency ? ` ${currency}` : ''}`;
}

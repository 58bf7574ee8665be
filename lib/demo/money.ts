/**
 * Money in integer units: cents for amounts (numeric(14,2)), ten-thousandths for service rates
 * (numeric(14,4)). Stored values are always made from integers, never from floats.
 */

/** `1234` → `"12.34"`. */
export function centsToDecimal(cents: number | bigint): string {
  const value = BigInt(cents);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = abs / 100n;
  const frac = abs % 100n;
  return `${sign}${whole}.${frac.toString().padStart(2, '0')}`;
}

/** `20000` (ten-thousandths) → `"2.0000"`. */
export function rateToDecimal(rateE4: number): string {
  const whole = Math.floor(rateE4 / 10_000);
  const frac = rateE4 % 10_000;
  return `${whole}.${String(frac).padStart(4, '0')}`;
}

/** `"2.5"` / `"2.5000"` → 25000 ten-thousandths. */
export function decimalToRateE4(text: string): number {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new Error(`not a rate: ${text}`);
  return Number(match[1]) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'));
}

/** `"12.34"` → 1234 cents. */
export function decimalToCents(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not an amount: ${text}`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

/**
 * What the panel charges: rate × quantity / 1000, rounded half up to the cent, at least 0.01.
 * rate is in ten-thousandths, so cents = rateE4 × quantity / 100 000.
 */
export function chargeCents(rateE4: number, quantity: number): number {
  const scaled = BigInt(rateE4) * BigInt(quantity);
  const cents = (scaled + 50_000n) / 100_000n;
  return cents < 1n ? 1 : Number(cents);
}

/** What a partial order gives back: charge × remains / quantity, rounded down to the cent. */
export function refundCents(charge: number, remains: number, quantity: number): number {
  if (quantity <= 0 || remains <= 0) return 0;
  return Number((BigInt(charge) * BigInt(remains)) / BigInt(quantity));
}

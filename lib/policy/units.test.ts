/** Exact decimals and ISO-8601 instants. */
import { describe, expect, it } from 'vitest';
import { centsAbove, formatCents, isDecimal, parseDecimal, prorateCentsDown, toCentsDown } from './money';
import { addDays, describeInstant, formatInstant, isAfter, parseInstant } from './time';

describe('money', () => {
  it('reads decimal strings exactly and rounds down to the cent', () => {
    expect(toCentsDown(parseDecimal('12.50'))).toBe(1250n);
    expect(toCentsDown(parseDecimal('12.5'))).toBe(1250n);
    expect(toCentsDown(parseDecimal('12'))).toBe(1200n);
    expect(toCentsDown(parseDecimal('0.019999999'))).toBe(1n);
    expect(toCentsDown(parseDecimal('0.1'))).toBe(10n); // 0.1 is exact here, unlike a float
    expect(toCentsDown(parseDecimal('999999999999999999.999999999999999999'))).toBe(99999999999999999999n);
  });

  it('prorates without floats: 0.1 + 0.2 style errors cannot happen', () => {
    expect(formatCents(prorateCentsDown(parseDecimal('0.30'), 1, 1))).toBe('0.30');
    expect(formatCents(prorateCentsDown(parseDecimal('12.50'), 600, 1000))).toBe('7.50');
    expect(formatCents(prorateCentsDown(parseDecimal('10'), 2, 3))).toBe('6.66');
    expect(formatCents(prorateCentsDown(parseDecimal('1.15'), 1, 1))).toBe('1.15'); // 1.15 * 100 = 114.999… as a float
  });

  it('formats exactly two decimals', () => {
    expect(formatCents(0n)).toBe('0.00');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(1234567n)).toBe('12345.67');
  });

  it('compares strictly', () => {
    expect(centsAbove(5000n, parseDecimal('50.00'))).toBe(false);
    expect(centsAbove(5001n, parseDecimal('50.00'))).toBe(true);
    expect(centsAbove(5001n, parseDecimal('50.005'))).toBe(true);
    expect(centsAbove(5000n, parseDecimal('49.999'))).toBe(true);
  });

  it('accepts only plain non-negative decimals', () => {
    for (const ok of ['0', '12', '12.5', '12.50', '0.123456789']) expect(isDecimal(ok)).toBe(true);
    for (const bad of ['', '.5', '5.', '-1', '+1', '1e2', '1,5', ' 1', '1 ', 'NaN', '0x10']) expect(isDecimal(bad)).toBe(false);
  });
});

describe('time', () => {
  it('reads a time without zone as UTC and a date alone as midnight UTC', () => {
    expect(parseInstant('2026-06-28T10:00:00')).toEqual(parseInstant('2026-06-28T10:00:00Z'));
    expect(parseInstant('2026-06-28T10:00')).toEqual({ ms: Date.UTC(2026, 5, 28, 10), ns: 0 });
    expect(parseInstant('2026-06-28')).toEqual({ ms: Date.UTC(2026, 5, 28), ns: 0 });
  });

  it('applies offsets and keeps nanoseconds', () => {
    expect(parseInstant('2026-06-28T12:30:00+02:30')).toEqual({ ms: Date.UTC(2026, 5, 28, 10), ns: 0 });
    expect(parseInstant('2026-06-28T08:00:00-0200')).toEqual({ ms: Date.UTC(2026, 5, 28, 10), ns: 0 });
    expect(parseInstant('2026-06-28T10:00:00.5Z')).toEqual({ ms: Date.UTC(2026, 5, 28, 10) + 500, ns: 0 });
    expect(parseInstant('2026-06-28T10:00:00,123456789z')).toEqual({ ms: Date.UTC(2026, 5, 28, 10) + 123, ns: 456_789 });
  });

  it('agrees with Date for many instants', () => {
    for (let ms = Date.UTC(1899, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 7_777_777_777) {
      const iso = new Date(ms).toISOString();
      expect(parseInstant(iso)).toEqual({ ms, ns: 0 });
      expect(formatInstant({ ms, ns: 0 })).toBe(iso);
    }
    expect(parseInstant('2024-02-29T00:00:00Z')).not.toBeNull();
    expect(parseInstant('2000-02-29T00:00:00Z')).not.toBeNull();
    expect(parseInstant('1900-02-29T00:00:00Z')).toBeNull();
  });

  it('counts exact 24-hour days and compares to the nanosecond', () => {
    const t = parseInstant('2026-06-28T10:00:00Z');
    expect(t).not.toBeNull();
    if (t === null) return;
    const deadline = addDays(t, 7);
    expect(formatInstant(deadline)).toBe('2026-07-05T10:00:00.000Z');
    expect(isAfter(deadline, deadline)).toBe(false);
    expect(isAfter({ ms: deadline.ms, ns: 1 }, deadline)).toBe(true);
    expect(describeInstant(deadline)).toBe('2026-07-05 10:00 UTC');
    expect(describeInstant({ ms: deadline.ms + 1500, ns: 0 })).toBe('2026-07-05 10:00:01.5 UTC');
  });
});

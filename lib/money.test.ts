import { describe, expect, it } from 'vitest';
import { addMoney, compareMoney, formatMoney, fromCents, isMoney, parseMoney, subtractMoney } from './money';

describe('parseMoney and fromCents', () => {
  it('read and write signed cents exactly', () => {
    expect(parseMoney('12.5')).toBe(1250n);
    expect(parseMoney(' -0.07 ')).toBe(-7n);
    expect(parseMoney('10000')).toBe(1_000_000n);
    expect(fromCents(-7n)).toBe('-0.07');
    expect(fromCents(123456n)).toBe('1234.56');
    expect(fromCents(0n)).toBe('0.00');
    expect(() => parseMoney('1.234')).toThrow(TypeError);
    expect(() => parseMoney('abc')).toThrow(TypeError);
    expect(isMoney('7.5')).toBe(true);
    expect(isMoney('7.555')).toBe(false);
  });

  it('add, subtract and compare without floats', () => {
    expect(addMoney('0.10', '0.20')).toBe('0.30');
    expect(subtractMoney('5.00', '7.25')).toBe('-2.25');
    expect(subtractMoney('-1.00', '-1.00')).toBe('0.00');
    expect(compareMoney('50.00', '50')).toBe(0);
    expect(compareMoney('50.01', '50.00')).toBe(1);
  });
});

describe('formatMoney', () => {
  it('groups thousands and keeps two decimals without floats', () => {
    expect(formatMoney('1234567.5', 'USD')).toBe('1,234,567.50 USD');
    expect(formatMoney('0.1', 'EUR')).toBe('0.10 EUR');
    expect(formatMoney('-12.345', null)).toBe('−12.34');
    expect(formatMoney(null, 'USD')).toBe('—');
  });

  it('is exact for the largest amounts the database holds', () => {
    expect(formatMoney('999999999999.99', 'USD')).toBe('999,999,999,999.99 USD');
  });

  it('uses the currency’s own decimals, cutting rather than rounding', () => {
    expect(formatMoney('1234.50', 'JPY')).toBe('1,234 JPY');
    expect(formatMoney('7.5', 'XYZ')).toBe('7.50 XYZ');
  });
});

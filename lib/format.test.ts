import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoney, timeLeft } from './format';

describe('formatMoney', () => {
  it('groups thousands and keeps two decimals without floats', () => {
    expect(formatMoney('1234567.5', 'USD')).toBe('1,234,567.50 USD');
    expect(formatMoney('0.1', 'EUR')).toBe('0.10 EUR');
    expect(formatMoney('-12.345', null)).toBe('−12.34');
    expect(formatMoney(null, 'USD')).toBe('—');
  });
});

describe('timeLeft', () => {
  const now = new Date('2026-07-01T12:00:00Z');
  it('says how long is left, and when a deadline is soon or overdue', () => {
    expect(timeLeft(new Date('2026-07-03T16:30:00Z'), now)).toEqual({ label: '2 d 4 h left', isOverdue: false, isSoon: false });
    expect(timeLeft(new Date('2026-07-01T17:00:00Z'), now)).toEqual({ label: '5 h left', isOverdue: false, isSoon: true });
    expect(timeLeft(new Date('2026-07-01T11:50:00Z'), now)).toEqual({ label: 'overdue 10 min', isOverdue: true, isSoon: false });
  });
  it('formats durations in their two largest units', () => {
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(30_000)).toBe('1 min');
  });
});

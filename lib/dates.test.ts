import { describe, expect, it } from 'vitest';
import { formatDuration, formatUtc, formatUtcMinutes, timeLeft } from './dates';

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

describe('absolute times', () => {
  it('are UTC in a fixed locale', () => {
    const at = new Date('2026-11-27T15:40:58Z');
    expect(formatUtc(at)).toBe('27 Nov 2026, 15:40:58 UTC');
    expect(formatUtcMinutes(at)).toBe('27 Nov 2026, 15:40 UTC');
  });
});

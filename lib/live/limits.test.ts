import { describe, expect, it } from 'vitest';
import { acquireStream, MAX_STREAMS_PER_USER, WindowLimiter } from './limits';

describe('WindowLimiter', () => {
  it('allows the limit within the window, refuses the rest, and allows again once the window has passed', () => {
    let now = 0;
    const limiter = new WindowLimiter(3, 1000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('ana'))).toEqual([true, true, true, false]);
    expect(limiter.take('ben')).toBe(true);
    now = 999;
    expect(limiter.take('ana')).toBe(false);
    now = 1000;
    expect(limiter.take('ana')).toBe(true);
  });
});

describe('acquireStream', () => {
  it('caps the live streams of one user and frees a slot when a stream ends', () => {
    const releases = Array.from({ length: MAX_STREAMS_PER_USER }, () => acquireStream(4242));
    expect(releases.every(Boolean)).toBe(true);
    expect(acquireStream(4242)).toBeNull();
    expect(acquireStream(4243)).not.toBeNull();
    releases[0]!();
    releases[0]!();
    const again = acquireStream(4242);
    expect(again).not.toBeNull();
    expect(acquireStream(4242)).toBeNull();
  });
});

'use client';

import { useCallback, useEffect, useRef } from 'react';

/** A random UUID; `crypto.randomUUID` needs a secure context, so plain HTTP falls back to getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One idempotency key per attempt: made on mount and again after each completed submit (whatever
 * its answer). A submit that never got an answer keeps its key, so sending it again is a replay.
 */
export function useIdempotencyKey() {
  const key = useRef<string | null>(null);
  useEffect(() => {
    key.current ??= newIdempotencyKey();
  }, []);
  const current = useCallback(() => (key.current ??= newIdempotencyKey()), []);
  const renew = useCallback(() => {
    key.current = newIdempotencyKey();
  }, []);
  return { current, renew };
}

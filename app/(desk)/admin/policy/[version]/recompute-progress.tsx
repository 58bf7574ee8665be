'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export interface RecomputeProgressView {
  state: 'waiting' | 'running' | 'done' | 'superseded';
  total: number | null;
  done: number | null;
  /** The set is in force (its effective time has come). */
  isDue: boolean;
  /** In force, waiting for a minute or more, or running under a lease that ran out: is a worker running? */
  isStalled: boolean;
}

/**
 * The worker's recompute of open tickets' suggestions under a set: waiting for its effective time
 * or a worker, progress, done or superseded; refreshed every 2 s while it is due and not finished.
 */
export function RecomputeProgress({ recompute }: { recompute: RecomputeProgressView }) {
  const router = useRouter();
  const { state, isDue, isStalled } = recompute;
  const isLive = isDue && (state === 'waiting' || state === 'running');
  useEffect(() => {
    if (!isLive) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [isLive, router]);
  const total = recompute.total ?? 0;
  const done = recompute.done ?? 0;
  const sentence =
    state === 'done'
      ? `The stored suggestions of ${total} open tickets were recomputed under this set.`
      : state === 'superseded'
        ? 'Not recomputed on its own: a newer set came into force before the worker reached it, and its recompute covered the open tickets.'
        : state === 'running'
          ? `The worker is recomputing the stored suggestions of open tickets: ${done} of ${total}.`
          : isDue
            ? 'Waiting for the worker to recompute the stored suggestions of open tickets.'
            : 'When this set takes effect, the worker recomputes the stored suggestions of open tickets.';
  return (
    <div
      className="rounded-lg border border-slate-200 bg-white p-3"
      role="status"
      aria-live="polite"
      data-testid="recompute-progress"
      data-state={state}
    >
      <p className="text-[13px]">{sentence}</p>
      {isStalled ? (
        <p className="mt-1 text-[13px] text-amber-900">
          No worker has moved it for over a minute: is <code>npm run worker</code> running? A worker resumes it where it stopped.
        </p>
      ) : null}
      {state === 'running' || state === 'done' ? (
        <progress
          className="mt-2 h-1.5 w-full accent-indigo-600"
          max={Math.max(total, 1)}
          value={state === 'done' ? Math.max(total, 1) : done}
          aria-label="Recompute progress"
        />
      ) : null}
    </div>
  );
}

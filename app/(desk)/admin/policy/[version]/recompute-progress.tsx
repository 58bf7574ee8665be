'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** The background recompute of open tickets' suggestions: progress, refreshed every 2 s until done. */
export function RecomputeProgress({
  set,
}: {
  set: { recomputeTotal: number | null; recomputeDone: number | null; recomputeFinishedAt: Date | null };
}) {
  const router = useRouter();
  const isDone = set.recomputeFinishedAt !== null;
  useEffect(() => {
    if (isDone) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [isDone, router]);
  const total = set.recomputeTotal ?? 0;
  const done = set.recomputeDone ?? 0;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3" role="status" aria-live="polite">
      <p className="text-[13px]">
        {isDone
          ? `The stored suggestions of ${total} open tickets were recomputed under this set.`
          : set.recomputeTotal === null
            ? 'Recomputing the stored suggestions of open tickets is about to start.'
            : `Recomputing the stored suggestions of open tickets: ${done} of ${total}.`}
      </p>
      <progress
        className="mt-2 h-1.5 w-full accent-indigo-600"
        max={Math.max(total, 1)}
        value={isDone ? Math.max(total, 1) : done}
        aria-label="Recompute progress"
      />
    </div>
  );
}

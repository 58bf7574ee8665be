import { PanelSkeleton } from '@/components/tickets/ticket-panel';

function SkeletonPanel({ title, lines }: { title: string; lines: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-600">{title}</div>
      <PanelSkeleton lines={lines} />
    </div>
  );
}

/** The ticket page's shape while it loads. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading the ticket…</p>
      <div className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3">
        <div className="h-5 w-56 animate-pulse rounded bg-slate-200" />
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="h-8 animate-pulse rounded bg-slate-100" />
          ))}
        </div>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="space-y-4">
          <SkeletonPanel title="Order timeline" lines={10} />
          <SkeletonPanel title="Payment" lines={3} />
        </div>
        <div className="space-y-4">
          <SkeletonPanel title="Evidence" lines={5} />
          <SkeletonPanel title="Suggestion" lines={4} />
          <SkeletonPanel title="Findings" lines={7} />
        </div>
      </div>
    </div>
  );
}

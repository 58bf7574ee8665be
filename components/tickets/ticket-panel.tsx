import type { ReactNode } from 'react';
import { TicketPanelBoundary } from './ticket-panel-boundary';

/**
 * A titled panel of the ticket page: a region landmark named by its heading, with its own error
 * boundary so one failing panel never takes the page down. No loading fallback: the page has read
 * everything before it renders, and a fallback only made the server send a panel twice, as grey
 * bars and then as itself.
 */
export function TicketPanel({
  id,
  title,
  meta,
  children,
  className = '',
  ...data
}: {
  id: string;
  title: string;
  meta?: ReactNode;
  children: ReactNode;
  className?: string;
  [key: `data-${string}`]: string | number | undefined;
}) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-heading`}
      className={`min-w-0 rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
      {...data}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 border-b border-slate-100 px-4 py-2.5">
        <h2 id={`${id}-heading`}>{title}</h2>
        {meta ? <div className="text-xs text-slate-600">{meta}</div> : null}
      </div>
      <TicketPanelBoundary title={title}>
        <div className="p-4 text-[13px]">{children}</div>
      </TicketPanelBoundary>
    </section>
  );
}

/** A quiet line for a panel with nothing to show. */
export function PanelEmpty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-slate-600">{children}</div> : null}
    </div>
  );
}

'use client';

import { catchError, type ErrorInfo } from 'next/error';
import { Button } from '@/components/ui/button';

function PanelError({ title }: { title: string }, { retry }: ErrorInfo) {
  return (
    <div role="alert" className="m-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800">
      <p className="font-medium">The {title.toLowerCase()} could not be shown.</p>
      <p className="mt-0.5">The rest of the ticket is fine. Try again; if it keeps failing, tell the team which ticket it was.</p>
      <Button size="sm" className="mt-2" onClick={() => retry()}>
        Try again
      </Button>
    </div>
  );
}

/** One panel's error boundary: a panel that fails to render leaves the rest of the ticket usable. */
export const TicketPanelBoundary = catchError(PanelError);

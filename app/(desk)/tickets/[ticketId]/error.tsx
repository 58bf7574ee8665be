'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { Button, buttonClass } from '@/components/ui/button';

/** The ticket page failed as a whole: say so plainly, offer to try again, never show internals. */
export default function TicketError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white px-6 py-10 text-center">
      <h1 className="text-red-800">This ticket could not be loaded</h1>
      <p className="mt-2 text-slate-700">Something went wrong on our side. Nothing was changed. Try again in a moment.</p>
      {digest ? <p className="mt-1 text-xs text-slate-600">Error reference: {digest}</p> : null}
      <div className="mt-5 flex justify-center gap-2">
        <Button variant="primary" onClick={() => retry()}>
          Try again
        </Button>
        <Link href="/tickets" className={buttonClass('secondary')}>
          Back to tickets
        </Link>
      </div>
    </div>
  );
}

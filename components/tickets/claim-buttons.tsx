'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { claimNextTicketAction, claimTicketAction } from '@/app/(desk)/tickets/actions';
import { Button } from '@/components/ui/button';

export function ClaimButton({ ticketId, size = 'sm' }: { ticketId: number; size?: 'sm' | 'md' }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size={size}
        disabled={pending}
        aria-label={`Claim ticket T-${ticketId}`}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await claimTicketAction({ ticketId });
            if (!result.ok) setError(result.message);
            router.refresh();
          })
        }
      >
        {pending ? 'Claiming…' : 'Claim'}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}

export function NextTicketButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
      <Button
        variant="primary"
        disabled={pending}
        id="next-ticket"
        aria-keyshortcuts="n"
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await claimNextTicketAction();
            if (result.ok) router.push(`/tickets/${result.data.ticketId}`);
            else setError(result.message);
          })
        }
      >
        {pending ? 'Claiming…' : 'Next ticket'}
        <kbd className="rounded bg-indigo-500 px-1 text-[10px] font-normal">N</kbd>
      </Button>
    </span>
  );
}

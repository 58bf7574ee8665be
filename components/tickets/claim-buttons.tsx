'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { useAction, type ServerAction } from '@/components/ui/use-action';

/** The page's claim action: assigns one ticket to the signed-in agent. */
export type ClaimTicketAction = ServerAction<{ ticketId: number }, { ticketId: number }>;
/** The page's "next ticket" action: claims the most urgent unassigned ticket. */
export type ClaimNextTicketAction = () => ReturnType<ServerAction<void, { ticketId: number }>>;

/** Claiming a ticket: pending state, a toast, the refusal as a sentence; the page re-renders either way. */
export function useClaim(action: ClaimTicketAction) {
  const router = useRouter();
  return useAction(action, {
    onSuccess: ({ ticketId }) => `You claimed T-${ticketId}.`,
    onFailure: () => router.refresh(),
  });
}

export function ClaimButton({ ticketId, size = 'sm', action }: { ticketId: number; size?: 'sm' | 'md'; action: ClaimTicketAction }) {
  const router = useRouter();
  const claim = useClaim(action);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size={size}
        disabled={claim.isPending}
        aria-label={`Claim ticket T-${ticketId}`}
        onClick={() => void claim.run({ ticketId }).then((data) => data && router.refresh())}
      >
        {claim.isPending ? 'Claiming…' : 'Claim'}
      </Button>
      <FormError message={claim.error} />
    </span>
  );
}

/**
 * Claims the most urgent open ticket and opens it. `hasShortcut`: the button listens for `n` itself
 * (the ticket page; on the queue the queue's keyboard handler presses it).
 */
export function NextTicketButton({ action, hasShortcut = false }: { action: ClaimNextTicketAction; hasShortcut?: boolean }) {
  const router = useRouter();
  const next = useAction(() => action(), { onSuccess: ({ ticketId }) => `You claimed T-${ticketId}, the most urgent open ticket.` });
  useEffect(() => {
    if (!hasShortcut) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      document.getElementById('next-ticket')?.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasShortcut]);
  return (
    <span className="inline-flex items-center gap-2">
      <FormError message={next.error} />
      <Button
        variant="primary"
        disabled={next.isPending}
        id="next-ticket"
        aria-keyshortcuts="n"
        onClick={() => void next.run(undefined).then((data) => data && router.push(`/tickets/${data.ticketId}`))}
      >
        {next.isPending ? 'Claiming…' : 'Next ticket'}
        <kbd className="rounded bg-indigo-500 px-1 text-[10px] font-normal">N</kbd>
      </Button>
    </span>
  );
}

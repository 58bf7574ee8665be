'use client';

import { useRouter } from 'next/navigation';
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

export function NextTicketButton({ action }: { action: ClaimNextTicketAction }) {
  const router = useRouter();
  const next = useAction(() => action(), { onSuccess: ({ ticketId }) => `You claimed T-${ticketId}, the most urgent open ticket.` });
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

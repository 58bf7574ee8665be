'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
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

/** The page's take-over action: the ticket becomes the signed-in person's; the previous assignee is told. */
export type TakeOverTicketAction = ServerAction<{ ticketId: number }, { ticketId: number; previous: { id: number; name: string } | null }>;
/** The page's reassign action (supervisors, admins). */
export type AssignTicketAction = ServerAction<
  { ticketId: number; assigneeId: number | null },
  { ticketId: number; assigneeId: number | null }
>;

/** "Claimed by X" and an explicit take-over, confirmed once: the other person is told in an internal note. */
export function TakeOverButton({
  ticketId,
  assigneeName,
  action,
}: {
  ticketId: number;
  assigneeName: string;
  action: TakeOverTicketAction;
}) {
  const router = useRouter();
  const [isConfirming, setIsConfirming] = useState(false);
  const takeOver = useAction(action, {
    onSuccess: ({ previous }) => `You took over T-${ticketId}${previous ? ` from ${previous.name}, who is told on the ticket` : ''}.`,
    onFailure: () => router.refresh(),
  });
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="take-over">
      <span className="text-slate-700">Claimed by {assigneeName}</span>
      {isConfirming ? (
        <>
          <Button
            size="md"
            variant="primary"
            disabled={takeOver.isPending}
            onClick={() =>
              void takeOver.run({ ticketId }).then((data) => {
                setIsConfirming(false);
                if (data) router.refresh();
              })
            }
          >
            {takeOver.isPending ? 'Taking over…' : `Take over from ${assigneeName}`}
          </Button>
          <Button size="md" disabled={takeOver.isPending} onClick={() => setIsConfirming(false)}>
            Cancel
          </Button>
        </>
      ) : (
        <Button size="md" onClick={() => setIsConfirming(true)}>
          Take over
        </Button>
      )}
      <FormError message={takeOver.error} />
    </span>
  );
}

/** A supervisor gives the ticket to someone else (or to nobody). */
export function ReassignControl({
  ticketId,
  assigneeId,
  staff,
  action,
  compact = false,
}: {
  ticketId: number;
  assigneeId: number | null;
  staff: { id: number; name: string; role: string }[];
  action: AssignTicketAction;
  compact?: boolean;
}) {
  const router = useRouter();
  const [choice, setChoice] = useState(assigneeId === null ? '' : String(assigneeId));
  const assign = useAction(action, {
    onSuccess: ({ assigneeId: to }) =>
      to === null ? `T-${ticketId} is unassigned.` : `T-${ticketId} is now ${staff.find((s) => s.id === to)?.name ?? 'reassigned'}’s.`,
  });
  const id = `reassign-${ticketId}`;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" data-testid="reassign">
      <label htmlFor={id} className={compact ? 'sr-only' : 'text-slate-700'}>
        Reassign T-{ticketId} to
      </label>
      <select
        id={id}
        value={choice}
        onChange={(event) => setChoice(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm"
      >
        <option value="">Nobody</option>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.role})
          </option>
        ))}
      </select>
      <Button
        size="sm"
        disabled={assign.isPending || choice === (assigneeId === null ? '' : String(assigneeId))}
        onClick={() =>
          void assign.run({ ticketId, assigneeId: choice === '' ? null : Number(choice) }).then((data) => data && router.refresh())
        }
      >
        {assign.isPending ? 'Saving…' : 'Reassign'}
      </Button>
      <FormError message={assign.error} />
    </span>
  );
}

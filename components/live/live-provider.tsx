'use client';

import { useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { notify } from '@/components/ui/toast';

export interface Viewer {
  id: number;
  name: string;
  seenAt: string;
}

interface LiveState {
  viewers: Record<number, Viewer[]>;
  changedTicketIds: number[];
  clearChanges: () => void;
  selfId: number;
}

const LiveContext = createContext<LiveState | null>(null);

const HEARTBEAT_MS = 20_000;
const STALE_MS = 60_000;

function sendPresence(ticketId: number, isLeaving = false) {
  void fetch('/api/presence', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketId, isLeaving }),
    keepalive: true,
  }).catch(() => {});
}

/**
 * Live updates for a page: ticket changes and who is viewing what, from the server-sent event
 * stream; and this user's own presence (`presenceTicketId`, 0 for the queue), sent as a heartbeat.
 */
export function LiveProvider({
  children,
  selfId,
  presenceTicketId,
  initialViewers,
}: {
  children: ReactNode;
  selfId: number;
  presenceTicketId: number;
  initialViewers: Record<number, Viewer[]>;
}) {
  const [viewers, setViewers] = useState(initialViewers);
  const [changedTicketIds, setChanged] = useState<number[]>([]);

  // A server refresh brings a new baseline (React's "adjust state when a prop changes" pattern).
  const [baseline, setBaseline] = useState(initialViewers);
  if (baseline !== initialViewers) {
    setBaseline(initialViewers);
    setViewers(initialViewers);
  }

  const router = useRouter();
  useEffect(() => {
    const source = new EventSource('/api/live');
    // A notice for this person (their proposal was approved or rejected): a toast, and the navigation's count refreshed.
    source.addEventListener('notice', (event) => {
      const { text } = JSON.parse((event as MessageEvent<string>).data) as { text: string };
      notify.success(text);
      router.refresh();
    });
    // Once listening, announce ourselves: the server answers every presence change with the full
    // list of viewers, so this page also learns who arrived before it was listening.
    source.addEventListener('open', () => sendPresence(presenceTicketId));
    source.addEventListener('ticket', (event) => {
      const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: number };
      setChanged((ids) => (ids.includes(id) ? ids : [...ids, id]));
    });
    source.addEventListener('presence', (event) => {
      const { ticketId, viewers: list } = JSON.parse((event as MessageEvent<string>).data) as { ticketId: number; viewers: Viewer[] };
      setViewers((current) => ({ ...current, [ticketId]: list }));
    });
    source.addEventListener('ended', () => source.close());
    return () => source.close();
  }, [presenceTicketId, router]);

  useEffect(() => {
    sendPresence(presenceTicketId);
    const beat = setInterval(() => sendPresence(presenceTicketId), HEARTBEAT_MS);
    const leave = () => sendPresence(presenceTicketId, true);
    window.addEventListener('pagehide', leave);
    return () => {
      clearInterval(beat);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [presenceTicketId]);

  // Forget viewers whose heartbeat stopped (a closed laptop never says goodbye).
  useEffect(() => {
    const sweep = setInterval(() => {
      const cutoff = Date.now() - STALE_MS;
      setViewers((current) => {
        const next: Record<number, Viewer[]> = {};
        for (const [id, list] of Object.entries(current)) next[Number(id)] = list.filter((v) => Date.parse(v.seenAt) > cutoff);
        return next;
      });
    }, 15_000);
    return () => clearInterval(sweep);
  }, []);

  const value = useMemo(
    () => ({ viewers, changedTicketIds, clearChanges: () => setChanged([]), selfId }),
    [viewers, changedTicketIds, selfId],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  const state = useContext(LiveContext);
  if (!state) throw new Error('useLive needs a LiveProvider');
  return state;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** Who else has this ticket open. */
export function Viewers({ ticketId, showNames = false, className = '' }: { ticketId: number; showNames?: boolean; className?: string }) {
  const { viewers, selfId } = useLive();
  const others = (viewers[ticketId] ?? []).filter((v) => v.id !== selfId);
  if (others.length === 0) return null;
  const names = others.map((v) => v.name).join(', ');
  return (
    <span className={`inline-flex items-center gap-1 ${className}`} data-testid={`viewers-${ticketId}`} title={`Also viewing: ${names}`}>
      {showNames ? <span className="text-xs text-slate-600">Also viewing:</span> : <span className="sr-only">Also viewing: </span>}
      {others.map((v) => (
        <span key={v.id} className="inline-flex items-center gap-1">
          <span
            aria-hidden
            className="inline-flex size-5 items-center justify-center rounded-full bg-teal-100 text-[10px] font-semibold text-teal-900 ring-1 ring-teal-300"
          >
            {initials(v.name)}
          </span>
          {showNames ? <span className="text-xs font-medium text-slate-800">{v.name}</span> : <span className="sr-only">{v.name}</span>}
        </span>
      ))}
    </span>
  );
}

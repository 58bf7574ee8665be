'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { useClaim, type ClaimTicketAction } from './claim-buttons';

const SHORTCUTS: [string, string][] = [
  ['j / k', 'next / previous ticket'],
  ['Enter', 'open the selected ticket'],
  ['c', 'claim the selected ticket'],
  ['n', 'claim the next most urgent ticket'],
  ['/', 'search'],
  ['?', 'show these shortcuts'],
];

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** j/k/Enter/c/n/ / /? on the queue. Rows are the table's `tr[data-ticket-id]`. */
export function QueueKeyboard({ claimAction }: { claimAction: ClaimTicketAction }) {
  const router = useRouter();
  const [selected, setSelected] = useState(-1);
  const [claiming, setClaiming] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const claim = useClaim(claimAction);
  const { run: runClaim } = claim;

  useEffect(() => {
    const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('tr[data-ticket-id]'));
    rows.forEach((row, i) => row.toggleAttribute('data-selected', i === selected));
    rows[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('tr[data-ticket-id]'));
      const current = rows[selected];
      const id = current?.dataset.ticketId;
      switch (event.key) {
        case 'j':
          setSelected((i) => Math.min(rows.length - 1, i + 1));
          break;
        case 'k':
          setSelected((i) => Math.max(0, i - 1));
          break;
        case 'Enter': {
          // Through the row's own link, so the keyboard gets what a click gets ("opening…" while it loads).
          const link = current?.querySelector<HTMLAnchorElement>(`a[href="/tickets/${id}"]`);
          if (!link) return;
          link.click();
          break;
        }
        case 'c':
          if (!id) return;
          setClaiming(id);
          void runClaim({ ticketId: Number(id) }).then((data) => {
            setClaiming(null);
            if (data) router.refresh();
          });
          break;
        case 'n':
          document.getElementById('next-ticket')?.click();
          break;
        case '/':
          document.getElementById('queue-search')?.focus();
          break;
        case '?':
          setShowHelp(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [router, selected, runClaim]);

  return (
    <>
      <p role="status" className={`min-h-5 text-xs ${claim.error ? 'font-medium text-red-700' : 'text-slate-600'}`}>
        {claiming ? `Claiming T-${claiming}…` : claim.error}
      </p>
      <Dialog open={showHelp} onClose={() => setShowHelp(false)} labelledBy="shortcuts-title">
        <div className="w-80 p-5">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{keys}</kbd>
                </dt>
                <dd className="text-slate-700">{what}</dd>
              </div>
            ))}
          </dl>
          <form method="dialog" className="mt-4 text-right">
            <button className="rounded-md border border-slate-300 px-3 py-1 text-sm" autoFocus>
              Close
            </button>
          </form>
        </div>
      </Dialog>
    </>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { claimTicketAction } from '@/app/(desk)/tickets/actions';

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
export function QueueKeyboard() {
  const router = useRouter();
  const [selected, setSelected] = useState(-1);
  const [status, setStatus] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('tr[data-ticket-id]'));
    rows.forEach((row, i) => row.toggleAttribute('data-selected', i === selected));
    rows[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  useEffect(() => {
    if (showHelp) dialog.current?.showModal();
    else dialog.current?.close();
  }, [showHelp]);

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
        case 'Enter':
          if (id) router.push(`/tickets/${id}`);
          else return;
          break;
        case 'c':
          if (!id) return;
          setStatus(`Claiming T-${id}…`);
          void claimTicketAction({ ticketId: Number(id) }).then((result) => {
            setStatus(result.ok ? `You claimed T-${id}.` : result.message);
            router.refresh();
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
  }, [router, selected]);

  return (
    <>
      <p role="status" className="min-h-5 text-xs text-slate-600">
        {status}
      </p>
      <dialog
        ref={dialog}
        onClose={() => setShowHelp(false)}
        className="m-auto rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/30"
        aria-labelledby="shortcuts-title"
      >
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
      </dialog>
    </>
  );
}

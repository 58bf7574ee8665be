'use client';

import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Notify = (text: string) => void;

const NoticeContext = createContext<{ text: string | null; notify: Notify }>({ text: null, notify: () => {} });

/**
 * A page-wide notice for actions whose control disappears once they succeed (a reversed credit
 * loses its Reverse button, an approved request leaves the waiting list): the result is still
 * announced and shown, and focus goes to the notice instead of being lost.
 */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState<string | null>(null);
  const notify = useCallback<Notify>((value) => {
    setText(value);
    requestAnimationFrame(() => document.getElementById('credits-notice')?.focus());
  }, []);
  return <NoticeContext.Provider value={{ text, notify }}>{children}</NoticeContext.Provider>;
}

export const useNotify = () => useContext(NoticeContext).notify;

export function NoticeRegion() {
  const { text, notify } = useContext(NoticeContext);
  return (
    <div
      id="credits-notice"
      role="status"
      tabIndex={-1}
      className={
        text
          ? 'mb-4 flex items-center justify-between gap-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500'
          : 'sr-only'
      }
      data-testid="credits-notice"
    >
      <span>{text}</span>
      {text ? (
        <button
          type="button"
          onClick={() => notify('')}
          className="rounded px-1.5 text-xs font-medium text-emerald-900 hover:bg-emerald-100"
          aria-label="Dismiss notice"
        >
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

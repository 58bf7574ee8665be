'use client';

import { useRef, useState } from 'react';
import { buttonClass } from '@/components/ui/button';

/**
 * Downloads the filtered log through the streamed export, counting rows as they arrive (the
 * progress), then hands the file to the browser. A plain link is the fallback without JavaScript.
 */
export function ExportButtons({ query }: { query: string }) {
  const [state, setState] = useState<{ format: string; rows: number; done: boolean; error?: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run(format: 'csv' | 'jsonl', event: React.MouseEvent) {
    event.preventDefault();
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ format, rows: 0, done: false });
    try {
      const response = await fetch(`/api/v1/audit/export?${query}${query ? '&' : ''}format=${format}`, { signal: controller.signal });
      if (!response.ok || !response.body) {
        const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
        throw new Error(problem?.detail ?? `The export failed (${response.status}).`);
      }
      const reader = response.body.getReader();
      const parts: Uint8Array[] = [];
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        for (const byte of value) if (byte === 10) lines += 1;
        setState({ format, rows: format === 'csv' ? Math.max(0, lines - 1) : lines, done: false });
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `audit.${format}`;
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: response.headers.get('content-type') ?? 'text/plain' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ format, rows: format === 'csv' ? Math.max(0, lines - 1) : lines, done: true });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      setState({ format, rows: 0, done: true, error: (error as Error).message });
    }
  }

  const href = (format: string) => `/api/v1/audit/export?${query}${query ? '&' : ''}format=${format}`;
  return (
    <div className="flex items-center gap-2">
      <a className={buttonClass('secondary', 'sm')} href={href('csv')} onClick={(e) => void run('csv', e)}>
        Export CSV
      </a>
      <a className={buttonClass('secondary', 'sm')} href={href('jsonl')} onClick={(e) => void run('jsonl', e)}>
        Export JSON Lines
      </a>
      <span role="status" aria-live="polite" className="text-xs text-slate-600 tabular-nums" data-testid="export-progress">
        {state
          ? state.error
            ? state.error
            : state.done
              ? `${state.rows.toLocaleString('en-US')} rows exported (${state.format.toUpperCase()}).`
              : `Exporting… ${state.rows.toLocaleString('en-US')} rows`
          : null}
      </span>
      {state && !state.done ? (
        <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => (abort.current?.abort(), setState(null))}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

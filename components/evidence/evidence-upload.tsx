'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Button, buttonClass } from '@/components/ui/button';

/** What the file picker offers; the server decides from the bytes whatever is chosen. */
const ACCEPT =
  '.png,.jpg,.jpeg,.webp,.gif,.heic,.heif,.pdf,image/png,image/jpeg,image/webp,image/gif,image/heic,image/heif,application/pdf';

type Status = 'uploading' | 'stored' | 'refused' | 'cancelled' | 'failed';

interface Item {
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: Status;
  message: string | null;
}

const kb = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

const STATUS_TEXT: Record<Status, string> = {
  uploading: 'Uploading',
  stored: 'Stored',
  refused: 'Refused',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/**
 * Attach files to a ticket: pick or drop several at once; each is sent on its own request (so it
 * has its own progress bar and can be cancelled) to the staff upload route, and appears in the
 * evidence viewer as soon as it is stored (the page is refreshed). A refused file shows the
 * server's sentence. Progress and outcomes are announced to screen readers.
 */
export function EvidenceUpload({ ticketId }: { ticketId: number }) {
  const router = useRouter();
  const inputId = useId();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const requests = useRef(new Map<string, XMLHttpRequest>());
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const open = requests.current;
    return () => open.forEach((xhr) => xhr.abort());
  }, []);

  const update = useCallback((key: string, patch: Partial<Item>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const send = useCallback(
    (file: File) => {
      const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      setItems((list) => [...list, { key, name: file.name, size: file.size, loaded: 0, status: 'uploading', message: null }]);
      const xhr = new XMLHttpRequest();
      requests.current.set(key, xhr);
      xhr.open('POST', `/api/tickets/${ticketId}/evidence`);
      xhr.setRequestHeader('Idempotency-Key', `ui-${key}`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) update(key, { loaded: Math.min(event.loaded, file.size) });
      };
      xhr.onload = () => {
        requests.current.delete(key);
        const body = xhr.response as { detail?: string } | null;
        if (xhr.status === 201 || xhr.status === 200) {
          update(key, { status: 'stored', loaded: file.size, message: null });
          setAnnouncement(`${file.name} stored.`);
          router.refresh();
        } else {
          const message = body?.detail ?? `The upload failed (HTTP ${xhr.status}).`;
          update(key, { status: xhr.status >= 500 ? 'failed' : 'refused', message });
          setAnnouncement(`${file.name} refused: ${message}`);
        }
      };
      xhr.onerror = () => {
        requests.current.delete(key);
        update(key, { status: 'failed', message: 'The connection failed before the file was stored. Try again.' });
        setAnnouncement(`${file.name} failed.`);
      };
      xhr.onabort = () => {
        requests.current.delete(key);
        update(key, { status: 'cancelled', message: null });
        setAnnouncement(`Upload of ${file.name} cancelled.`);
      };
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
      setAnnouncement(`Uploading ${file.name}.`);
    },
    [router, ticketId, update],
  );

  const sendAll = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) send(file);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    sendAll(event.dataTransfer.files);
  };

  const finished = items.filter((i) => i.status !== 'uploading');

  return (
    <div className="mb-3 space-y-2" data-testid="evidence-upload">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex flex-wrap items-center gap-2 rounded-md border border-dashed px-3 py-2 text-xs text-slate-700 ${
          dragging ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-slate-50'
        }`}
        data-testid="evidence-dropzone"
      >
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          onChange={(event) => {
            sendAll(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
          aria-describedby={`${inputId}-hint`}
        />
        <label htmlFor={inputId} className={`${buttonClass('secondary', 'sm')} cursor-pointer focus-within:ring-2`}>
          Attach files…
        </label>
        <span id={`${inputId}-hint`}>or drop them here. PNG, JPEG, WebP, GIF, HEIC or PDF; up to 10 MB each, 20 files a ticket.</span>
      </div>

      {items.length ? (
        <ul className="space-y-1.5" aria-label="Uploads">
          {items.map((item) => {
            const percent = item.size ? Math.round((item.loaded / item.size) * 100) : 100;
            return (
              <li
                key={item.key}
                className="rounded-md border border-slate-200 bg-white px-2 py-1.5 text-xs"
                data-testid="evidence-upload-item"
                data-status={item.status}
              >
                <div className="flex items-center gap-2">
                  <span className="min-w-0 flex-1 truncate font-medium text-slate-900" title={item.name}>
                    {item.name}
                  </span>
                  <span className="tabular-nums text-slate-600">{kb(item.size)}</span>
                  <span
                    className={
                      item.status === 'stored' ? 'text-emerald-700' : item.status === 'uploading' ? 'text-slate-600' : 'text-red-700'
                    }
                  >
                    {STATUS_TEXT[item.status]}
                  </span>
                  {item.status === 'uploading' ? (
                    <Button
                      size="sm"
                      onClick={() => requests.current.get(item.key)?.abort()}
                      aria-label={`Cancel the upload of ${item.name}`}
                    >
                      Cancel
                    </Button>
                  ) : null}
                </div>
                <progress
                  className="mt-1 h-1.5 w-full"
                  max={100}
                  value={item.status === 'uploading' ? percent : item.status === 'stored' ? 100 : 0}
                  aria-label={`Upload of ${item.name}`}
                  aria-valuetext={`${percent}%`}
                  data-testid="evidence-upload-progress"
                />
                {item.message ? <p className="mt-1 text-red-700">{item.message}</p> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {finished.length ? (
        <Button size="sm" variant="ghost" onClick={() => setItems((list) => list.filter((i) => i.status === 'uploading'))}>
          Clear finished uploads
        </Button>
      ) : null}
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

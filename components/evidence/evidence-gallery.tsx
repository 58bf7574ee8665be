'use client';

/* eslint-disable @next/next/no-img-element -- evidence is served by our own authenticated route, never optimised or cached by next/image */

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Button, buttonClass } from '@/components/ui/button';
import { formatUtc, relativeToNow } from '@/lib/dates';
import { formatKb } from '@/components/timeline/events';

export interface EvidenceItem {
  id: number;
  url: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  uploadedAt: Date;
  isCustomerUpload: boolean;
  /** The small WebP made at upload; null for demo rows and PDFs. */
  thumbnailUrl?: string | null;
  /** Near-identical evidence on other customers' tickets. */
  reuse?: { evidenceId: number; ticketId: number; originalName: string; distance: number }[];
}

const ZOOM_STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6];
type Zoom = 'fit' | number;

const isImage = (file: EvidenceItem) => file.mimeType.startsWith('image/');
const typeLabel = (mime: string) => (mime === 'application/octet-stream' ? 'Unknown type' : (mime.split('/')[1] ?? mime).toUpperCase());
const altOf = (file: EvidenceItem, index: number) => `Evidence ${index + 1}: ${file.originalName}`;

function nextZoom(current: Zoom, fitScale: number, direction: 1 | -1): number {
  const scale = current === 'fit' ? fitScale : current;
  if (direction > 0) return ZOOM_STEPS.find((s) => s > scale + 1e-6) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
  return [...ZOOM_STEPS].reverse().find((s) => s < scale - 1e-6) ?? ZOOM_STEPS[0]!;
}

/**
 * Evidence thumbnails with their facts, and a viewer: a modal dialog with zoom in / out / fit
 * (buttons or + − 0), previous / next (← →), Escape to close; focus returns to the thumbnail.
 */
export function EvidenceGallery({ files, now }: { files: EvidenceItem[]; now: Date }) {
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [fitScale, setFitScale] = useState(1);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement | null>(null);

  const images = files.map((f, i) => ({ file: f, index: i })).filter(({ file }) => isImage(file));
  const current = openIndex === null ? null : files[openIndex]!;
  const position = openIndex === null ? -1 : images.findIndex((x) => x.index === openIndex);

  const measureFit = useCallback(() => {
    const stage = stageRef.current;
    if (!stage || !current) return;
    const width = current.width ?? 1;
    const height = current.height ?? 1;
    setFitScale(Math.min(1, (stage.clientWidth - 16) / width, (stage.clientHeight - 16) / height));
  }, [current]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (openIndex !== null && !dialog.open) {
      dialog.showModal();
      closeRef.current?.focus();
    }
    if (openIndex === null && dialog.open) dialog.close();
  }, [openIndex]);

  useEffect(() => {
    if (openIndex === null) return;
    measureFit();
    window.addEventListener('resize', measureFit);
    return () => window.removeEventListener('resize', measureFit);
  }, [openIndex, measureFit]);

  const open = (index: number, opener: HTMLButtonElement) => {
    openerRef.current = opener;
    setZoom('fit');
    setOpenIndex(index);
  };
  const close = () => setOpenIndex(null);
  const step = (direction: 1 | -1) => {
    if (position < 0 || images.length < 2) return;
    const next = images[(position + direction + images.length) % images.length]!;
    setZoom('fit');
    setOpenIndex(next.index);
  };
  const zoomBy = (direction: 1 | -1) => setZoom((z) => nextZoom(z, fitScale, direction));

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
      _: () => zoomBy(-1),
      '0': () => setZoom('fit'),
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const scale = zoom === 'fit' ? fitScale : zoom;

  return (
    <>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label="Evidence files">
        {files.map((file, index) => (
          <li key={file.id} className="min-w-0" data-testid="evidence-item">
            <figure className="flex h-full flex-col rounded-md border border-slate-200 bg-white">
              {isImage(file) ? (
                <button
                  type="button"
                  onClick={(e) => open(index, e.currentTarget)}
                  className="group relative block overflow-hidden rounded-t-md bg-slate-100"
                  aria-label={`Open evidence ${index + 1} (${file.originalName}) in the viewer`}
                  aria-haspopup="dialog"
                >
                  <img
                    src={file.thumbnailUrl ?? file.url}
                    alt={altOf(file, index)}
                    width={file.width ?? undefined}
                    height={file.height ?? undefined}
                    loading="lazy"
                    decoding="async"
                    className="h-36 w-full object-contain transition-transform group-hover:scale-[1.02]"
                    data-testid="evidence-thumbnail"
                  />
                  <span className="absolute top-1 left-1 rounded bg-slate-900/75 px-1.5 text-[11px] font-semibold text-white">
                    {index + 1}
                  </span>
                </button>
              ) : (
                <a
                  href={file.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="flex h-36 flex-col items-center justify-center gap-1 rounded-t-md bg-slate-100 text-slate-700 hover:bg-slate-200"
                >
                  <span className="text-lg font-semibold">{typeLabel(file.mimeType)}</span>
                  <span className="text-xs">
                    Open evidence {index + 1} in a new tab<span className="sr-only">: {file.originalName}</span>
                  </span>
                </a>
              )}
              <figcaption className="space-y-0.5 px-2 py-1.5 text-xs text-slate-700">
                <span className="block truncate font-medium text-slate-900" title={file.originalName}>
                  {file.originalName}
                </span>
                <span className="block tabular-nums">
                  {typeLabel(file.mimeType)} · {formatKb(file.sizeBytes)}
                  {file.width && file.height ? ` · ${file.width}×${file.height}` : ''}
                </span>
                <span className="block">
                  <time dateTime={file.uploadedAt.toISOString()} title={formatUtc(file.uploadedAt)}>
                    {relativeToNow(file.uploadedAt, now)}
                  </time>
                  {file.isCustomerUpload ? ' · customer' : ' · staff'}
                </span>
                <span className="block font-mono text-[11px] text-slate-600" title={`SHA-256 ${file.sha256}`}>
                  sha256 {file.sha256.slice(0, 8)}
                </span>
                {file.reuse?.length ? (
                  <span className="mt-1 block rounded bg-amber-100 px-1.5 py-1 text-[11px] text-amber-900" data-testid="evidence-reuse">
                    <strong className="font-semibold">Reused screenshot:</strong>{' '}
                    {file.reuse.map((match, i) => (
                      <span key={match.evidenceId}>
                        {i ? ', ' : ''}
                        <a href={`/tickets/${match.ticketId}#evidence`} className="font-medium underline">
                          T-{match.ticketId}
                        </a>{' '}
                        (another customer, distance {match.distance})
                      </span>
                    ))}
                  </span>
                ) : null}
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>

      <dialog
        ref={dialogRef}
        aria-labelledby="evidence-viewer-title"
        onKeyDown={onKeyDown}
        onClose={() => {
          setOpenIndex(null);
          openerRef.current?.focus();
        }}
        className="m-auto h-[92vh] max-h-none w-[94vw] max-w-none overflow-hidden rounded-lg bg-white p-0 shadow-2xl backdrop:bg-slate-950/70"
      >
        {current ? (
          <div className="flex h-full flex-col">
            <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2">
              <h2 id="evidence-viewer-title" className="mr-auto min-w-0 truncate">
                Evidence {openIndex! + 1}: {current.originalName}
                <span className="ml-2 text-xs font-normal text-slate-600 tabular-nums">
                  {typeLabel(current.mimeType)} · {formatKb(current.sizeBytes)}
                  {current.width && current.height ? ` · ${current.width}×${current.height}` : ''} · sha256 {current.sha256.slice(0, 8)}
                </span>
              </h2>
              <div className="flex items-center gap-1" role="group" aria-label="Zoom">
                <Button size="sm" onClick={() => zoomBy(-1)} aria-keyshortcuts="-" title="Zoom out (−)">
                  −<span className="sr-only">Zoom out</span>
                </Button>
                <output className="w-12 text-center text-xs tabular-nums" aria-live="polite" aria-label="Zoom level">
                  {Math.round(scale * 100)}%
                </output>
                <Button size="sm" onClick={() => zoomBy(1)} aria-keyshortcuts="+" title="Zoom in (+)">
                  +<span className="sr-only">Zoom in</span>
                </Button>
                <Button
                  size="sm"
                  onClick={() => setZoom('fit')}
                  aria-pressed={zoom === 'fit'}
                  aria-keyshortcuts="0"
                  title="Fit to window (0)"
                >
                  Fit
                </Button>
                <Button size="sm" onClick={() => setZoom(1)} aria-pressed={zoom === 1} title="Actual size">
                  100%
                </Button>
              </div>
              {images.length > 1 ? (
                <div className="flex items-center gap-1">
                  <Button size="sm" onClick={() => step(-1)} aria-keyshortcuts="ArrowLeft" title="Previous (←)">
                    ←<span className="sr-only">Previous file</span>
                  </Button>
                  <span className="text-xs text-slate-600 tabular-nums">
                    {position + 1} / {images.length}
                  </span>
                  <Button size="sm" onClick={() => step(1)} aria-keyshortcuts="ArrowRight" title="Next (→)">
                    →<span className="sr-only">Next file</span>
                  </Button>
                </div>
              ) : null}
              <a
                href={current.url}
                target="_blank"
                rel="noopener noreferrer"
                className="px-1 text-xs font-medium text-indigo-700 hover:underline"
              >
                Open original ↗
              </a>
              <button
                type="button"
                ref={closeRef}
                onClick={close}
                aria-keyshortcuts="Escape"
                title="Close (Esc)"
                className={buttonClass('secondary', 'sm')}
              >
                Close
              </button>
            </div>
            <div ref={stageRef} className="relative flex-1 overflow-auto bg-slate-100" data-testid="evidence-stage">
              <div
                className="flex min-h-full min-w-full items-center justify-center p-2"
                style={{ width: 'max-content', height: 'max-content' }}
              >
                <img
                  key={current.id}
                  src={current.url}
                  alt={altOf(current, openIndex!)}
                  width={current.width ? Math.max(1, Math.round(current.width * scale)) : undefined}
                  height={current.height ? Math.max(1, Math.round(current.height * scale)) : undefined}
                  className="block max-w-none bg-white shadow"
                  draggable={false}
                />
              </div>
            </div>
            <p className="border-t border-slate-200 px-3 py-1 text-[11px] text-slate-600">
              Keys: <kbd>+</kbd> / <kbd>−</kbd> zoom, <kbd>0</kbd> fit, <kbd>←</kbd> <kbd>→</kbd> previous / next, <kbd>Esc</kbd> close.
            </p>
          </div>
        ) : null}
      </dialog>
    </>
  );
}

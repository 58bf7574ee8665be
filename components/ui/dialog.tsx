'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './button';

/**
 * A modal on the native `<dialog>`: focus is trapped and restored by the browser, Escape closes it.
 * `open` drives it; `onClose` hears every way it closes (Escape, a `method="dialog"` form, `open` false).
 * The content is rendered only while open, so a form inside starts fresh each time.
 */
export function Dialog({
  open,
  onClose,
  labelledBy,
  className = '',
  children,
}: {
  open: boolean;
  onClose: () => void;
  /** The id of the dialog's heading. */
  labelledBy: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (open && !dialog?.open) dialog?.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={labelledBy}
      className={`m-auto max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 p-0 text-left shadow-xl backdrop:bg-slate-900/30 ${className}`}
    >
      {open ? children : null}
    </dialog>
  );
}

/** The footer of a form inside a Dialog: Cancel closes the dialog; the submit button shows the pending state. */
export function DialogFormActions({ submit, pending, isPending }: { submit: string; pending: string; isPending: boolean }) {
  return (
    <div className="flex justify-end gap-2 pt-1">
      <Button type="button" onClick={(e) => e.currentTarget.closest('dialog')?.close()}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" disabled={isPending}>
        {isPending ? pending : submit}
      </Button>
    </div>
  );
}

'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

export interface ShownKey {
  name: string;
  plaintext: string;
}

/** Shows a new API key once, with a copy button and the warning that it will not be shown again. */
export function NewKeyDialog({ shown, onClose }: { shown: ShownKey | null; onClose: () => void }) {
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown!.plaintext);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      open={shown !== null}
      onClose={() => {
        setCopied(null);
        onClose();
      }}
      labelledBy="new-key-title"
      className="w-[36rem]"
    >
      {shown ? (
        <div className="space-y-3 p-5">
          <h2 id="new-key-title" className="text-base font-semibold">
            API key “{shown.name}”
          </h2>
          <p id="new-key-warning" className="text-slate-700">
            Copy the key now: it is shown only this once and is not stored, so it will not be shown again. Keep it in the calling system’s
            secrets; it is sent as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
          </p>
          <div className="flex items-center gap-2">
            <label htmlFor="new-key-value" className="sr-only">
              The new API key
            </label>
            <input
              id="new-key-value"
              readOnly
              value={shown.plaintext}
              aria-describedby="new-key-warning"
              data-testid="new-api-key"
              onFocus={(e) => e.currentTarget.select()}
              className="h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2.5 font-mono text-[13px]"
            />
            <Button variant="primary" onClick={() => void copy()} autoFocus>
              Copy key
            </Button>
          </div>
          <p role="status" className="min-h-4 text-xs text-slate-700">
            {copied === 'copied'
              ? 'Copied to the clipboard.'
              : copied === 'failed'
                ? 'Could not copy: select the key and copy it yourself.'
                : ''}
          </p>
          <form method="dialog" className="flex justify-end">
            <Button type="submit">Done</Button>
          </form>
        </div>
      ) : null}
    </Dialog>
  );
}

'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { useAction } from '@/components/ui/use-action';
import { revokeApiKeyAction } from './actions';

/** Revoke, after a confirmation naming the key: its next request is refused. */
export function RevokeApiKeyButton({ apiKeyId, name, prefix }: { apiKeyId: number; name: string; prefix: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const revoke = useAction(revokeApiKeyAction, { onSuccess: () => `Revoked the API key "${name}": its next request is refused.` });
  const titleId = `revoke-key-${apiKeyId}-title`;
  return (
    <>
      <Button size="sm" variant="danger" aria-label={`Revoke the API key ${name}`} onClick={() => setIsOpen(true)}>
        Revoke
      </Button>
      <Dialog
        open={isOpen}
        onClose={() => {
          revoke.clearError();
          setIsOpen(false);
        }}
        labelledBy={titleId}
        className="w-[28rem]"
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold">
            Revoke the API key “{name}”?
          </h2>
          <p className="text-slate-700">
            Every request with <span className="font-mono">{prefix}…</span> is refused from now on, on every instance. This cannot be
            undone: whoever uses it will need a new key.
          </p>
          <FormError message={revoke.error} variant="box" />
          <div className="flex justify-end gap-2">
            <Button autoFocus onClick={() => setIsOpen(false)}>
              Keep the key
            </Button>
            <Button
              variant="danger"
              disabled={revoke.isPending}
              onClick={() =>
                void revoke.run({ apiKeyId }).then((done) => {
                  if (done) setIsOpen(false);
                })
              }
            >
              {revoke.isPending ? 'Revoking…' : 'Revoke key'}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}

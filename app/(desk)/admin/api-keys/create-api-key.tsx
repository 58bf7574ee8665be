'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFormActions } from '@/components/ui/dialog';
import { Field, FieldError, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import type { ScopeChoice } from '@/lib/api-keys/scopes';
import { createApiKeySchema } from '@/lib/validation/api-keys';
import { createApiKeyAction } from './actions';
import { NewKeyDialog, type ShownKey } from './new-key';

export function CreateApiKeyButton({ scopes }: { scopes: ScopeChoice[] }) {
  const [isOpen, setIsOpen] = useState(false);
  const [shown, setShown] = useState<ShownKey | null>(null);
  return (
    <>
      <Button variant="primary" onClick={() => setIsOpen(true)}>
        Create API key
      </Button>
      <Dialog open={isOpen} onClose={() => setIsOpen(false)} labelledBy="create-key-title" className="w-[32rem]">
        <CreateApiKeyForm
          scopes={scopes}
          onCreated={(key) => {
            setIsOpen(false);
            setShown(key);
          }}
        />
      </Dialog>
      <NewKeyDialog shown={shown} onClose={() => setShown(null)} />
    </>
  );
}

function CreateApiKeyForm({ scopes, onCreated }: { scopes: ScopeChoice[]; onCreated: (key: ShownKey) => void }) {
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: createApiKeySchema,
    defaultValues: { name: '', scopes: [], expiresAt: '' },
    submit: (values) => createApiKeyAction({ ...values, expiresAt: values.expiresAt?.toISOString() ?? null }),
    onSuccess: (key) => {
      onCreated({ name: key.name, plaintext: key.plaintext });
      return `Created the API key "${key.name}" (${key.prefix}…).`;
    },
  });
  const { errors } = form.formState;
  const scopesError = errors.scopes?.message;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 p-5">
      <h2 id="create-key-title" className="text-base font-semibold">
        Create an API key
      </h2>
      <FormError message={formError} variant="box" />
      <Field id="key-name" label="Name" error={errors.name?.message} hint="Who or what will use it, e.g. panel or simulator.">
        {(control) => <input autoFocus autoComplete="off" className={`${inputClass} h-8`} {...control} {...form.register('name')} />}
      </Field>
      <fieldset aria-describedby={scopesError ? 'key-scopes-error' : undefined} aria-invalid={scopesError ? true : undefined}>
        <legend className="mb-1 block text-xs font-medium text-slate-700">Scopes</legend>
        <ul className="space-y-1.5">
          {scopes.map(({ scope, grants }) => (
            <li key={scope}>
              <label className="flex items-start gap-2">
                <input type="checkbox" value={scope} className="mt-0.5 size-4" {...form.register('scopes')} />
                <span>
                  <span className="font-mono text-[13px]">{scope}</span>
                  <span className="block text-xs text-slate-600">
                    {grants.length ? `Lets the key ${grants.join('; ')}.` : 'Grants nothing yet.'}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        <FieldError id="key-scopes" message={scopesError} />
      </fieldset>
      <Field
        id="key-expires"
        label="Expires (optional)"
        error={errors.expiresAt?.message}
        hint="The key is refused from 00:00 UTC on this day. Leave empty for a key that does not expire."
      >
        {(control) => <input type="date" min={today} className={`${inputClass} h-8 w-44`} {...control} {...form.register('expiresAt')} />}
      </Field>
      <DialogFormActions submit="Create key" pending="Creating…" isPending={isPending} />
    </form>
  );
}

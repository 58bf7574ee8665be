'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFormActions } from '@/components/ui/dialog';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import { createStaffSchema } from '@/lib/validation/staff';
import { createStaffAction } from './actions';
import { OneTimePasswordDialog } from './one-time-password';

export function CreateStaffButton() {
  const [isOpen, setIsOpen] = useState(false);
  const [shown, setShown] = useState<{ email: string; password: string; why: string } | null>(null);
  return (
    <>
      <Button variant="primary" onClick={() => setIsOpen(true)}>
        Create account
      </Button>
      <Dialog open={isOpen} onClose={() => setIsOpen(false)} labelledBy="create-staff-title" className="w-[26rem]">
        <CreateStaffForm
          onCreated={(email, password) => {
            setIsOpen(false);
            setShown({ email, password, why: 'The account is ready. Its first sign-in uses this password:' });
          }}
        />
      </Dialog>
      <OneTimePasswordDialog shown={shown} onClose={() => setShown(null)} />
    </>
  );
}

function CreateStaffForm({ onCreated }: { onCreated: (email: string, password: string) => void }) {
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: createStaffSchema,
    defaultValues: { name: '', email: '', role: 'agent' },
    submit: (values) => createStaffAction(values),
    onSuccess: (data) => {
      if (data.oneTimePassword) onCreated(data.user.email, data.oneTimePassword);
      return `Created ${data.user.email} (${data.user.role}).`;
    },
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 p-5">
      <h2 id="create-staff-title" className="text-base font-semibold">
        Create a staff account
      </h2>
      <FormError message={formError} variant="box" />
      <Field id="staff-name" label="Name" error={errors.name?.message}>
        {(control) => <input autoFocus autoComplete="off" className={`${inputClass} h-8`} {...control} {...form.register('name')} />}
      </Field>
      <Field id="staff-email" label="Email" error={errors.email?.message}>
        {(control) => <input type="email" autoComplete="off" className={`${inputClass} h-8`} {...control} {...form.register('email')} />}
      </Field>
      <Field
        id="staff-role"
        label="Role"
        error={errors.role?.message}
        hint="Agents work tickets; supervisors also approve and read the audit log; admins also manage staff, credits and policy parameters."
      >
        {(control) => (
          <select className={`${inputClass} h-8`} {...control} {...form.register('role')}>
            <option value="agent">agent</option>
            <option value="supervisor">supervisor</option>
            <option value="admin">admin</option>
          </select>
        )}
      </Field>
      <DialogFormActions submit="Create account" pending="Creating…" isPending={isPending} />
    </form>
  );
}

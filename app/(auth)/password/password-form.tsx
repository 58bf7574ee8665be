'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import { changePasswordSchema, MIN_PASSWORD_LENGTH } from '@/lib/validation/staff';
import { changePasswordAction } from './actions';

export function PasswordForm() {
  const router = useRouter();
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: changePasswordSchema,
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    submit: (values) => changePasswordAction(values),
    // Every session of the account has ended, this one too: sign in with the new password.
    onSuccess: () => router.replace('/login?changed=1'),
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <FormError message={formError} variant="box" />
      <Field id="currentPassword" label="Current password" error={errors.currentPassword?.message}>
        {(control) => (
          <input
            type="password"
            autoComplete="current-password"
            autoFocus
            className={`${inputClass} h-9 text-sm`}
            {...control}
            {...form.register('currentPassword')}
          />
        )}
      </Field>
      <Field
        id="newPassword"
        label="New password"
        error={errors.newPassword?.message}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. No rules about digits or symbols: a few unrelated words make a good one. Common and breached passwords are refused.`}
      >
        {(control) => (
          <input
            type="password"
            autoComplete="new-password"
            className={`${inputClass} h-9 text-sm`}
            {...control}
            {...form.register('newPassword')}
          />
        )}
      </Field>
      <Field id="confirmPassword" label="New password again" error={errors.confirmPassword?.message}>
        {(control) => (
          <input
            type="password"
            autoComplete="new-password"
            className={`${inputClass} h-9 text-sm`}
            {...control}
            {...form.register('confirmPassword')}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={isPending}>
        {isPending ? 'Saving…' : 'Set new password'}
      </Button>
    </form>
  );
}

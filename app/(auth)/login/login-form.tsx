'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import type { ActionResult } from '@/lib/transport';
import { loginSchema } from '@/lib/validation/auth';

const WRONG = 'The email or password is not right. Check both and try again.';

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: loginSchema,
    defaultValues: { email: '', password: '' },
    submit: async (values): Promise<ActionResult<null>> => {
      const result = await signIn('credentials', { ...values, redirect: false });
      if (!result?.error) return result ? { ok: true, data: null } : { ok: false, code: 'unauthenticated', message: WRONG };
      return { ok: false, code: 'unauthenticated', message: result.error === 'CredentialsSignin' ? WRONG : result.error };
    },
    onSuccess: () => {
      router.replace(callbackUrl);
      router.refresh();
    },
  });
  const { errors } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <FormError message={formError} variant="box" />
      <Field id="email" label="Email" error={errors.email?.message}>
        {(control) => (
          <input
            type="email"
            autoComplete="username"
            autoFocus
            className={`${inputClass} h-9 text-sm`}
            {...control}
            {...form.register('email')}
          />
        )}
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        {(control) => (
          <input
            type="password"
            autoComplete="current-password"
            className={`${inputClass} h-9 text-sm`}
            {...control}
            {...form.register('password')}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={isPending}>
        {isPending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

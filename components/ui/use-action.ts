'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { ActionResult } from '@/lib/transport';
import { useIdempotencyKey } from './idempotency-key';
import { notify } from './toast';

/** A server action as the client sees it: input in, a typed result out. */
export type ServerAction<I, T> = (input: I) => Promise<ActionResult<T>>;
type Failure = Extract<ActionResult<never>, { ok: false }>;

/** Said when the action never answered (network down, server gone): nobody knows whether it went through. */
export const UNREACHABLE = 'The desk could not be reached. Reload the page to see whether it went through, then try again.';

interface ActionOptions<I, T> {
  /** The success toast's sentence for the answer (and the input it answers), or nothing for no toast. */
  onSuccess?: (data: T, input: I) => string | void;
  /** Hears a refusal before it is shown (e.g. to put field errors on their fields). */
  onFailure?: (failure: Failure) => void;
  /** Replaces UNREACHABLE when the action threw. */
  unreachable?: string;
}

/**
 * Runs a server action from a button: pending state while it runs, a success toast, and the
 * refusal as `error` (a sentence to show next to the control). `run` resolves to the data, or null.
 * The action gets an idempotency key, one per attempt: renewed after every answer, kept when none
 * came, so sending again is a replay.
 */
export function useAction<I, T>(
  action: (input: I, idempotencyKey: string) => Promise<ActionResult<T>>,
  { onSuccess, onFailure, unreachable = UNREACHABLE }: ActionOptions<I, T> = {},
) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  const key = useIdempotencyKey();
  const router = useRouter();
  const run = async (input: I): Promise<T | null> => {
    setError(null);
    setIsPending(true);
    try {
      let result: ActionResult<T>;
      try {
        result = await action(input, key.current());
        key.renew();
      } catch {
        setError(unreachable);
        return null;
      }
      if (!result.ok) {
        // The session ended (signed out elsewhere, account deactivated or changed): to the sign-in page, saying so.
        if (result.code === 'unauthenticated') {
          router.replace(`/login?expired=1&callbackUrl=${encodeURIComponent(window.location.pathname)}`);
        }
        onFailure?.(result);
        setError(result.message);
        return null;
      }
      const text = onSuccess?.(result.data, input);
      if (text) notify.success(text);
      return result.data;
    } finally {
      setIsPending(false);
    }
  };
  const clearError = useCallback(() => setError(null), []);
  return { run, error, isPending, clearError };
}

/**
 * A react-hook-form form over a server action, validated on the client by the shared zod schema.
 * `submit(values, idempotencyKey)` calls the action (the key as in `useAction`). A refusal puts each field error on its
 * field and the message in `formError` (the sentence at the top of the form); success toasts
 * `onSuccess`'s sentence.
 */
export function useActionForm<S extends z.ZodType<FieldValues, FieldValues>, T>({
  schema,
  defaultValues,
  submit,
  onSuccess,
  onFailure,
  unreachable,
}: {
  schema: S;
  defaultValues: DefaultValues<z.input<S>>;
  submit: (values: z.output<S>, idempotencyKey: string) => Promise<ActionResult<T>>;
  onSuccess?: (data: T, values: z.output<S>, form: UseFormReturn<z.input<S>, unknown, z.output<S>>) => string | void;
  /** Hears a refusal after its field errors are placed (e.g. a conflict's `details`). */
  onFailure?: (failure: Failure) => void;
  unreachable?: string;
}) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    // zodResolver's overloads do not follow a generic schema; the types above say what it resolves to.
    resolver: zodResolver(schema as never) as never,
    defaultValues,
  });
  const action = useAction<z.output<S>, T>(submit, {
    unreachable,
    onFailure: (failure) => {
      const names = Object.keys(form.getValues());
      for (const [name, messages] of Object.entries(failure.fieldErrors ?? {})) {
        if (names.includes(name) && messages[0]) form.setError(name as Path<z.input<S>>, { type: 'server', message: messages[0] });
      }
      onFailure?.(failure);
    },
    onSuccess: (data, values) => onSuccess?.(data, values, form),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    await action.run(values);
  });
  return {
    form,
    /** For `<form onSubmit>`; also callable on its own (Ctrl+Enter). */
    onSubmit: (event?: { preventDefault(): void }) => void onSubmit(event as never),
    formError: action.error,
    clearFormError: action.clearError,
    isPending: form.formState.isSubmitting,
  };
}

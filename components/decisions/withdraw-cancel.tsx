'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm, type ServerAction } from '@/components/ui/use-action';
import { withdrawCancelSchema, type WithdrawCancelInput } from '@/lib/validation/decisions';

export type WithdrawCancelAction = ServerAction<WithdrawCancelInput, { decisionId: number; ticketId: number; jobId: number }>;

/**
 * For a supervisor or admin, under a cancel whose delivery failed for good: withdraw it with a
 * reason (the ticket goes back to the queue; nothing was credited, nobody was told).
 */
export function WithdrawCancelForm({ decisionId, action }: { decisionId: number; action: WithdrawCancelAction }) {
  const router = useRouter();
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: withdrawCancelSchema,
    defaultValues: { decisionId, reason: '' },
    submit: (values) => action({ decisionId, reason: values.reason }),
    onSuccess: ({ ticketId }) => {
      router.refresh();
      return `Cancel withdrawn: T-${ticketId} is back in the queue.`;
    },
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2" data-testid="withdraw-cancel">
      <FormError message={formError} variant="box" />
      <Field
        id="withdraw-cancel-reason"
        label="Why withdraw the cancel"
        error={errors.reason?.message}
        hint="The panel never got it, so withdrawing undoes nothing: the ticket goes back to the queue for a new decision."
      >
        {(control) => <textarea rows={2} className={`${inputClass} py-1.5`} {...control} {...form.register('reason')} />}
      </Field>
      <Button type="submit" variant="secondary" disabled={isPending}>
        {isPending ? 'Withdrawing…' : 'Withdraw the cancel'}
      </Button>
    </form>
  );
}

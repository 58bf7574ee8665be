'use client';

import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useAction, useActionForm } from '@/components/ui/use-action';
import { formatMoney } from '@/lib/money';
import { rejectFormSchema } from '@/lib/validation/credits';
import { reviewManualCreditAction } from './actions';

/**
 * Approve or reject a request waiting for a second admin. Approving asks once more (it moves money
 * at once); rejecting needs a reason. The requester sees "Withdraw" instead of "Approve".
 */
export function ReviewActions({
  id,
  amount,
  currency,
  customerName,
  isReversal,
  canApprove,
}: {
  id: number;
  amount: string;
  currency: string;
  customerName: string;
  isReversal: boolean;
  canApprove: boolean;
}) {
  const [mode, setMode] = useState<'idle' | 'approve' | 'reject'>('idle');
  const what = `${isReversal ? 'reversal' : 'credit'} of ${formatMoney(amount, currency)} for ${customerName}`;
  const approve = useAction(() => reviewManualCreditAction({ manualCreditId: id, approve: true }), {
    onSuccess: (result) => `Approved request #${id}: the ${what} is executed (ledger entry #${result.ledgerEntryId}).`,
  });
  const reject = useActionForm({
    schema: rejectFormSchema,
    defaultValues: { reason: '' },
    submit: ({ reason }) => reviewManualCreditAction({ manualCreditId: id, approve: false, reason }),
    onSuccess: (_result, _values, form) => {
      form.reset();
      return `${canApprove ? 'Rejected' : 'Withdrew'} request #${id}: the ${what} will not be made.`;
    },
  });
  const { setFocus } = reject.form;

  useEffect(() => {
    if (mode === 'reject') setFocus('reason');
  }, [mode, setFocus]);

  const cancel = () => {
    setMode('idle');
    approve.clearError();
    reject.clearFormError();
    reject.form.reset();
  };

  return (
    <div className="min-w-56 space-y-1.5">
      {mode === 'idle' ? (
        <div className="flex flex-wrap items-center gap-2">
          {canApprove ? (
            <Button size="sm" variant="primary" onClick={() => setMode('approve')} aria-label={`Approve request #${id}`}>
              Approve
            </Button>
          ) : (
            <span className="text-xs text-slate-600">Your request: another admin approves.</span>
          )}
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setMode('reject')}
            aria-label={`${canApprove ? 'Reject' : 'Withdraw'} request #${id}`}
          >
            {canApprove ? 'Reject' : 'Withdraw'}
          </Button>
        </div>
      ) : null}

      {mode === 'approve' ? (
        <div className="space-y-1.5">
          <p className="text-xs text-slate-700">Approve the {what}? It takes effect at once.</p>
          <div className="flex gap-2">
            <Button autoFocus size="sm" variant="primary" disabled={approve.isPending} onClick={() => void approve.run(undefined)}>
              {approve.isPending ? 'Approving…' : 'Yes, approve'}
            </Button>
            <Button size="sm" disabled={approve.isPending} onClick={cancel}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      {mode === 'reject' ? (
        <form onSubmit={reject.onSubmit} noValidate className="space-y-1.5">
          <Field
            id={`reject-${id}-reason`}
            label={canApprove ? 'Why reject it?' : 'Why withdraw it?'}
            error={reject.form.formState.errors.reason?.message}
          >
            {(control) => (
              <input
                type="text"
                autoComplete="off"
                className={`${inputClass} h-7 px-2 text-xs`}
                {...control}
                {...reject.form.register('reason')}
              />
            )}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" size="sm" variant="danger" disabled={reject.isPending}>
              {reject.isPending ? 'Saving…' : canApprove ? 'Reject request' : 'Withdraw request'}
            </Button>
            <Button size="sm" disabled={reject.isPending} onClick={cancel}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}

      <FormError message={approve.error ?? reject.formError} />
    </div>
  );
}

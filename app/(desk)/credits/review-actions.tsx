'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { formatMoney } from '@/lib/format';
import { rejectFormSchema, type RejectFormValues } from '@/lib/validation/credits';
import { reviewManualCreditAction } from './actions';
import { useNotify } from './notice';

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
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const notify = useNotify();
  const {
    register,
    handleSubmit,
    reset,
    setFocus,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<RejectFormValues>({ resolver: zodResolver(rejectFormSchema), defaultValues: { reason: '' } });

  useEffect(() => {
    if (mode === 'reject') setFocus('reason');
  }, [mode, setFocus]);

  const what = `${isReversal ? 'reversal' : 'credit'} of ${formatMoney(amount, currency)} for ${customerName}`;

  const approve = async () => {
    setError(null);
    setIsBusy(true);
    const result = await reviewManualCreditAction({ manualCreditId: id, approve: true });
    setIsBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    notify(`Approved request #${id}: the ${what} is executed (ledger entry #${result.data.ledgerEntryId}).`);
  };

  const reject = handleSubmit(async ({ reason }) => {
    setError(null);
    const result = await reviewManualCreditAction({ manualCreditId: id, approve: false, reason });
    if (!result.ok) {
      const message = result.fieldErrors?.reason?.[0];
      if (message) setFieldError('reason', { type: 'server', message });
      setError(result.message);
      return;
    }
    reset();
    notify(`${canApprove ? 'Rejected' : 'Withdrew'} request #${id}: the ${what} will not be made.`);
  });

  const cancel = () => {
    setMode('idle');
    setError(null);
    reset();
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
            <Button autoFocus size="sm" variant="primary" disabled={isBusy} onClick={approve}>
              {isBusy ? 'Approving…' : 'Yes, approve'}
            </Button>
            <Button size="sm" disabled={isBusy} onClick={cancel}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      {mode === 'reject' ? (
        <form onSubmit={reject} noValidate className="space-y-1.5">
          <label htmlFor={`reject-${id}-reason`} className="block text-xs font-medium text-slate-700">
            {canApprove ? 'Why reject it?' : 'Why withdraw it?'}
          </label>
          <input
            id={`reject-${id}-reason`}
            type="text"
            autoComplete="off"
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? `reject-${id}-reason-error` : undefined}
            className="block h-7 w-full rounded-md border border-slate-300 bg-white px-2 text-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500"
            {...register('reason')}
          />
          {errors.reason ? (
            <p id={`reject-${id}-reason-error`} className="text-xs font-medium text-red-700">
              {errors.reason.message}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" size="sm" variant="danger" disabled={isSubmitting}>
              {isSubmitting ? 'Saving…' : canApprove ? 'Reject request' : 'Withdraw request'}
            </Button>
            <Button size="sm" disabled={isSubmitting} onClick={cancel}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}

      {error ? (
        <p role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

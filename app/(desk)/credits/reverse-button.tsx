'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Amount } from '@/components/money/amount';
import { Button } from '@/components/ui/button';
import { compareMoney, toCents } from '@/lib/credits/money';
import { formatMoney } from '@/lib/format';
import {
  CREDIT_REASON_LABEL,
  CREDIT_REASONS,
  reversalFormSchema,
  type ReversalFormInput,
  type ReversalFormValues,
} from '@/lib/validation/credits';
import { requestReversalAction } from './actions';
import { useIdempotencyKey } from '@/components/ui/idempotency-key';
import { useNotify } from './notice';

const FIELDS = ['reasonCode', 'note'] as const;
const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 text-[13px] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500';

/**
 * "Reverse" on a credit of the ledger: a modal that says what the reversal takes back and what the
 * balance becomes (it may go below zero), asks for a reason code and a note, then reverses the
 * credit, or asks a second admin to approve the reversal when it is above the threshold.
 */
export function ReverseButton({
  entryId,
  amount,
  currency,
  balance,
  balanceAfter,
  approvalThreshold,
  customerName,
}: {
  entryId: number;
  /** The credit's (positive) amount: the reversal takes back exactly this. */
  amount: string;
  currency: string;
  balance: string;
  balanceAfter: string;
  approvalThreshold: string;
  customerName: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [isOpen, setIsOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const notify = useNotify();
  const idempotencyKey = useIdempotencyKey();
  const waits = compareMoney(amount, approvalThreshold) > 0;
  const goesNegative = toCents(balanceAfter) < 0n;
  const {
    register,
    handleSubmit,
    reset,
    setError: setFieldError,
    formState: { errors, isSubmitting },
  } = useForm<ReversalFormInput, unknown, ReversalFormValues>({
    resolver: zodResolver(reversalFormSchema),
    defaultValues: { reasonCode: 'correction', note: '' },
  });

  useEffect(() => {
    if (isOpen && !dialog.current?.open) dialog.current?.showModal();
    if (!isOpen && dialog.current?.open) dialog.current.close();
  }, [isOpen]);

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    const result = await requestReversalAction({ ledgerEntryId: entryId, ...values, idempotencyKey: idempotencyKey.current() });
    idempotencyKey.renew();
    if (!result.ok) {
      for (const field of FIELDS) {
        const message = result.fieldErrors?.[field]?.[0];
        if (message) setFieldError(field, { type: 'server', message });
      }
      setError(result.message);
      return;
    }
    reset();
    setIsOpen(false);
    notify(
      result.data.state === 'executed'
        ? `Reversed credit #${entryId}: ${formatMoney(`-${amount}`, currency)} for ${customerName} (ledger entry #${result.data.ledgerEntryId}).`
        : `Reversal of credit #${entryId} is waiting for a second admin (request #${result.data.id}).`,
    );
  });

  const titleId = `reverse-${entryId}-title`;
  return (
    <>
      <Button size="sm" variant="danger" onClick={() => setIsOpen(true)} aria-label={`Reverse entry #${entryId}`} aria-haspopup="dialog">
        Reverse
      </Button>
      <dialog
        ref={dialog}
        onClose={() => setIsOpen(false)}
        aria-labelledby={titleId}
        className="m-auto w-[26rem] max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 p-0 text-left shadow-xl backdrop:bg-slate-900/30"
      >
        {isOpen ? (
          <form onSubmit={onSubmit} noValidate className="space-y-3 p-5" data-testid="reverse-form">
            <h2 id={titleId}>Reverse credit #{entryId}</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 text-[13px]">
              <dt className="text-slate-600">Takes back from {customerName}</dt>
              <dd className="text-right">
                <Amount value={`-${amount}`} currency={currency} />
              </dd>
              <dt className="text-slate-600">Balance now</dt>
              <dd className="text-right">
                <Amount value={balance} currency={currency} variant="balance" />
              </dd>
              <dt className="font-medium text-slate-800">Balance after</dt>
              <dd className="text-right" data-testid="balance-after">
                <Amount value={balanceAfter} currency={currency} variant="balance" />
              </dd>
            </dl>
            {goesNegative ? (
              <p className="rounded-md bg-red-50 px-3 py-2 text-xs font-medium text-red-800 ring-1 ring-red-200">
                The balance goes below zero: the customer owes {formatMoney(balanceAfter.replace('-', ''), currency)} until they top up.
              </p>
            ) : null}
            {waits ? (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
                Above {formatMoney(approvalThreshold, currency)}: a second admin must approve before the reversal takes effect.
              </p>
            ) : null}

            <div>
              <label htmlFor={`reverse-${entryId}-reason`} className="mb-1 block text-xs font-medium text-slate-700">
                Reason
              </label>
              <select
                id={`reverse-${entryId}-reason`}
                aria-invalid={errors.reasonCode ? true : undefined}
                className={`${inputClass} h-8 px-1.5`}
                {...register('reasonCode')}
              >
                {CREDIT_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {CREDIT_REASON_LABEL[r]}
                  </option>
                ))}
              </select>
              {errors.reasonCode ? <p className="mt-1 text-xs font-medium text-red-700">{errors.reasonCode.message}</p> : null}
            </div>
            <div>
              <label htmlFor={`reverse-${entryId}-note`} className="mb-1 block text-xs font-medium text-slate-700">
                Note
              </label>
              <textarea
                id={`reverse-${entryId}-note`}
                rows={3}
                autoFocus
                placeholder="What was wrong with the credit?"
                aria-invalid={errors.note ? true : undefined}
                aria-describedby={errors.note ? `reverse-${entryId}-note-error` : undefined}
                className={`${inputClass} resize-y py-1.5 leading-5`}
                {...register('note')}
              />
              {errors.note ? (
                <p id={`reverse-${entryId}-note-error`} className="mt-1 text-xs font-medium text-red-700">
                  {errors.note.message}
                </p>
              ) : null}
            </div>
            {error ? (
              <p role="alert" className="text-xs font-medium text-red-700">
                {error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setIsOpen(false)} disabled={isSubmitting}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" disabled={isSubmitting}>
                {isSubmitting ? 'Saving…' : waits ? 'Request reversal' : `Reverse ${formatMoney(amount, currency)}`}
              </Button>
            </div>
          </form>
        ) : null}
      </dialog>
    </>
  );
}

'use client';

import { useState } from 'react';
import { Amount } from '@/components/money/amount';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import { compareMoney, formatMoney, parseMoney } from '@/lib/money';
import { reversalFormSchema } from '@/lib/validation/credits';
import { creditReasonOptions } from './credit-form';
import { requestReversalAction } from './actions';

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
  const [isOpen, setIsOpen] = useState(false);
  const waits = compareMoney(amount, approvalThreshold) > 0;
  const goesNegative = parseMoney(balanceAfter) < 0n;
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: reversalFormSchema,
    defaultValues: { reasonCode: 'correction', note: '' },
    submit: (values, idempotencyKey) => requestReversalAction({ ledgerEntryId: entryId, ...values, idempotencyKey }),
    onSuccess: (result, _values, form) => {
      form.reset();
      setIsOpen(false);
      return result.state === 'executed'
        ? `Reversed credit #${entryId}: ${formatMoney(`-${amount}`, currency)} for ${customerName} (ledger entry #${result.ledgerEntryId}).`
        : `Reversal of credit #${entryId} is waiting for a second admin (request #${result.id}).`;
    },
  });
  const { errors } = form.formState;

  const titleId = `reverse-${entryId}-title`;
  return (
    <>
      <Button size="sm" variant="danger" onClick={() => setIsOpen(true)} aria-label={`Reverse entry #${entryId}`} aria-haspopup="dialog">
        Reverse
      </Button>
      <Dialog open={isOpen} onClose={() => setIsOpen(false)} labelledBy={titleId} className="w-[26rem]">
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
          <FormError message={formError} variant="box" />

          <Field id={`reverse-${entryId}-reason`} label="Reason" error={errors.reasonCode?.message}>
            {(control) => (
              <select className={`${inputClass} h-8 px-1.5`} {...control} {...form.register('reasonCode')}>
                {creditReasonOptions}
              </select>
            )}
          </Field>
          <Field id={`reverse-${entryId}-note`} label="Note" error={errors.note?.message}>
            {(control) => (
              <textarea
                rows={3}
                autoFocus
                placeholder="What was wrong with the credit?"
                className={`${inputClass} resize-y py-1.5 leading-5`}
                {...control}
                {...form.register('note')}
              />
            )}
          </Field>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setIsOpen(false)} disabled={isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={isPending}>
              {isPending ? 'Saving…' : waits ? 'Request reversal' : `Reverse ${formatMoney(amount, currency)}`}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

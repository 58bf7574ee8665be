'use client';

import { useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FieldError, fieldControl, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import { compareMoney, formatMoney, isMoney } from '@/lib/money';
import { CREDIT_REASON_LABEL, CREDIT_REASONS, creditFormSchema, NOTE_MAX_LENGTH, type CreditFormInput } from '@/lib/validation/credits';
import { requestManualCreditAction } from './actions';

/** The reason codes as options of a select, for the credit and the reversal forms. */
export const creditReasonOptions = CREDIT_REASONS.map((r) => (
  <option key={r} value={r}>
    {CREDIT_REASON_LABEL[r]}
  </option>
));

/** Whether a typed amount is a valid figure above the threshold (for the hint; the server decides). */
function isAboveThreshold(amount: string | undefined, threshold: string) {
  const value = (amount ?? '').trim();
  return isMoney(value) && compareMoney(value, threshold) > 0;
}

/**
 * Issues a manual credit to one customer. At or under the threshold it is added at once; above it,
 * it waits for a second admin. Each attempt carries its own idempotency key, so a double click or a
 * retried request never credits twice.
 */
export function CreditForm({
  customerId,
  customerName,
  currencies,
  approvalThreshold,
}: {
  customerId: number;
  customerName: string;
  currencies: string[];
  approvalThreshold: string;
}) {
  const defaultCurrency = currencies.includes('USD') ? 'USD' : (currencies[0] ?? 'USD');
  const defaults: CreditFormInput = { amount: '', currency: defaultCurrency, reasonCode: '' as never, note: '' };
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: creditFormSchema,
    defaultValues: defaults,
    submit: (values, idempotencyKey) => requestManualCreditAction({ customerId, ...values, idempotencyKey }),
    onSuccess: (credit, values, form) => {
      form.reset({ ...defaults, currency: values.currency });
      return credit.state === 'executed'
        ? `Credited ${formatMoney(credit.amount, credit.currency)} to ${customerName} (ledger entry #${credit.ledgerEntryId}).`
        : `Request #${credit.id} for ${formatMoney(credit.amount, credit.currency)} is waiting for a second admin${credit.approvalReason ? `: ${credit.approvalReason}` : '.'}`;
    },
  });
  const { register, control } = form;
  const { errors } = form.formState;
  const amount = useWatch({ control, name: 'amount' });
  const currency = useWatch({ control, name: 'currency' });
  const noteLength = (useWatch({ control, name: 'note' }) ?? '').length;
  const waits = isAboveThreshold(amount, approvalThreshold);

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="credit-form-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      data-testid="credit-form"
    >
      <div>
        <h3 id="credit-form-title" className="text-sm font-semibold text-slate-900">
          Issue a credit
        </h3>
        <p className="mt-0.5 text-xs text-slate-600">
          Added to {customerName}’s balance. Above {formatMoney(approvalThreshold, null)} a second admin approves first.
        </p>
      </div>
      <FormError message={formError} variant="box" />

      <div>
        <div className="grid grid-cols-[1fr_6.5rem] gap-2">
          <div>
            <label htmlFor="credit-amount" className="mb-1 block text-xs font-medium text-slate-700">
              Amount
            </label>
            <input
              type="text"
              inputMode="decimal"
              autoComplete="off"
              placeholder="10.00"
              className={`${inputClass} h-8 text-right tabular-nums`}
              {...fieldControl('credit-amount', { hasHint: true, error: errors.amount?.message })}
              {...register('amount')}
            />
          </div>
          <div>
            <label htmlFor="credit-currency" className="mb-1 block text-xs font-medium text-slate-700">
              Currency
            </label>
            <select
              className={`${inputClass} h-8 px-1.5`}
              {...fieldControl('credit-currency', { error: errors.currency?.message })}
              {...register('currency')}
            >
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        </div>
        <FieldError id="credit-amount" message={errors.amount?.message} />
        <FieldError id="credit-currency" message={errors.currency?.message} />
        <p id="credit-amount-hint" className={`mt-1 text-xs ${waits ? 'font-medium text-amber-800' : 'text-slate-600'}`}>
          {waits
            ? `Above ${formatMoney(approvalThreshold, currency)}: this becomes a request that a second admin must approve.`
            : `Up to ${formatMoney('10000', null)}, at most two decimals. Up to ${formatMoney(approvalThreshold, currency)} is credited at once, counting what you credited this customer in the last 24 hours.`}
        </p>
      </div>

      <Field id="credit-reason" label="Reason" error={errors.reasonCode?.message}>
        {(control) => (
          <select className={`${inputClass} h-8 px-1.5`} {...control} {...register('reasonCode')}>
            <option value="">Choose a reason…</option>
            {creditReasonOptions}
          </select>
        )}
      </Field>

      <Field
        id="credit-note"
        label="Note"
        error={errors.note?.message}
        hint={`${noteLength} / ${NOTE_MAX_LENGTH} · at least 5`}
        hintClassName={`text-right tabular-nums ${noteLength > NOTE_MAX_LENGTH ? 'font-medium text-red-700' : 'text-slate-600'}`}
      >
        {(control) => (
          <textarea
            rows={3}
            placeholder="Why this credit? Colleagues and the audit log read this."
            className={`${inputClass} resize-y py-1.5 leading-5`}
            {...control}
            {...register('note')}
          />
        )}
      </Field>

      <Button type="submit" variant="primary" disabled={isPending}>
        {isPending ? 'Saving…' : waits ? 'Request approval' : 'Issue credit'}
      </Button>
    </form>
  );
}

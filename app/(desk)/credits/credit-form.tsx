'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { compareMoney } from '@/lib/credits/money';
import { formatMoney } from '@/lib/format';
import {
  CREDIT_REASON_LABEL,
  CREDIT_REASONS,
  creditFormSchema,
  NOTE_MAX_LENGTH,
  type CreditFormInput,
  type CreditFormValues,
} from '@/lib/validation/credits';
import { requestManualCreditAction } from './actions';
import { useIdempotencyKey } from '@/components/ui/idempotency-key';

const FIELDS = ['amount', 'currency', 'reasonCode', 'note'] as const;
const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 text-[13px] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500';

/** Whether a typed amount is a valid figure above the threshold (for the hint; the server decides). */
function isAboveThreshold(amount: string | undefined, threshold: string) {
  const value = (amount ?? '').trim();
  return /^\d{1,12}(?:\.\d{1,2})?$/.test(value) && compareMoney(value, threshold) > 0;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-xs font-medium text-red-700">
      {message}
    </p>
  ) : null;
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
  const idempotencyKey = useIdempotencyKey();
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const defaultCurrency = currencies.includes('USD') ? 'USD' : (currencies[0] ?? 'USD');
  const defaults: CreditFormInput = { amount: '', currency: defaultCurrency, reasonCode: '' as never, note: '' };
  const {
    register,
    handleSubmit,
    reset,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<CreditFormInput, unknown, CreditFormValues>({ resolver: zodResolver(creditFormSchema), defaultValues: defaults });
  const amount = useWatch({ control, name: 'amount' });
  const currency = useWatch({ control, name: 'currency' });
  const noteLength = (useWatch({ control, name: 'note' }) ?? '').length;
  const waits = isAboveThreshold(amount, approvalThreshold);

  const onSubmit = handleSubmit(async (values) => {
    setStatus(null);
    const result = await requestManualCreditAction({ customerId, ...values, idempotencyKey: idempotencyKey.current() });
    idempotencyKey.renew();
    if (!result.ok) {
      for (const field of FIELDS) {
        const message = result.fieldErrors?.[field]?.[0];
        if (message) setError(field, { type: 'server', message });
      }
      setStatus({ tone: 'error', text: result.message });
      return;
    }
    const credit = result.data;
    reset({ ...defaults, currency: values.currency });
    setStatus({
      tone: 'ok',
      text:
        credit.state === 'executed'
          ? `Credited ${formatMoney(credit.amount, credit.currency)} to ${customerName} (ledger entry #${credit.ledgerEntryId}).`
          : `Request #${credit.id} for ${formatMoney(credit.amount, credit.currency)} is waiting for a second admin.`,
    });
  });

  const describedBy = (field: (typeof FIELDS)[number], help?: string) =>
    [help, errors[field] ? `credit-${field}-error` : null].filter(Boolean).join(' ') || undefined;

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

      <div className="grid grid-cols-[1fr_6.5rem] gap-2">
        <div>
          <label htmlFor="credit-amount" className="mb-1 block text-xs font-medium text-slate-700">
            Amount
          </label>
          <input
            id="credit-amount"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder="10.00"
            aria-invalid={errors.amount ? true : undefined}
            aria-describedby={describedBy('amount', 'credit-amount-help')}
            className={`${inputClass} h-8 text-right tabular-nums`}
            {...register('amount')}
          />
        </div>
        <div>
          <label htmlFor="credit-currency" className="mb-1 block text-xs font-medium text-slate-700">
            Currency
          </label>
          <select
            id="credit-currency"
            aria-invalid={errors.currency ? true : undefined}
            aria-describedby={describedBy('currency')}
            className={`${inputClass} h-8 px-1.5`}
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
      <div className="-mt-2">
        <FieldError id="credit-amount-error" message={errors.amount?.message} />
        <FieldError id="credit-currency-error" message={errors.currency?.message} />
        <p id="credit-amount-help" className={`mt-1 text-xs ${waits ? 'font-medium text-amber-800' : 'text-slate-600'}`}>
          {waits
            ? `Above ${formatMoney(approvalThreshold, currency)}: this becomes a request that a second admin must approve.`
            : `Up to 10,000.00, at most two decimals. Up to ${formatMoney(approvalThreshold, currency)} is credited at once.`}
        </p>
      </div>

      <div>
        <label htmlFor="credit-reason" className="mb-1 block text-xs font-medium text-slate-700">
          Reason
        </label>
        <select
          id="credit-reason"
          aria-invalid={errors.reasonCode ? true : undefined}
          aria-describedby={describedBy('reasonCode')}
          className={`${inputClass} h-8 px-1.5`}
          {...register('reasonCode')}
        >
          <option value="">Choose a reason…</option>
          {CREDIT_REASONS.map((r) => (
            <option key={r} value={r}>
              {CREDIT_REASON_LABEL[r]}
            </option>
          ))}
        </select>
        <FieldError id="credit-reasonCode-error" message={errors.reasonCode?.message} />
      </div>

      <div>
        <label htmlFor="credit-note" className="mb-1 block text-xs font-medium text-slate-700">
          Note
        </label>
        <textarea
          id="credit-note"
          rows={3}
          placeholder="Why this credit? Colleagues and the audit log read this."
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={describedBy('note', 'credit-note-help')}
          className={`${inputClass} resize-y py-1.5 leading-5`}
          {...register('note')}
        />
        <div className="flex flex-wrap justify-between gap-2">
          <FieldError id="credit-note-error" message={errors.note?.message} />
          <p
            id="credit-note-help"
            className={`mt-1 ml-auto text-xs tabular-nums ${noteLength > NOTE_MAX_LENGTH ? 'font-medium text-red-700' : 'text-slate-600'}`}
          >
            {noteLength} / {NOTE_MAX_LENGTH} · at least 5
          </p>
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : waits ? 'Request approval' : 'Issue credit'}
        </Button>
      </div>
      <p role="status" className="min-h-4 text-xs text-emerald-800" data-testid="credit-form-status">
        {status?.tone === 'ok' ? status.text : null}
      </p>
      {status?.tone === 'error' ? (
        <p role="alert" className="-mt-2 text-xs font-medium text-red-700">
          {status.text}
        </p>
      ) : null}
    </form>
  );
}

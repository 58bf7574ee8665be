'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm } from '@/components/ui/use-action';
import { proposeParamSetSchema } from '@/lib/validation/policy-params';
import { proposeParamSetAction } from './actions';

export interface ParamFieldView {
  key:
    | 'claimWindowDays'
    | 'minorVariancePercent'
    | 'serialRefundRequests'
    | 'refundRequestWindowDays'
    | 'approvalThreshold'
    | 'approvalThresholds';
  label: string;
  unit: string;
  hint: string;
}

/** Proposes a new set, starting from the figures in force. */
export function ProposeForm({
  fields,
  inForce,
  defaultEffectiveAt,
}: {
  fields: readonly ParamFieldView[];
  inForce: Record<ParamFieldView['key'], string>;
  defaultEffectiveAt: string;
}) {
  const router = useRouter();
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: proposeParamSetSchema,
    defaultValues: { name: '', effectiveAt: defaultEffectiveAt, ...inForce },
    submit: (values) => proposeParamSetAction({ ...values, effectiveAt: values.effectiveAt.toISOString() }),
    onSuccess: (data) => {
      router.push(`/admin/policy/${data.version}`);
      return `Proposed parameters v${data.version}: a second admin approves them after reading the replay.`;
    },
  });
  const { errors } = form.formState;
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="propose-title"
    >
      <h2 id="propose-title" className="text-sm font-semibold">
        Propose a new set
      </h2>
      <FormError message={formError} variant="box" />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="set-name" label="Name" error={errors.name?.message}>
          {(control) => (
            <input
              autoComplete="off"
              className={`${inputClass} h-8`}
              placeholder="e.g. Longer review window"
              {...control}
              {...form.register('name')}
            />
          )}
        </Field>
        <Field
          id="set-effective"
          label="Effective from (UTC)"
          error={errors.effectiveAt?.message}
          hint="Not before a second admin approves it."
        >
          {(control) => <input type="datetime-local" className={`${inputClass} h-8`} {...control} {...form.register('effectiveAt')} />}
        </Field>
        {fields.map((f) => (
          <Field key={f.key} id={`set-${f.key}`} label={`${f.label} (${f.unit})`} hint={f.hint} error={errors[f.key]?.message}>
            {(control) => (
              <input
                inputMode={f.key === 'approvalThresholds' ? 'text' : 'decimal'}
                autoComplete="off"
                className={`${inputClass} h-8 tabular-nums`}
                {...control}
                {...form.register(f.key)}
              />
            )}
          </Field>
        ))}
      </div>
      <div className="flex justify-end">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? 'Replaying the last 30 days…' : 'Propose for approval'}
        </Button>
      </div>
    </form>
  );
}

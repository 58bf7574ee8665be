'use client';

import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { useActionForm, type ServerAction } from '@/components/ui/use-action';
import { OUTCOME_LABEL } from '@/lib/labels';
import type { Decision } from '@/lib/policy';
import {
  FINDING_CHOICES,
  FINDING_HINTS,
  FINDING_LABELS,
  FINDING_NAMES,
  findingsFormSchema,
  findingsToForm,
  type FindingChoice,
  type FindingName,
  type Findings,
  type SaveFindingsInput,
} from '@/lib/validation/tickets';

export type SaveFindingsAction = ServerAction<SaveFindingsInput, { updatedAt: Date; suggestion: Decision | null }>;

const CHOICE_LABEL: Record<FindingChoice, string> = { yes: 'Yes', no: 'No', unknown: 'Unknown' };

const CHECKED: Record<FindingChoice, string> = {
  yes: 'peer-checked:bg-indigo-600 peer-checked:text-white peer-checked:ring-indigo-600',
  no: 'peer-checked:bg-slate-800 peer-checked:text-white peer-checked:ring-slate-800',
  unknown: 'peer-checked:bg-slate-200 peer-checked:text-slate-900 peer-checked:ring-slate-300',
};

/**
 * The seven findings as yes / no / unknown segmented controls. Saving re-runs the policy check on
 * the server; the page then shows the new suggestion. A save over someone else's newer findings is
 * refused (the form sends when the findings it started from were saved).
 */
export function FindingsForm({
  ticketId,
  findings,
  savedAt,
  isLocked,
  readByPolicy,
  action,
}: {
  ticketId: number;
  /** The findings the policy check reads for this ticket's claim; the others are shown muted. */
  readByPolicy: readonly FindingName[];
  findings: Findings | null;
  savedAt: Date | null;
  isLocked: boolean;
  action: SaveFindingsAction;
}) {
  const savedAtIso = savedAt ? savedAt.toISOString() : null;
  // When the findings this form started from were saved: sent along, so a stale save is refused.
  const basedOn = useRef<string | null>(savedAtIso);
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: findingsFormSchema,
    defaultValues: findingsToForm(findings),
    submit: (values) => action({ ticketId, findings: values, basedOn: basedOn.current }),
    onSuccess: (saved, values, form) => {
      form.reset(values);
      basedOn.current = new Date(saved.updatedAt).toISOString();
      const outcome = saved.suggestion?.outcome;
      return `Findings saved. Suggestion: ${outcome ? OUTCOME_LABEL[outcome] : 'none'}.`;
    },
  });
  const { register, reset } = form;
  const { isDirty, dirtyFields } = form.formState;

  // Someone saved (here or elsewhere) and the page was refreshed: an untouched form takes the new values.
  useEffect(() => {
    if (!isDirty) {
      reset(findingsToForm(findings));
      basedOn.current = savedAtIso;
    }
    // Only when the saved findings change, not on every edit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedAtIso]);

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={isLocked ? 'findings-locked' : undefined} data-testid="findings-form">
      <FormError message={formError} variant="box" className="mb-3" />
      {isLocked ? (
        <p id="findings-locked" className="mb-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-700">
          This ticket is resolved, so its findings can no longer change.
        </p>
      ) : null}
      <fieldset disabled={isLocked || isPending} className="divide-y divide-slate-100">
        <legend className="sr-only">Findings: what you verified</legend>
        {FINDING_NAMES.map((name) => {
          const isRead = readByPolicy.includes(name);
          return (
            <fieldset
              key={name}
              className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2 first:pt-0"
              data-finding={name}
              data-read={isRead ? '' : undefined}
            >
              <legend className="float-left max-w-[60%] min-w-48 flex-1">
                <span className={`font-medium ${isRead ? 'text-slate-900' : 'text-slate-600'}`}>
                  {FINDING_LABELS[name]}
                  {dirtyFields[name] ? (
                    <span className="ml-1.5 text-[11px] font-medium text-amber-800">
                      ● changed<span className="sr-only">, not saved yet</span>
                    </span>
                  ) : null}
                </span>
                <span className="block text-xs font-normal text-slate-600">
                  {FINDING_HINTS[name]}
                  {isRead ? null : <em className="ml-1 not-italic text-slate-600">Not read by the policy for this claim.</em>}
                </span>
              </legend>
              <div className="inline-flex shrink-0 overflow-hidden rounded-md ring-1 ring-slate-300">
                {FINDING_CHOICES.map((choice) => {
                  const id = `finding-${name}-${choice}`;
                  return (
                    <span key={choice} className="relative border-l border-slate-300 first:border-l-0">
                      <input id={id} type="radio" value={choice} className="peer absolute inset-0 opacity-0" {...register(name)} />
                      <label
                        htmlFor={id}
                        className={`block cursor-pointer px-2.5 py-1 text-xs font-medium text-slate-700 select-none peer-[:hover:not(:checked)]:bg-slate-50 peer-focus-visible:relative peer-focus-visible:z-10 peer-focus-visible:outline-2 peer-focus-visible:-outline-offset-2 peer-focus-visible:outline-indigo-600 peer-disabled:cursor-not-allowed peer-disabled:opacity-60 ${CHECKED[choice]}`}
                      >
                        {CHOICE_LABEL[choice]}
                      </label>
                    </span>
                  );
                })}
              </div>
            </fieldset>
          );
        })}
      </fieldset>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {isLocked ? null : (
          <>
            <Button type="submit" variant="primary" disabled={isPending || !isDirty}>
              {isPending ? 'Saving…' : 'Save findings'}
            </Button>
            <Button type="button" variant="ghost" disabled={isPending || !isDirty} onClick={() => reset()}>
              Undo changes
            </Button>
          </>
        )}
      </div>
    </form>
  );
}

'use client';

import { useEffect, useRef, useState } from 'react';
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

/** Findings someone else saved while this form was open (sent back with the conflict). */
interface Theirs {
  findings: Findings;
  savedAt: string;
  savedBy: string;
}

function theirsOf(details: Record<string, unknown> | undefined): Theirs | null {
  const theirs = details?.theirs as Partial<Theirs> | undefined;
  return theirs && typeof theirs.savedAt === 'string' && theirs.findings && typeof theirs.findings === 'object'
    ? { findings: theirs.findings, savedAt: theirs.savedAt, savedBy: String(theirs.savedBy ?? 'Someone') }
    : null;
}

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
  // A save refused because someone else saved first: their values, shown beside the agent's kept edits.
  const [theirs, setTheirs] = useState<Theirs | null>(null);
  const { form, onSubmit, formError, clearFormError, isPending } = useActionForm({
    schema: findingsFormSchema,
    defaultValues: findingsToForm(findings),
    submit: (values) => action({ ticketId, findings: values, basedOn: basedOn.current }),
    onFailure: (failure) => {
      const conflict = failure.code === 'conflict' ? theirsOf(failure.details) : null;
      if (!conflict) return;
      setTheirs(conflict);
      // The agent has now seen theirs: saving again replaces them on purpose.
      basedOn.current = conflict.savedAt;
    },
    onSuccess: (saved, values, form) => {
      setTheirs(null);
      form.reset(values);
      basedOn.current = new Date(saved.updatedAt).toISOString();
      const outcome = saved.suggestion?.outcome;
      return `Findings saved. Suggestion: ${outcome ? OUTCOME_LABEL[outcome] : 'none'}.`;
    },
  });
  const { register, reset, getValues } = form;
  const { isDirty, dirtyFields } = form.formState;
  const theirsForm = theirs ? findingsToForm(theirs.findings) : null;
  const mine = theirs ? getValues() : null;
  const differing = theirsForm && mine ? FINDING_NAMES.filter((name) => theirsForm[name] !== mine[name]) : [];

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
      {theirs && theirsForm && mine ? (
        <div className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-950" data-testid="findings-conflict">
          <p className="font-medium">
            {differing.length
              ? `${theirs.savedBy} saved different findings: ${differing.length} differ from yours.`
              : `${theirs.savedBy} saved the same findings as yours.`}
          </p>
          {differing.length ? (
            <table className="mt-1.5 w-full text-left text-xs">
              <thead>
                <tr>
                  <th className="py-0.5 pr-2 font-semibold">Finding</th>
                  <th className="py-0.5 pr-2 font-semibold">Theirs</th>
                  <th className="py-0.5 font-semibold">Yours</th>
                </tr>
              </thead>
              <tbody>
                {differing.map((name) => (
                  <tr key={name} data-finding={name}>
                    <td className="py-0.5 pr-2">{FINDING_LABELS[name]}</td>
                    <td className="py-0.5 pr-2" data-testid="findings-theirs">
                      {CHOICE_LABEL[theirsForm[name]]}
                    </td>
                    <td className="py-0.5 font-semibold" data-testid="findings-yours">
                      {CHOICE_LABEL[mine[name]]}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="mt-2 flex flex-wrap gap-2">
            <Button type="submit" variant="primary" disabled={isPending}>
              Save mine over theirs
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={isPending}
              onClick={() => {
                reset(theirsForm);
                setTheirs(null);
                clearFormError();
              }}
            >
              Take theirs
            </Button>
          </div>
        </div>
      ) : null}
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
                      <label htmlFor={id} className={`finding-choice ${CHECKED[choice]}`}>
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

'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  ACCOUNT_ACTIONS,
  APPROVAL_REASON_LABEL,
  DECIDABLE_OUTCOMES,
  OVERRIDE_REASON_MIN,
  amountSchema,
  approvalReasonsFor,
  decisionFormSchemaFor,
  fillDraft,
  isOverrideOf,
  isPayingOutcome,
  type AccountAction,
  type DecidableOutcome,
  type DecisionFormValues,
  type SuggestedChoice,
} from '@/lib/validation/decisions';
import { proposeDecisionAction } from './actions';
import { newIdempotencyKey } from '@/components/ui/idempotency-key';
import { ACCOUNT_ACTION_LABEL, DECISION_OUTCOME_HINT, DECISION_OUTCOME_LABEL } from './labels';

export interface SuggestedReason {
  code: string;
  summary: string;
  clauseTitle: string;
}

export interface DecisionFormProps {
  ticketId: number;
  /** Why no decision can be made now; the form is then replaced by this sentence. */
  blockedReason: string | null;
  suggested: SuggestedChoice | null;
  suggestedOutcome: DecidableOutcome | null;
  /** The suggestion in words when it is not an outcome of the bar (`verify`), else null. */
  notDecidableNote: string | null;
  reasons: SuggestedReason[];
  /** Room left on the order or payment, for the amount's hint. */
  credit: { remaining: string; alreadyPaid: string; total: string; currency: string; kind: 'order' | 'payment'; reference: string } | null;
  threshold: string;
  drafts: Record<DecidableOutcome, string>;
  unavailable: Partial<Record<DecidableOutcome, string>>;
}

const FIELDS = ['outcome', 'amount', 'reason', 'reply', 'accountAction'] as const;
type Field = (typeof FIELDS)[number];
const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-[13px] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none aria-invalid:border-red-500 disabled:bg-slate-50';

/**
 * The decision bar: the suggested outcome first and filled in (amount, reasons, drafted reply);
 * anything else is an override and asks for a written reason. Each attempt carries its own
 * Idempotency-Key, renewed after every answer from the server.
 */
export function DecisionForm(props: DecisionFormProps) {
  const { ticketId, blockedReason, suggested, suggestedOutcome, notDecidableNote, reasons, credit, threshold, drafts, unavailable } = props;
  const router = useRouter();
  const currency = credit?.currency ?? null;
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  // One key per attempt: made when the form mounts, replaced once the server has answered.
  const attemptKey = useRef<string | null>(null);
  useEffect(() => {
    attemptKey.current = newIdempotencyKey();
  }, []);
  // Whether the agent wrote the reply themselves (then a change of outcome keeps their text).
  const replyEdited = useRef(false);

  const suggestedAmount = suggested && suggestedOutcome && isPayingOutcome(suggestedOutcome) ? (suggested.amount ?? '') : '';
  const initialOutcome = suggestedOutcome ?? undefined;
  const schema = useMemo(() => decisionFormSchemaFor(suggested), [suggested]);
  const {
    register,
    handleSubmit,
    setValue,
    getValues,
    setError,
    control,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<DecisionFormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      outcome: initialOutcome as DecidableOutcome,
      amount: suggestedAmount,
      reason: '',
      reply: initialOutcome ? fillDraft(drafts[initialOutcome], suggestedAmount, currency) : '',
      accountAction: suggested?.accountAction ?? 'none',
    },
  });
  const [outcome, amount, accountAction] = useWatch({ control, name: ['outcome', 'amount', 'accountAction'] });

  const paying = outcome ? isPayingOutcome(outcome) : false;
  const parsedAmount = paying ? amountSchema.safeParse(amount) : null;
  const chosenAmount = parsedAmount?.success ? parsedAmount.data : null;
  const isOverride = outcome ? isOverrideOf(suggested, { outcome, amount: paying ? chosenAmount : null, accountAction }) : false;
  const approval = outcome ? approvalReasonsFor({ outcome, amount: chosenAmount, accountAction, isOverride }, suggested, threshold) : [];

  const redraft = (nextOutcome: DecidableOutcome | undefined, nextAmount: string) => {
    if (replyEdited.current || !nextOutcome) return;
    setValue('reply', fillDraft(drafts[nextOutcome], nextAmount.trim() || null, currency));
  };

  const outcomeField = register('outcome');
  const amountField = register('amount');
  const replyField = register('reply');
  const onOutcomeChange = (next: DecidableOutcome) => {
    let nextAmount = getValues('amount');
    if (isPayingOutcome(next) && !nextAmount.trim()) {
      nextAmount = suggested?.outcome === next ? (suggested.amount ?? '') : '';
      setValue('amount', nextAmount);
    }
    redraft(next, nextAmount);
  };

  const order = suggestedOutcome
    ? [suggestedOutcome, ...DECIDABLE_OUTCOMES.filter((o) => o !== suggestedOutcome)]
    : [...DECIDABLE_OUTCOMES];

  const submit = async (values: DecisionFormValues) => {
    setStatus(null);
    const key = attemptKey.current ?? newIdempotencyKey();
    attemptKey.current = key;
    const isPaying = isPayingOutcome(values.outcome);
    let result: Awaited<ReturnType<typeof proposeDecisionAction>>;
    try {
      result = await proposeDecisionAction({
        ticketId,
        outcome: values.outcome,
        amount: isPaying ? values.amount : undefined,
        reason: isOverride ? values.reason : undefined,
        reply: values.reply,
        accountAction: values.accountAction,
        idempotencyKey: key,
      });
    } catch {
      // No answer: the same attempt (same key) may be sent again without being recorded twice.
      setStatus({
        tone: 'error',
        text: 'The desk could not be reached, so we do not know whether the decision was saved. Send it again: it will not be recorded twice.',
      });
      return;
    }
    attemptKey.current = newIdempotencyKey();
    if (!result.ok) {
      for (const [name, messages] of Object.entries(result.fieldErrors ?? {})) {
        if (isField(name) && messages[0]) setError(name, { type: 'server', message: messages[0] });
      }
      setStatus({ tone: 'error', text: result.message });
      return;
    }
    const d = result.data.decision;
    const what = `${DECISION_OUTCOME_LABEL[d.outcome]}${d.amount ? ` ${d.amount} ${d.currency ?? ''}`.trimEnd() : ''}`;
    setStatus({
      tone: 'ok',
      text:
        d.state === 'awaiting_approval'
          ? `Sent for approval: ${what}. A supervisor must approve it because ${d.approvalReasons.map((r) => APPROVAL_REASON_LABEL[r]).join(' and ')}.`
          : `Decision executed: ${what}.`,
    });
    replyEdited.current = false;
    reset(values);
    router.refresh();
  };

  const statusLine = (
    <p
      role="status"
      aria-live="polite"
      data-testid="decision-status"
      className={`text-xs ${status?.tone === 'error' ? 'font-medium text-red-700' : 'text-emerald-800'}`}
    >
      {status?.text}
    </p>
  );

  if (blockedReason) {
    return (
      <div className="space-y-2" data-testid="decision-form" data-blocked="">
        {statusLine}
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-700" data-testid="decision-blocked">
          {blockedReason}
        </p>
      </div>
    );
  }

  const describe = (field: Field, hint?: string) =>
    [hint ? `decision-${field}-hint` : '', errors[field] ? `decision-${field}-error` : ''].filter(Boolean).join(' ') || undefined;
  const errorLine = (field: Field) =>
    errors[field] ? (
      <p id={`decision-${field}-error`} className="mt-1 text-xs font-medium text-red-700">
        {errors[field]?.message}
      </p>
    ) : null;

  return (
    <form
      onSubmit={(e) => void handleSubmit(submit)(e)}
      noValidate
      className="space-y-4"
      data-testid="decision-form"
      data-override={isOverride ? '' : undefined}
    >
      {notDecidableNote ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-950" data-testid="decision-not-decidable">
          {notDecidableNote}
        </p>
      ) : null}

      <fieldset disabled={isSubmitting} className="space-y-4">
        <fieldset aria-describedby={describe('outcome')}>
          <legend className="mb-1.5 text-xs font-semibold tracking-wide text-slate-600 uppercase">Outcome</legend>
          <div className="flex flex-wrap gap-1.5" role="presentation">
            {order.map((o) => {
              const id = `decision-outcome-${o}`;
              const reason = unavailable[o];
              const isSuggested = o === suggestedOutcome;
              return (
                <span key={o} className="relative">
                  <input
                    id={id}
                    type="radio"
                    value={o}
                    defaultChecked={o === initialOutcome}
                    disabled={Boolean(reason)}
                    className="peer absolute inset-0 opacity-0"
                    aria-describedby={`${id}-hint`}
                    {...outcomeField}
                    onChange={(event) => {
                      void outcomeField.onChange(event);
                      onOutcomeChange(event.target.value as DecidableOutcome);
                    }}
                  />
                  <label
                    htmlFor={id}
                    title={reason ?? DECISION_OUTCOME_HINT[o]}
                    className={`flex cursor-pointer items-center gap-1.5 rounded-md px-2.5 py-1.5 text-xs font-medium ring-1 select-none peer-checked:bg-indigo-600 peer-checked:text-white peer-checked:ring-indigo-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 peer-disabled:cursor-not-allowed peer-disabled:opacity-50 ${
                      isSuggested
                        ? 'bg-emerald-50 text-emerald-900 ring-emerald-300'
                        : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'
                    }`}
                  >
                    {DECISION_OUTCOME_LABEL[o]}
                    {isSuggested ? (
                      <span className="rounded bg-white/80 px-1 text-[10px] font-semibold tracking-wide text-emerald-800 uppercase">
                        suggested
                      </span>
                    ) : null}
                  </label>
                  <span id={`${id}-hint`} className="sr-only">
                    {reason ?? DECISION_OUTCOME_HINT[o]}
                  </span>
                </span>
              );
            })}
          </div>
          {errorLine('outcome')}
        </fieldset>

        {reasons.length ? (
          <div>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">Policy reasons</h3>
            <ul className="space-y-1" data-testid="decision-reasons">
              {reasons.map((r, i) => (
                <li key={`${r.code}-${i}`} className="text-slate-800">
                  <code className="mr-1.5 rounded bg-slate-50 px-1 font-mono text-xs text-slate-700 ring-1 ring-slate-200">{r.code}</code>
                  {r.summary} <span className="text-xs text-slate-600">(policy: {r.clauseTitle})</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <div className="grid gap-3 sm:grid-cols-2">
          {paying ? (
            <div>
              <label htmlFor="decision-amount" className="mb-1 block text-xs font-medium text-slate-700">
                Amount{currency ? ` (${currency})` : ''}
              </label>
              <input
                id="decision-amount"
                inputMode="decimal"
                autoComplete="off"
                defaultValue={suggestedAmount}
                className={`${inputClass} tabular-nums`}
                aria-invalid={errors.amount ? true : undefined}
                aria-describedby={describe('amount', 'hint')}
                {...amountField}
                onChange={(event) => {
                  void amountField.onChange(event);
                  redraft(getValues('outcome'), event.target.value);
                }}
              />
              <p id="decision-amount-hint" className="mt-1 text-xs text-slate-600">
                {suggested?.outcome === outcome && suggested.amount ? `Suggested ${suggested.amount} ${currency ?? ''}. ` : ''}
                {credit ? `At most ${credit.remaining} ${credit.currency} remains on ${credit.kind} ${credit.reference}.` : ''}
              </p>
              {errorLine('amount')}
            </div>
          ) : null}
          <div>
            <label htmlFor="decision-account-action" className="mb-1 block text-xs font-medium text-slate-700">
              Account action
            </label>
            <select
              id="decision-account-action"
              className={inputClass}
              aria-describedby={describe('accountAction')}
              {...register('accountAction')}
            >
              {ACCOUNT_ACTIONS.map((a: AccountAction) => (
                <option key={a} value={a}>
                  {ACCOUNT_ACTION_LABEL[a]}
                  {suggested?.accountAction === a ? ' (suggested)' : ''}
                </option>
              ))}
            </select>
            {errorLine('accountAction')}
          </div>
        </div>

        {isOverride ? (
          <div>
            <label htmlFor="decision-reason" className="mb-1 block text-xs font-medium text-slate-700">
              Reason for the override
            </label>
            <textarea
              id="decision-reason"
              rows={2}
              className={inputClass}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={describe('reason', 'hint')}
              {...register('reason')}
            />
            <p id="decision-reason-hint" className="mt-1 text-xs text-slate-600">
              This departs from the suggestion: say why, in at least {OVERRIDE_REASON_MIN} characters. A supervisor reads it before
              approving.
            </p>
            {errorLine('reason')}
          </div>
        ) : null}

        <div>
          <label htmlFor="decision-reply" className="mb-1 block text-xs font-medium text-slate-700">
            Reply to the customer
          </label>
          <textarea
            id="decision-reply"
            rows={7}
            defaultValue={initialOutcome ? fillDraft(drafts[initialOutcome], suggestedAmount, currency) : ''}
            className={`${inputClass} leading-5`}
            aria-invalid={errors.reply ? true : undefined}
            aria-describedby={describe('reply', 'hint')}
            {...replyField}
            onChange={(event) => {
              void replyField.onChange(event);
              replyEdited.current = true;
            }}
          />
          <p id="decision-reply-hint" className="mt-1 text-xs text-slate-600">
            Sent when the decision is executed{approval.length ? ' (after approval)' : ''}. Drafted from the outcome and the policy’s
            reasons; edit freely.
          </p>
          {errorLine('reply')}
        </div>
      </fieldset>

      <div className="space-y-2">
        {outcome ? (
          <p className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="decision-approval-note">
            {approval.length ? (
              <>
                <Badge tone="warning">Needs supervisor approval</Badge>
                <span className="text-slate-700">because {approval.map((r) => APPROVAL_REASON_LABEL[r]).join(' and ')}.</span>
              </>
            ) : (
              <>
                <Badge tone="success">No approval needed</Badge>
                <span className="text-slate-700">It is executed as soon as you confirm.</span>
              </>
            )}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" disabled={isSubmitting || !outcome}>
            {isSubmitting ? 'Saving…' : approval.length ? 'Send for approval' : 'Execute decision'}
          </Button>
          {statusLine}
        </div>
      </div>
    </form>
  );
}

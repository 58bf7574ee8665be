'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, FieldError, FormError, inputClass } from '@/components/ui/field';
import { useActionForm, type ServerAction } from '@/components/ui/use-action';
import { ACCOUNT_ACTION_LABEL, OUTCOME_LABEL } from '@/lib/labels';
import { formatMoney } from '@/lib/money';
import {
  ACCOUNT_ACTIONS,
  DECIDABLE_OUTCOMES,
  OVERRIDE_REASON_MIN,
  amountSchema,
  approvalReasonLabels,
  approvalReasonsFor,
  isAbove,
  decisionFormSchemaFor,
  fillDraft,
  isOverrideOf,
  isPayingOutcome,
  type AccountAction,
  type ApprovalReason,
  type DecidableOutcome,
  type ProposeDecisionInput,
  type SuggestedChoice,
} from '@/lib/validation/decisions';
import { DECISION_OUTCOME_HINT } from './labels';

/** The server action the page passes in: proposes (and, when nothing needs approval, executes) a decision. */
export type ProposeDecisionAction = ServerAction<
  ProposeDecisionInput,
  {
    decision: {
      outcome: DecidableOutcome;
      amount: string | null;
      currency: string | null;
      state: string;
      approvalReasons: ApprovalReason[];
    };
  }
>;

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
  credit: {
    remaining: string;
    alreadyPaid: string;
    panelRefunded?: string;
    total: string;
    currency: string;
    kind: 'order' | 'payment';
    reference: string;
  } | null;
  threshold: string;
  /** The signed-in person's balance credits over the window against their daily limit. */
  dailyCredit: { used: string; limit: string; remaining: string; windowHours: number };
  /** A supervisor deciding an escalated ticket: departing from the suggestion is no override needing another supervisor. */
  decidesEscalated: boolean;
  drafts: Record<DecidableOutcome, string>;
  unavailable: Partial<Record<DecidableOutcome, string>>;
  action: ProposeDecisionAction;
}

/**
 * The amount the box fills in for a paying outcome: the suggestion's for the suggested outcome, capped
 * at what can still be paid on the order or payment (the panel may have refunded part of it already:
 * the policy's figure stays the policy's, the box never offers more than the room); for any other
 * paying outcome (an override), the room itself.
 */
export function prefillAmount(
  outcome: DecidableOutcome | undefined,
  suggested: SuggestedChoice | null,
  credit: DecisionFormProps['credit'],
): string {
  if (!outcome || !isPayingOutcome(outcome)) return '';
  if (suggested?.outcome === outcome && suggested.amount) {
    return credit && isAbove(suggested.amount, credit.remaining) ? credit.remaining : suggested.amount;
  }
  return credit && isAbove(credit.remaining, '0') ? credit.remaining : '';
}

/** What the box is filled from: when this changes (new findings, new facts), the box follows it. */
export const suggestionKey = (p: Pick<DecisionFormProps, 'suggested' | 'suggestedOutcome' | 'credit'>): string =>
  [
    p.suggestedOutcome ?? '',
    p.suggested?.outcome ?? '',
    p.suggested?.amount ?? '',
    p.suggested?.accountAction ?? '',
    p.credit?.remaining ?? '',
  ].join('|');

/**
 * The decision bar. It follows the suggestion: when saved findings (or the panel's news) change it,
 * an untouched box is filled in again from the new one; a box the agent has edited keeps their
 * choice and offers a one-click switch ("Suggestion changed to Deny — use it").
 */
export function DecisionForm(props: DecisionFormProps) {
  const key = suggestionKey(props);
  const [shownKey, setShownKey] = useState(key);
  const [isEdited, setIsEdited] = useState(false);
  // Adjusted while rendering (React's pattern for state derived from props): an untouched box follows at once.
  if (key !== shownKey && !isEdited) setShownKey(key);
  const changed = key !== shownKey;
  const suggestionWords = props.suggestedOutcome
    ? `${OUTCOME_LABEL[props.suggestedOutcome]}${
        props.suggested?.amount && isPayingOutcome(props.suggestedOutcome)
          ? ` ${formatMoney(props.suggested.amount, props.credit?.currency ?? null)}`
          : ''
      }`
    : 'none the bar can take (verify first)';
  return (
    <div className="space-y-3">
      {changed && !props.blockedReason ? (
        <p
          className="flex flex-wrap items-center gap-2 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-indigo-950"
          role="status"
          data-testid="decision-suggestion-changed"
        >
          <span>Suggestion changed to {suggestionWords}. Your edits below are kept.</span>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setIsEdited(false);
              setShownKey(key);
            }}
          >
            Use it
          </Button>
        </p>
      ) : null}
      <DecisionBox key={shownKey} {...props} onEditedChange={setIsEdited} />
    </div>
  );
}

/** The amount a choice carries: a valid figure for a paying outcome, else null. */
function chosenAmountOf(outcome: DecidableOutcome | undefined, amount: string): string | null {
  if (!outcome || !isPayingOutcome(outcome)) return null;
  const parsed = amountSchema.safeParse(amount);
  return parsed.success ? parsed.data : null;
}

/**
 * The decision box: the suggested outcome first and filled in (amount, reasons, drafted reply);
 * anything else is an override and asks for a written reason. Each attempt carries its own
 * Idempotency-Key, renewed after every answer from the server.
 */
function DecisionBox(props: DecisionFormProps & { onEditedChange: (isEdited: boolean) => void }) {
  const {
    ticketId,
    blockedReason,
    suggested,
    suggestedOutcome,
    notDecidableNote,
    reasons,
    credit,
    threshold,
    dailyCredit,
    decidesEscalated,
    drafts,
    unavailable,
    action,
    onEditedChange,
  } = props;
  const router = useRouter();
  const reasonLabels = useMemo(() => approvalReasonLabels(threshold, dailyCredit.limit), [threshold, dailyCredit.limit]);
  const currency = credit?.currency ?? null;
  // Whether the agent wrote the reply themselves (then a change of outcome keeps their text).
  const replyEdited = useRef(false);

  const suggestedAmount = prefillAmount(suggestedOutcome ?? undefined, suggested, credit);
  const initialOutcome = suggestedOutcome ?? undefined;
  const schema = useMemo(() => decisionFormSchemaFor(suggested), [suggested]);
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema,
    defaultValues: {
      outcome: initialOutcome as DecidableOutcome,
      amount: suggestedAmount,
      reason: '',
      reply: initialOutcome ? fillDraft(drafts[initialOutcome], suggestedAmount, currency) : '',
      accountAction: suggested?.accountAction ?? 'none',
    },
    submit: (values, idempotencyKey) =>
      action({
        ticketId,
        outcome: values.outcome,
        amount: isPayingOutcome(values.outcome) ? values.amount : undefined,
        reason: isOverrideOf(suggested, { ...values, amount: chosenAmountOf(values.outcome, values.amount) }) ? values.reason : undefined,
        reply: values.reply,
        accountAction: values.accountAction,
        idempotencyKey,
      }),
    // No answer: the same attempt (same key) may be sent again without being recorded twice.
    unreachable:
      'The desk could not be reached, so we do not know whether the decision was saved. Send it again: it will not be recorded twice.',
    onSuccess: ({ decision: d }, values, form) => {
      replyEdited.current = false;
      form.reset(values);
      router.refresh();
      const what = `${OUTCOME_LABEL[d.outcome]}${d.amount ? ` ${formatMoney(d.amount, d.currency)}` : ''}`;
      return d.state === 'awaiting_approval'
        ? `Sent for approval: ${what}. A supervisor must approve it because ${d.approvalReasons.map((r) => reasonLabels[r]).join(' and ')}.`
        : d.state === 'awaiting_panel'
          ? `Cancel sent to the panel: ${what}. The panel refunds the charge when it has cancelled the order; the reply goes out then.`
          : `Decision executed: ${what}.`;
    },
  });
  const { register, setValue, getValues, control } = form;
  const { errors, isDirty } = form.formState;
  // Edited by the agent: a changed suggestion then asks before replacing their choice.
  useEffect(() => onEditedChange(isDirty), [isDirty, onEditedChange]);
  const [outcome, amount, accountAction] = useWatch({ control, name: ['outcome', 'amount', 'accountAction'] });

  const paying = outcome ? isPayingOutcome(outcome) : false;
  const chosenAmount = chosenAmountOf(outcome, amount);
  const isOverride = outcome ? isOverrideOf(suggested, { outcome, amount: chosenAmount, accountAction }) : false;
  const approval = outcome
    ? approvalReasonsFor({ outcome, amount: chosenAmount, accountAction, isOverride }, suggested, threshold, {
        decidesEscalated,
        dailyRemaining: dailyCredit.remaining,
      })
    : [];

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
      nextAmount = prefillAmount(next, suggested, credit);
      setValue('amount', nextAmount);
    }
    redraft(next, nextAmount);
  };

  const order = suggestedOutcome
    ? [suggestedOutcome, ...DECIDABLE_OUTCOMES.filter((o) => o !== suggestedOutcome)]
    : [...DECIDABLE_OUTCOMES];

  if (blockedReason) {
    return (
      <div className="space-y-2" data-testid="decision-form" data-blocked="">
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-700" data-testid="decision-blocked">
          {blockedReason}
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" data-testid="decision-form" data-override={isOverride ? '' : undefined}>
      <FormError message={formError} variant="box" />
      {notDecidableNote ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-950" data-testid="decision-not-decidable">
          {notDecidableNote}
        </p>
      ) : null}

      <fieldset disabled={isPending} className="space-y-4">
        <fieldset aria-describedby={errors.outcome ? 'decision-outcome-error' : undefined}>
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
                    {OUTCOME_LABEL[o]}
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
          <FieldError id="decision-outcome" message={errors.outcome?.message} />
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
            <Field
              id="decision-amount"
              label={`Amount${currency ? ` (${currency})` : ''}`}
              error={errors.amount?.message}
              hint={
                <>
                  {suggested?.outcome === outcome && suggested.amount ? `Suggested ${formatMoney(suggested.amount, currency)}. ` : ''}
                  {credit ? `At most ${formatMoney(credit.remaining, credit.currency)} remains on ${credit.kind} ${credit.reference}.` : ''}
                  {credit && suggested?.outcome === outcome && suggested.amount && isAbove(suggested.amount, credit.remaining)
                    ? ` The policy’s figure does not count what was already paid${
                        credit.panelRefunded && isAbove(credit.panelRefunded, '0')
                          ? ` (the panel refunded ${formatMoney(credit.panelRefunded, credit.currency)} itself)`
                          : ''
                      }, so the box holds the ${formatMoney(credit.remaining, credit.currency)} that remains; paying less than the suggestion needs a reason.`
                    : ''}
                </>
              }
            >
              {(control) => (
                <input
                  inputMode="decimal"
                  autoComplete="off"
                  defaultValue={suggestedAmount}
                  className={`${inputClass} py-1.5 tabular-nums`}
                  {...control}
                  {...amountField}
                  onChange={(event) => {
                    void amountField.onChange(event);
                    redraft(getValues('outcome'), event.target.value);
                  }}
                />
              )}
            </Field>
          ) : null}
          <Field id="decision-account-action" label="Account action" error={errors.accountAction?.message}>
            {(control) => (
              <select className={`${inputClass} py-1.5`} {...control} {...register('accountAction')}>
                {ACCOUNT_ACTIONS.map((a: AccountAction) => (
                  <option key={a} value={a}>
                    {ACCOUNT_ACTION_LABEL[a]}
                    {suggested?.accountAction === a ? ' (suggested)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        {isOverride ? (
          <Field
            id="decision-reason"
            label="Reason for the override"
            error={errors.reason?.message}
            hint={`This departs from the suggestion: say why, in at least ${OVERRIDE_REASON_MIN} characters. A supervisor reads it before approving.`}
          >
            {(control) => <textarea rows={2} className={`${inputClass} py-1.5`} {...control} {...register('reason')} />}
          </Field>
        ) : null}

        <Field
          id="decision-reply"
          label="Reply to the customer"
          error={errors.reply?.message}
          hint={`Sent when the decision is executed${approval.length ? ' (after approval)' : ''}. Drafted from the outcome and the policy’s reasons; edit freely.`}
        >
          {(control) => (
            <textarea
              rows={7}
              defaultValue={initialOutcome ? fillDraft(drafts[initialOutcome], suggestedAmount, currency) : ''}
              className={`${inputClass} py-1.5 leading-5`}
              {...control}
              {...replyField}
              onChange={(event) => {
                void replyField.onChange(event);
                replyEdited.current = true;
              }}
            />
          )}
        </Field>
      </fieldset>

      <div className="space-y-2">
        {outcome === 'balance_credit' ? (
          <p className="text-xs text-slate-700" data-testid="daily-limit-notice">
            Your balance credits in the last {dailyCredit.windowHours} hours: {formatMoney(dailyCredit.used, null)} of your daily limit of{' '}
            {formatMoney(dailyCredit.limit, null)}.{' '}
            {approval.includes('daily_limit')
              ? `This credit goes above it, so a supervisor approves it first.`
              : `A credit above ${formatMoney(isAbove(dailyCredit.remaining, threshold) ? threshold : dailyCredit.remaining, null)} waits for a supervisor.`}
          </p>
        ) : null}
        {outcome ? (
          <p className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="decision-approval-note">
            {approval.length ? (
              <>
                <Badge tone="warning">Needs supervisor approval</Badge>
                <span className="text-slate-700">because {approval.map((r) => reasonLabels[r]).join(' and ')}.</span>
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
          <Button type="submit" variant="primary" disabled={isPending || !outcome}>
            {isPending ? 'Saving…' : approval.length ? 'Send for approval' : 'Execute decision'}
          </Button>
        </div>
      </div>
    </form>
  );
}

/**
 * Shared schemas and pure rules of decisions and approvals: the decision bar (react-hook-form on the
 * client) and the core functions (on the server) use the same ones, so the form refuses exactly
 * what the server refuses. Pure TypeScript: no database, no clock, no floats for money.
 */
import { z } from 'zod';
import { ACCOUNT_ACTIONS, type AccountAction } from '@/lib/policy/constants';
import { centsAbove, formatCents, isDecimal, parseDecimal, toCentsDown } from '@/lib/policy/money';
import { MESSAGE_MAX_LENGTH, ticketIdSchema } from './tickets';

export { ACCOUNT_ACTIONS, type AccountAction };

/** The outcomes an agent can decide, in the order of the decision bar (`verify` is not a decision: record findings instead). */
export const DECIDABLE_OUTCOMES = [
  'deny',
  'request_info',
  'reprocess',
  'refill',
  'balance_credit',
  'original_method_refund',
  'escalate',
] as const;
export type DecidableOutcome = (typeof DECIDABLE_OUTCOMES)[number];

/** Outcomes that move money and therefore carry an amount. */
export const PAYING_OUTCOMES: readonly DecidableOutcome[] = ['balance_credit', 'original_method_refund'];
export const isPayingOutcome = (outcome: string): boolean => (PAYING_OUTCOMES as readonly string[]).includes(outcome);

export const OVERRIDE_REASON_MIN = 15;
export const REJECT_REASON_MIN = 5;
export const REASON_MAX = 2000;
export const IDEMPOTENCY_KEY_MIN = 8;
export const IDEMPOTENCY_KEY_MAX = 200;

/** Why a second person must approve, in the order they are listed. */
export const APPROVAL_REASONS = [
  'override',
  'above_threshold',
  'daily_limit',
  'cash_refund',
  'escalation',
  'suspension',
  'policy',
] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

/** Why a second person must approve, in words (`threshold`: the approval threshold in force). */
export function approvalReasonLabels(threshold: string, dailyLimit?: string): Record<ApprovalReason, string> {
  return {
    override: 'it departs from the suggestion (override)',
    above_threshold: `it is a balance credit above ${threshold}`,
    daily_limit: `it takes the proposer’s balance credits of the last 24 hours above their daily limit${dailyLimit ? ` of ${dailyLimit}` : ''}`,
    cash_refund: 'it is a cash refund to the original payment method',
    escalation: 'it escalates the ticket to the supervisors',
    suspension: 'it suspends the customer’s account',
    policy: 'the policy asks for a supervisor',
  };
}

// ---------------------------------------------------------------------------------------------
// Money: decimal strings, compared as whole cents (BigInt).

const AMOUNT_PATTERN = /^\d{1,12}(?:\.\d{1,2})?$/;

/** `"7.5"` → `"7.50"`, `"007"` → `"7.00"` (the input must match the amount pattern). */
export function normalizeAmount(amount: string): string {
  return formatCents(toCentsDown(parseDecimal(amount)));
}

/** Whole cents of a decimal string (more than two decimals are rounded down). */
export function amountCents(amount: string): bigint {
  return toCentsDown(parseDecimal(amount));
}

/** True when the two decimal strings are the same amount ("7.5" and "7.50"). */
export function sameAmount(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (!isDecimal(a) || !isDecimal(b)) return a === b;
  const da = parseDecimal(a);
  const db = parseDecimal(b);
  return da.units * 10n ** BigInt(db.scale) === db.units * 10n ** BigInt(da.scale);
}

/** True when `amount` is strictly above `limit` (both decimal strings). */
export function isAbove(amount: string, limit: string): boolean {
  return centsAbove(amountCents(amount), parseDecimal(limit));
}

const blankToUndefined = (v: unknown) => (v === '' || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);

export const amountSchema = z
  .string({ error: 'Give the amount as a decimal string, e.g. "12.50".' })
  .trim()
  .regex(AMOUNT_PATTERN, 'Give the amount as a decimal with at most two decimals, e.g. 12.50.')
  // zod runs this check even after the pattern failed: only a well-formed amount is converted.
  .refine((v) => !AMOUNT_PATTERN.test(v) || amountCents(v) > 0n, 'The amount must be above 0.')
  .transform(normalizeAmount);

const optionalText = (max: number, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: `Give the ${what} as text.` })
      .trim()
      .max(max, `Keep the ${what} to ${max.toLocaleString('en')} characters or fewer.`)
      .optional(),
  );

export const idempotencyKeySchema = z
  .string({ error: 'Send an Idempotency-Key (a fresh random value for each attempt).' })
  .min(IDEMPOTENCY_KEY_MIN, `The Idempotency-Key must be ${IDEMPOTENCY_KEY_MIN} to ${IDEMPOTENCY_KEY_MAX} characters.`)
  .max(IDEMPOTENCY_KEY_MAX, `The Idempotency-Key must be ${IDEMPOTENCY_KEY_MIN} to ${IDEMPOTENCY_KEY_MAX} characters.`)
  .regex(/^[\x21-\x7e]+$/, 'The Idempotency-Key may only hold visible ASCII characters (no spaces).');

export const decisionIdSchema = z.coerce
  .number({ error: 'Give the decision id as a number.' })
  .int('Give the decision id as a whole number.')
  .positive('Give the decision id as a positive number.')
  .max(Number.MAX_SAFE_INTEGER, 'That decision id is too large.');

const outcomeSchema = z.enum(DECIDABLE_OUTCOMES, { error: `Choose one of: ${DECIDABLE_OUTCOMES.join(', ')}.` });
const accountActionSchema = z.enum(ACCOUNT_ACTIONS, { error: `Choose an account action: ${ACCOUNT_ACTIONS.join(', ')}.` });

/** A proposal, as the server takes it (UI action and REST route alike). */
export const proposeDecisionSchema = z
  .strictObject({
    ticketId: ticketIdSchema,
    outcome: outcomeSchema,
    amount: z.preprocess(blankToUndefined, amountSchema.optional()),
    /** Why the agent departs from the suggestion (required for an override, at least 15 characters). */
    reason: optionalText(REASON_MAX, 'reason'),
    /** The reply sent to the customer when the decision is executed; drafted when absent. */
    reply: optionalText(MESSAGE_MAX_LENGTH, 'reply'),
    /** Defaults to the suggestion's account action. */
    accountAction: z.preprocess(blankToUndefined, accountActionSchema.optional()),
    idempotencyKey: idempotencyKeySchema,
  })
  .superRefine((v, ctx) => {
    if (v.amount !== undefined && !isPayingOutcome(v.outcome)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Only a balance credit or a cash refund carries an amount.' });
    }
  });
export type ProposeDecisionInput = z.input<typeof proposeDecisionSchema>;
export type ProposeDecision = z.output<typeof proposeDecisionSchema>;

/** An approval or a rejection. A rejection needs a reason of at least 5 characters. */
export const reviewDecisionSchema = z
  .strictObject({
    decisionId: decisionIdSchema,
    approve: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
      error: 'Say whether you approve (true) or reject (false).',
    }),
    reason: optionalText(REASON_MAX, 'reason'),
    idempotencyKey: z.preprocess(blankToUndefined, idempotencyKeySchema.optional()),
  })
  .superRefine((v, ctx) => {
    if (!v.approve && (v.reason ?? '').length < REJECT_REASON_MIN) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `Say why you reject it (at least ${REJECT_REASON_MIN} characters).` });
    }
  });
export type ReviewDecisionInput = z.input<typeof reviewDecisionSchema>;

/** A supervisor or admin withdraws a cancel that never reached the panel (its delivery failed for good). */
export const withdrawCancelSchema = z.strictObject({
  decisionId: decisionIdSchema,
  reason: z
    .string({ error: 'Say why the cancel is withdrawn.' })
    .trim()
    .min(REJECT_REASON_MIN, `Say why the cancel is withdrawn, in at least ${REJECT_REASON_MIN} characters.`)
    .max(REASON_MAX, `Keep the reason to ${REASON_MAX.toLocaleString('en')} characters or fewer.`),
});
export type WithdrawCancelInput = z.input<typeof withdrawCancelSchema>;

// ---------------------------------------------------------------------------------------------
// Override and approval rules, shared by the form (live hints) and the server (authoritative).

/** What the policy suggested, as far as the decision bar is concerned. */
export interface SuggestedChoice {
  outcome: string;
  amount: string | null;
  accountAction: AccountAction;
  requiresApproval: 'none' | 'supervisor';
}

export interface Choice {
  outcome: DecidableOutcome;
  /** Absent: the suggested amount (when the suggestion pays). */
  amount?: string | null;
  accountAction?: AccountAction;
}

/**
 * Whether a choice departs from the suggestion: another outcome, another amount, or another
 * account action. With no suggestion (or `verify`), every decision is an override.
 */
export function isOverrideOf(suggested: SuggestedChoice | null, choice: Choice): boolean {
  if (!suggested || suggested.outcome !== choice.outcome) return true;
  if (choice.accountAction !== undefined && choice.accountAction !== suggested.accountAction) return true;
  if (isPayingOutcome(choice.outcome) && choice.amount != null && !sameAmount(choice.amount, suggested.amount)) return true;
  return false;
}

/** Whether this person deciding this ticket decides an escalated ticket (see `approvalReasonsFor`). */
export const decidesEscalated = (ticketStatus: string, role: string): boolean =>
  ticketStatus === 'escalated' && (role === 'supervisor' || role === 'admin');

/**
 * Why a choice needs a supervisor (empty: it executes at once). Balance credits strictly above the
 * approval threshold in force (`threshold`), every cash refund, every override, every escalation and every suspension.
 */
export function approvalReasonsFor(
  choice: { outcome: DecidableOutcome; amount: string | null; accountAction: AccountAction; isOverride: boolean },
  suggested: SuggestedChoice | null,
  threshold: string,
  context: {
    /**
     * A supervisor (or admin) deciding an escalated ticket: the escalation's approval made them the
     * decider, so departing from the suggestion is their decision, not an override for yet another
     * supervisor. Money rules (threshold, daily limit, cash refund) and suspension still apply.
     */
    decidesEscalated?: boolean;
    /** What the proposer may still credit today without a supervisor (`dailyUseOf`); null or absent: no limit applies. */
    dailyRemaining?: string | null;
  } = {},
): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  if (choice.isOverride && !context.decidesEscalated) reasons.push('override');
  if (choice.outcome === 'balance_credit' && choice.amount !== null && isAbove(choice.amount, threshold)) reasons.push('above_threshold');
  if (
    choice.outcome === 'balance_credit' &&
    choice.amount !== null &&
    context.dailyRemaining != null &&
    isAbove(choice.amount, context.dailyRemaining)
  )
    reasons.push('daily_limit');
  if (choice.outcome === 'original_method_refund') reasons.push('cash_refund');
  if (choice.outcome === 'escalate') reasons.push('escalation');
  if (choice.accountAction === 'suspend') reasons.push('suspension');
  if (reasons.length === 0 && !choice.isOverride && !context.decidesEscalated && suggested?.requiresApproval === 'supervisor')
    reasons.push('policy');
  return reasons;
}

/** How the review reason of a cancel the panel refused begins: the history says the panel refused it, not a supervisor. */
export const PANEL_REFUSAL_PREFIX = 'The panel did not cancel';

/** Where a drafted reply carries the amount; filled in by `fillDraft`. */
export const AMOUNT_TOKEN = '{{amount}}';

/** A drafted reply with the amount in place: `"We will add {{amount}}…"` → `"We will add 7.50 USD…"`. */
export function fillDraft(draft: string, amount: string | null | undefined, currency: string | null | undefined): string {
  const text = amount ? `${amount}${currency ? ` ${currency}` : ''}` : 'the amount due';
  return draft.split(AMOUNT_TOKEN).join(text);
}

// ---------------------------------------------------------------------------------------------
// The decision bar's form: strings as the inputs hold them; the server schema coerces again.

export const decisionFormSchema = z.object({
  outcome: outcomeSchema,
  amount: z.string(),
  reason: z.string().max(REASON_MAX, `Keep the reason to ${REASON_MAX.toLocaleString('en')} characters or fewer.`),
  reply: z.string().max(MESSAGE_MAX_LENGTH, `Keep the reply to ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters or fewer.`),
  accountAction: accountActionSchema,
});
export type DecisionFormValues = z.infer<typeof decisionFormSchema>;

/** The form's schema for one ticket: the amount is required for paying outcomes, an override needs its reason. */
export function decisionFormSchemaFor(suggested: SuggestedChoice | null) {
  return decisionFormSchema.superRefine((v, ctx) => {
    const paying = isPayingOutcome(v.outcome);
    const amount = v.amount.trim();
    if (paying) {
      const parsed = amountSchema.safeParse(amount);
      if (!amount) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Give the amount, e.g. 12.50.' });
      else if (!parsed.success)
        ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.error.issues[0]?.message ?? 'Give a valid amount.' });
    }
    const override = isOverrideOf(suggested, {
      outcome: v.outcome,
      amount: paying && amount ? amount : null,
      accountAction: v.accountAction,
    });
    if (override && v.reason.trim().length < OVERRIDE_REASON_MIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `This departs from the suggestion: say why, in at least ${OVERRIDE_REASON_MIN} characters.`,
      });
    }
  });
}

/** The rejection form on the approvals page. */
export const rejectFormSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(REJECT_REASON_MIN, `Say why you reject it (at least ${REJECT_REASON_MIN} characters).`)
    .max(REASON_MAX, `Keep the reason to ${REASON_MAX.toLocaleString('en')} characters or fewer.`),
});
export type RejectFormValues = z.infer<typeof rejectFormSchema>;

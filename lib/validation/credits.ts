/**
 * Shared schemas of manual credits (/credits): react-hook-form uses the form schemas on the
 * client, and the core functions in lib/credits parse their whole input with the request schemas.
 * Amounts are decimal strings, checked and normalised to two decimals without floating point.
 */
import { z } from 'zod';
import { fromCents, toCents } from '@/lib/money';

export const CREDIT_REASONS = ['goodwill', 'compensation', 'correction', 'promotion'] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

export const CREDIT_REASON_LABEL: Record<CreditReason, string> = {
  goodwill: 'Goodwill',
  compensation: 'Compensation',
  correction: 'Correction',
  promotion: 'Promotion',
};

/** The largest single manual credit. */
export const CREDIT_MAX_AMOUNT = '10000.00';
export const NOTE_MIN_LENGTH = 5;
export const NOTE_MAX_LENGTH = 500;
export const REVIEW_REASON_MIN_LENGTH = 5;
/** The currency offered when a customer has no ledger yet (the panel's default). */
export const DEFAULT_CREDIT_CURRENCY = 'USD';

const MAX_CENTS = toCents(CREDIT_MAX_AMOUNT);
const MAX_LABEL = '10,000.00';

/**
 * A positive amount with at most two decimals, at most 10,000.00, as a decimal string; normalised
 * to exactly two decimals ("10" → "10.00"). Each way of getting it wrong has its own sentence.
 */
export const creditAmountSchema = z
  .string({ error: 'Enter the amount as a number, such as 10 or 10.50.' })
  .trim()
  .superRefine((value, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (value === '') return fail('Enter an amount, such as 10 or 10.50.');
    if (/^-/.test(value)) return fail('The amount must be positive; to take money back, reverse the credit instead.');
    if (!/^\d+(?:\.\d+)?$/.test(value))
      return fail('Write the amount as a number, such as 10 or 10.50 (digits and one dot; no currency sign, spaces or commas).');
    if (!/^\d+(?:\.\d{1,2})?$/.test(value)) return fail('Use at most two decimal places (cents), such as 10.50.');
    if (!/^\d{1,12}(?:\.\d{1,2})?$/.test(value)) return fail(`The amount can be at most ${MAX_LABEL} per credit.`);
    const cents = toCents(value);
    if (cents <= 0n) return fail('The amount must be more than 0.00.');
    if (cents > MAX_CENTS) return fail(`The amount can be at most ${MAX_LABEL} per credit.`);
  })
  .transform((value) => (/^\d{1,12}(?:\.\d{1,2})?$/.test(value) ? fromCents(toCents(value)) : value));

export const currencySchema = z
  .string({ error: 'Choose a currency, such as USD.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Choose a currency as its three-letter code, such as USD.');

export const creditReasonSchema = z.enum(CREDIT_REASONS, { error: 'Choose a reason: goodwill, compensation, correction or promotion.' });

export const creditNoteSchema = z
  .string({ error: `Write a note of at least ${NOTE_MIN_LENGTH} characters saying why.` })
  .trim()
  .min(NOTE_MIN_LENGTH, `Write a note of at least ${NOTE_MIN_LENGTH} characters saying why.`)
  .max(NOTE_MAX_LENGTH, `Keep the note to ${NOTE_MAX_LENGTH} characters or fewer.`);

/** One key per attempt of a form: the same key again is the same request (a replay). */
export const idempotencyKeySchema = z
  .string({ error: 'The request has no idempotency key; reload the page and try again.' })
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9:_-]{7,99}$/,
    'The idempotency key must be 8–100 letters, digits, dashes, colons or underscores; reload the page and try again.',
  );

const idSchema = (what: string) =>
  z.coerce
    .number({ error: `Give the ${what} id as a number.` })
    .int(`Give the ${what} id as a whole number.`)
    .positive(`Give the ${what} id as a positive number.`)
    .max(Number.MAX_SAFE_INTEGER, `That ${what} id is too large.`);

export const customerIdSchema = idSchema('customer');
export const ledgerEntryIdSchema = idSchema('ledger entry');
export const manualCreditIdSchema = idSchema('manual credit');

/** The customer search on /credits (`?q=`): a username, an email or the panel's customer id. */
export const searchCustomersSchema = z.object({
  q: z
    .string({ error: 'Search with text: a username, an email or a panel customer id.' })
    .trim()
    .max(100, 'Keep the search to 100 characters or fewer.')
    .optional()
    .transform((v) => v ?? ''),
});
export type SearchCustomersInput = z.input<typeof searchCustomersSchema>;

export const customerLedgerSchema = z.object({ customerId: customerIdSchema });
export type CustomerLedgerInput = z.input<typeof customerLedgerSchema>;

/** The issue-a-credit form. */
export const creditFormSchema = z.strictObject({
  amount: creditAmountSchema,
  currency: currencySchema,
  reasonCode: creditReasonSchema,
  note: creditNoteSchema,
});
export type CreditFormInput = z.input<typeof creditFormSchema>;
export type CreditFormValues = z.output<typeof creditFormSchema>;

export const requestManualCreditSchema = z.strictObject({
  customerId: customerIdSchema,
  ...creditFormSchema.shape,
  idempotencyKey: idempotencyKeySchema,
});
export type RequestManualCreditInput = z.input<typeof requestManualCreditSchema>;

/** The reverse-a-credit form: the amount is always the original credit's. */
export const reversalFormSchema = z.strictObject({
  reasonCode: creditReasonSchema,
  note: creditNoteSchema,
});
export type ReversalFormInput = z.input<typeof reversalFormSchema>;
export type ReversalFormValues = z.output<typeof reversalFormSchema>;

export const requestReversalSchema = z.strictObject({
  ledgerEntryId: ledgerEntryIdSchema,
  ...reversalFormSchema.shape,
  idempotencyKey: idempotencyKeySchema,
});
export type RequestReversalInput = z.input<typeof requestReversalSchema>;

const reviewReasonSchema = z
  .string({ error: 'Write the reason as text.' })
  .trim()
  .max(NOTE_MAX_LENGTH, `Keep the reason to ${NOTE_MAX_LENGTH} characters or fewer.`);

/** The reject box of a waiting request: a reason is required. */
export const rejectFormSchema = z.strictObject({
  reason: reviewReasonSchema.min(
    REVIEW_REASON_MIN_LENGTH,
    `Write a reason of at least ${REVIEW_REASON_MIN_LENGTH} characters for rejecting.`,
  ),
});
export type RejectFormValues = z.output<typeof rejectFormSchema>;

/** A second admin's review: approve (reason optional) or reject (reason of at least 5 characters). */
export const reviewManualCreditSchema = z
  .strictObject({
    manualCreditId: manualCreditIdSchema,
    approve: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
      error: 'Say whether you approve the request (true or false).',
    }),
    reason: reviewReasonSchema
      .optional()
      .nullable()
      .transform((v) => v || null),
  })
  .superRefine((value, ctx) => {
    if (!value.approve && (value.reason ?? '').length < REVIEW_REASON_MIN_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `Write a reason of at least ${REVIEW_REASON_MIN_LENGTH} characters for rejecting.`,
      });
    }
  });
export type ReviewManualCreditInput = z.input<typeof reviewManualCreditSchema>;

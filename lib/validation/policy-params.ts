import { z } from 'zod';

const count = (what: string, max: number) =>
  z.coerce
    .number({ error: `Enter ${what} as a whole number.` })
    .int(`Enter ${what} as a whole number.`)
    .min(0, `${what[0]!.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(max, `Enter at most ${max}.`);

const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
/** An amount with two decimals ("50" → "50.00"). */
const twoDecimals = (v: string) => (v.includes('.') ? v.padEnd(v.indexOf('.') + 3, '0') : `${v}.00`);

/** Per-currency thresholds as written on the form: `EUR 45.00, GBP 40` (blank: none). */
export function formatThresholds(thresholds: Readonly<Record<string, string>>): string {
  return Object.entries(thresholds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(', ');
}

const thresholdsSchema = z.preprocess(
  // The API may send an object ({"EUR": "45.00"}); the form sends the text.
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? formatThresholds(v as Record<string, string>) : v),
  z
    .string({ error: 'Write the thresholds per currency as “EUR 45.00, GBP 40.00”.' })
    .trim()
    .max(2000, 'Use at most 2000 characters.')
    .transform((text, ctx) => {
      const out: Record<string, string> = {};
      for (const part of text
        .split(/[,;\n]/)
        .map((p) => p.trim())
        .filter(Boolean)) {
        const match = /^([A-Za-z]{3})\s*[:=]?\s*(\S+)$/.exec(part);
        if (!match || !AMOUNT.test(match[2]!)) {
          ctx.addIssue({ code: 'custom', message: `“${part}” is not a currency and an amount, e.g. “EUR 45.00”.` });
          return z.NEVER;
        }
        const currency = match[1]!.toUpperCase();
        if (currency in out) {
          ctx.addIssue({ code: 'custom', message: `${currency} is listed twice; give each currency one threshold.` });
          return z.NEVER;
        }
        out[currency] = twoDecimals(match[2]!);
      }
      return out;
    }),
);

/**
 * The figures of a proposed parameter set, as the form and the server read them. The window and
 * the per-currency thresholds may be left out (by API callers of older forms): the set in force's stay.
 */
export const paramFieldsSchema = z.object({
  claimWindowDays: count('the review window', 3650),
  minorVariancePercent: count('the minor-variance percentage', 100),
  serialRefundRequests: count('the refund-request count', 1000),
  refundRequestWindowDays: count('the refund-request window', 3650).min(1, 'The refund-request window is at least 1 day.').optional(),
  approvalThreshold: z.string().trim().regex(AMOUNT, 'Enter the approval threshold as an amount, e.g. 50.00.').transform(twoDecimals),
  approvalThresholds: thresholdsSchema.optional(),
});

export const proposeParamSetSchema = paramFieldsSchema.extend({
  name: z
    .string()
    .trim()
    .min(3, 'Name the set (at least 3 characters), e.g. “Shorter review window”.')
    .max(120, 'Use at most 120 characters.'),
  /** An ISO time, or a `datetime-local` value read as UTC. */
  effectiveAt: z
    .string()
    .trim()
    .min(1, 'Choose when the set takes effect.')
    .transform((v, ctx) => {
      const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date and time, e.g. 2026-07-01 09:00.' });
        return z.NEVER;
      }
      return date;
    }),
});
export type ProposeParamSetInput = z.input<typeof proposeParamSetSchema>;

export const paramSetIdSchema = z.object({
  // A set's number is its version, a 4-byte integer in the database.
  setId: z.coerce
    .number({ error: 'Choose a parameter set.' })
    .int()
    .positive('Choose a parameter set.')
    .max(2_147_483_647, 'There is no parameter set with that number.'),
});

export const reviewParamSetSchema = paramSetIdSchema.extend({
  approve: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
  reason: z.string().trim().max(500, 'Use at most 500 characters.').optional(),
});
export type ReviewParamSetInput = z.input<typeof reviewParamSetSchema>;

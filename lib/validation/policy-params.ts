import { z } from 'zod';

const count = (what: string, max: number) =>
  z.coerce
    .number({ error: `Enter ${what} as a whole number.` })
    .int(`Enter ${what} as a whole number.`)
    .min(0, `${what[0]!.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(max, `Enter at most ${max}.`);

/** The figures of a proposed parameter set, as the form and the server read them. */
export const paramFieldsSchema = z.object({
  claimWindowDays: count('the review window', 3650),
  minorVariancePercent: count('the minor-variance percentage', 100),
  serialRefundRequests: count('the refund-request count', 1000),
  approvalThreshold: z
    .string()
    .trim()
    .regex(/^\d{1,9}(\.\d{1,2})?$/, 'Enter the approval threshold as an amount, e.g. 50.00.')
    .transform((v) => (v.includes('.') ? v.padEnd(v.indexOf('.') + 3, '0') : `${v}.00`)),
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
  setId: z.coerce.number({ error: 'Choose a parameter set.' }).int().positive('Choose a parameter set.'),
});

export const reviewParamSetSchema = paramSetIdSchema.extend({
  approve: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
  reason: z.string().trim().max(500, 'Use at most 500 characters.').optional(),
});
export type ReviewParamSetInput = z.input<typeof reviewParamSetSchema>;

import { z } from 'zod';
import { CLAIMS, OUTCOMES, PAYMENT_METHODS } from '@/lib/policy';
import { refuseUnsafeText } from './parse';

export const QUEUE_TABS = ['open', 'waiting_customer', 'awaiting_approval', 'escalated', 'resolved', 'all'] as const;
/** `sla`: the team's next due time first (breached, then breaching soon); `deadline`: the policy's claim window. */
export const QUEUE_SORTS = ['sla', 'deadline', 'opened', 'amount'] as const;
export const ASSIGNEE_FILTERS = ['anyone', 'me', 'unassigned'] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.enum(values).optional());

/** The queue's URL: every filter, the sort and the page cursor. Unknown values are errors, not guesses. */
export const queueQuerySchema = z.object({
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(QUEUE_TABS).default('open')),
  claim: optionalEnum(CLAIMS),
  outcome: optionalEnum(OUTCOMES),
  assignee: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ASSIGNEE_FILTERS).default('anyone')),
  method: optionalEnum(PAYMENT_METHODS),
  /** Breached or due within the breaching-soon window (`overdue=1`, the older name, means the same). */
  breaching: z.preprocess((v) => v === '1' || v === 'true' || v === true, z.boolean()).default(false),
  q: z
    .string()
    .superRefine(refuseUnsafeText)
    .trim()
    .max(200, 'The search is too long (200 characters at most).')
    .optional()
    .transform((v) => v || undefined),
  sort: z.preprocess((v) => (v === '' ? undefined : v), z.enum(QUEUE_SORTS).default('sla')),
  after: z
    .string()
    .superRefine(refuseUnsafeText)
    .max(200)
    .optional()
    .transform((v) => v || undefined),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;

export const ticketIdSchema = z.coerce
  .number({ error: 'The ticket id must be a number.' })
  .int()
  .positive('The ticket id must be a positive number.');
export const claimTicketSchema = z.object({ ticketId: ticketIdSchema });
export const assignTicketSchema = z.object({
  ticketId: ticketIdSchema,
  assigneeId: z.union([z.literal(null), z.literal(''), z.coerce.number().int().positive()]).transform((v) => (v === '' ? null : v)),
});

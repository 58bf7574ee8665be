/**
 * Shared schemas of the ticket page: the findings form and the reply box use them with
 * react-hook-form on the client, and the core functions parse their input with them on the server.
 */
import { z } from 'zod';
import { FINDING_NAMES, type FindingName } from '@/lib/policy/constants';

export { FINDING_NAMES, type FindingName };

/** Human labels of the seven findings, in contract order. */
export const FINDING_LABELS: Record<FindingName, string> = {
  linkValid: 'Link valid',
  targetPublic: 'Target public',
  targetUnchanged: 'Target unchanged',
  duplicateOrderSameTarget: 'Duplicate order on same target',
  otherProvidersUsed: 'Other providers used',
  platformAction: 'Platform action (purge, filter, penalty)',
  companyFault: 'Company or provider fault',
};

/** What to check for each finding, in one line. */
export const FINDING_HINTS: Record<FindingName, string> = {
  linkValid: 'The link opens the right profile or post: no typo, redirect, geoblock or age gate.',
  targetPublic: 'The profile or post is public and visible while logged out.',
  targetUnchanged: 'Not renamed, deleted or materially changed since the order.',
  duplicateOrderSameTarget: 'Another order of ours overlapped on the same link.',
  otherProvidersUsed: 'The customer also used another panel or provider on this target.',
  platformAction: 'The platform purged, filtered, restricted or penalised the target.',
  companyFault: 'Non-delivery confirmed to be our fault or that of a provider we chose.',
};

export type Findings = Record<FindingName, boolean | null>;

const USER_CAUSED: readonly FindingName[] = FINDING_NAMES.filter((name) => name !== 'companyFault');

/**
 * The findings the policy check reads for a claim (refund-policy rules 5–7): all seven for a
 * non-delivery claim, the user- or platform-caused ones for drops and cancel requests, only
 * companyFault for payment claims, none for claims decided before any fact (never remedied, other).
 */
export function findingsReadFor(claim: string): readonly FindingName[] {
  if (claim === 'not_started' || claim === 'not_delivered' || claim === 'partial_delivery') return FINDING_NAMES;
  if (claim === 'drop' || claim === 'cancel_request') return USER_CAUSED;
  if (claim === 'duplicate_payment' || claim === 'payment_not_credited') return ['companyFault'];
  return [];
}

/** The three answers of a finding on the form. */
export const FINDING_CHOICES = ['yes', 'no', 'unknown'] as const;
export type FindingChoice = (typeof FINDING_CHOICES)[number];

export const toChoice = (value: boolean | null | undefined): FindingChoice => (value === true ? 'yes' : value === false ? 'no' : 'unknown');
export const fromChoice = (choice: FindingChoice): boolean | null => (choice === 'yes' ? true : choice === 'no' ? false : null);

const CHOICE_ERROR = 'Choose yes, no or unknown.';

const choiceSchema = z.enum(FINDING_CHOICES, { error: CHOICE_ERROR });

/** The findings form: one yes / no / unknown answer per finding. */
export const findingsFormSchema = z.strictObject(
  Object.fromEntries(FINDING_NAMES.map((name) => [name, choiceSchema])) as Record<FindingName, typeof choiceSchema>,
);
export type FindingsFormValues = z.infer<typeof findingsFormSchema>;

export function findingsToForm(findings: Partial<Findings> | null | undefined): FindingsFormValues {
  return Object.fromEntries(FINDING_NAMES.map((name) => [name, toChoice(findings?.[name])])) as FindingsFormValues;
}

/** A finding as the server takes it: true / false / null, or the form's yes / no / unknown. */
const findingValueSchema = z.preprocess(
  (value) => (value === 'yes' ? true : value === 'no' ? false : value === 'unknown' ? null : value),
  z.boolean({ error: CHOICE_ERROR }).nullable(),
);

export const ticketIdSchema = z.coerce
  .number({ error: 'Give the ticket id as a number.' })
  .int('Give the ticket id as a whole number.')
  .positive('Give the ticket id as a positive number.')
  .max(Number.MAX_SAFE_INTEGER, 'That ticket id is too large.');

export const saveFindingsSchema = z.strictObject({
  ticketId: ticketIdSchema,
  findings: z.strictObject(
    Object.fromEntries(FINDING_NAMES.map((name) => [name, findingValueSchema])) as Record<FindingName, typeof findingValueSchema>,
    { error: 'Give all seven findings.' },
  ),
  /**
   * When the findings the form started from were saved (ISO time; null: none were saved yet).
   * Given, a save over someone else's newer findings is refused instead of overwriting them.
   */
  basedOn: z.iso.datetime({ offset: true, error: 'Give basedOn as an ISO time or null.' }).nullable().optional(),
});
export type SaveFindingsInput = z.input<typeof saveFindingsSchema>;

export const MESSAGE_MAX_LENGTH = 5000;

const bodySchema = z
  .string({ error: 'Write a message.' })
  .trim()
  .min(1, 'Write a message.')
  .max(MESSAGE_MAX_LENGTH, `Keep the message to ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters or fewer.`);

export const MESSAGE_KINDS = ['reply', 'note'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The reply box: a reply to the customer or an internal note. */
export const messageFormSchema = z.strictObject({
  kind: z.enum(MESSAGE_KINDS, { error: 'Choose a reply or an internal note.' }),
  body: bodySchema,
});
export type MessageFormValues = z.infer<typeof messageFormSchema>;

/** What a reply may do to the ticket's status as it is sent (nothing, by default). */
export const REPLY_STATUSES = ['waiting_customer', 'resolved'] as const;

export const addTicketMessageSchema = z.strictObject({
  ticketId: ticketIdSchema,
  body: bodySchema,
  isInternal: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: 'Say whether the message is an internal note (true or false).',
  }),
  setStatus: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.enum(REPLY_STATUSES, { error: 'After a reply the ticket can wait for the customer or be resolved.' }).optional(),
  ),
});
export type AddTicketMessageInput = z.input<typeof addTicketMessageSchema>;

/** An evidence file's id from a URL: a positive whole number, else there is no such file. */
export const evidenceIdSchema = z.coerce
  .number({ error: 'Give the evidence id as a number.' })
  .int('Give the evidence id as a whole number.')
  .positive('Give the evidence id as a positive number.')
  .max(Number.MAX_SAFE_INTEGER, 'That evidence id is too large.');

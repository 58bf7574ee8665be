/**
 * The input of the policy check (CONTRACT.md "Input") as a zod schema, and its types.
 * Parsing fills in what may be missing (null, false or 0), turns blank texts into null and keeps
 * times and money as the validated strings, so a parsed input is itself a valid raw input.
 *
 * `validate.ts` holds a hand-written validator with the same behaviour for the hot path; the tests
 * prove that both agree.
 */
import { z } from 'zod';
import {
  CLAIMS,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  REMEDIES,
  type Claim,
  type OrderStatus,
  type PaymentMethod,
  type Remedy,
} from './constants';
import { DECIMAL_PATTERN } from './money';
import { parseInstant } from './time';

export const MAX_SERVICE_DAYS = 1_000_000;
export const CURRENCY_PATTERN = /^[A-Za-z0-9]{1,16}$/;

/** Messages shared by the zod schema and the hand validator. Each is printed as `path: message`. */
export const MESSAGES = {
  required: 'required',
  unknownField: 'unknown field',
  object: 'must be an object',
  objectOrNull: 'must be an object or null',
  time: 'must be an ISO-8601 date-time such as "2026-06-28T10:00:00Z"',
  text: 'must be a string or null',
  nonBlank: 'must be a non-blank string',
  currency: 'must be a currency code such as "USD"',
  money: 'must be a non-negative decimal string such as "12.50"',
  boolean: 'must be true or false',
  booleanOrNull: 'must be true, false or null',
  count: 'must be an integer ≥ 0',
  quantity: 'must be an integer ≥ 1',
  days: `must be null or an integer from 0 to ${MAX_SERVICE_DAYS}`,
  oneOf: (values: readonly string[]) => `must be one of ${values.join(', ')}`,
  oneOfOrNull: (values: readonly string[]) => `must be one of ${values.join(', ')}, or null`,
} as const;

const BLANK = /^\s*$/; // \s is the set String#trim removes

export function isBlank(s: string): boolean {
  const first = s.charCodeAt(0);
  if (first > 32 && first < 127) return false; // a visible ASCII character: the common case
  return BLANK.test(s);
}

// ---- parsed types -----------------------------------------------------------------------------

export interface TicketInput {
  openedAt: string;
  claim: Claim;
  requestedRemedy: Remedy | null;
  /** null when absent or blank */
  orderNumber: string | null;
  targetLink: string | null;
  explanation: string | null;
  evidenceCount: number;
  mandatoryLawClaimed: boolean;
  chargebackThreatened: boolean;
  resellerDownstreamDispute: boolean;
}

export interface ServiceInput {
  /** null = no refill, 0 = lifetime */
  refillDays: number | null;
  reviewWindowDays: number | null;
}

export interface OrderInput {
  id: string | null;
  status: OrderStatus;
  statusChangedAt: string;
  link: string;
  quantity: number;
  delivered: number;
  charge: string;
  currency: string;
  service: ServiceInput;
}

export interface PaymentInput {
  method: PaymentMethod;
  amount: string;
  currency: string;
  paidAt: string;
  credited: boolean;
  duplicate: boolean;
  overcharged: boolean;
  balanceSpent: boolean;
  processorAllowsRefund: boolean | null;
}

export interface AccountInput {
  chargebackOpen: boolean;
  fraudSuspected: boolean;
  refundRequests90d: number;
}

export interface FindingsInput {
  linkValid: boolean | null;
  targetPublic: boolean | null;
  targetUnchanged: boolean | null;
  duplicateOrderSameTarget: boolean | null;
  otherProvidersUsed: boolean | null;
  platformAction: boolean | null;
  companyFault: boolean | null;
}

/** A validated input with every optional field filled in. */
export interface PolicyInput {
  now: string;
  ticket: TicketInput;
  order: OrderInput | null;
  payment: PaymentInput | null;
  account: AccountInput;
  findings: FindingsInput;
}

export const defaultService = (): ServiceInput => ({ refillDays: null, reviewWindowDays: null });
export const defaultAccount = (): AccountInput => ({ chargebackOpen: false, fraudSuspected: false, refundRequests90d: 0 });
export const defaultFindings = (): FindingsInput => ({
  linkValid: null,
  targetPublic: null,
  targetUnchanged: null,
  duplicateOrderSameTarget: null,
  otherProvidersUsed: null,
  platformAction: null,
  companyFault: null,
});

// ---- zod schema -------------------------------------------------------------------------------

/** `required` when the field is missing, else `message`. */
const orRequired = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? MESSAGES.required : message),
});

const time = () => z.string(orRequired(MESSAGES.time)).refine((s) => parseInstant(s) !== null, { error: MESSAGES.time });
const text = () =>
  z
    .string({ error: MESSAGES.text })
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null || isBlank(v) ? null : v));
const nonBlank = () => z.string(orRequired(MESSAGES.nonBlank)).refine((s) => !isBlank(s), { error: MESSAGES.nonBlank });
const currency = () => z.string(orRequired(MESSAGES.currency)).regex(CURRENCY_PATTERN, { error: MESSAGES.currency });
const money = () => z.string(orRequired(MESSAGES.money)).regex(DECIMAL_PATTERN, { error: MESSAGES.money });
const flag = () =>
  z
    .boolean({ error: MESSAGES.boolean })
    .optional()
    .transform((v) => v ?? false);
const finding = () =>
  z
    .boolean({ error: MESSAGES.booleanOrNull })
    .nullable()
    .optional()
    .transform((v) => v ?? null);
const integer = (min: number, message: string) => z.number(orRequired(message)).int({ error: message }).min(min, { error: message });
const count = () =>
  integer(0, MESSAGES.count)
    .optional()
    .transform((v) => v ?? 0);
const days = () =>
  integer(0, MESSAGES.days)
    .max(MAX_SERVICE_DAYS, { error: MESSAGES.days })
    .nullable()
    .optional()
    .transform((v) => v ?? null);

const ticketSchema = z.strictObject(
  {
    openedAt: time(),
    claim: z.enum(CLAIMS, orRequired(MESSAGES.oneOf(CLAIMS))),
    requestedRemedy: z
      .enum(REMEDIES, { error: MESSAGES.oneOfOrNull(REMEDIES) })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    orderNumber: text(),
    targetLink: text(),
    explanation: text(),
    evidenceCount: count(),
    mandatoryLawClaimed: flag(),
    chargebackThreatened: flag(),
    resellerDownstreamDispute: flag(),
  },
  orRequired(MESSAGES.object),
);

const serviceSchema = z
  .strictObject({ refillDays: days(), reviewWindowDays: days() }, { error: MESSAGES.objectOrNull })
  .nullable()
  .optional()
  .transform((v) => v ?? defaultService());

const orderSchema = z
  .strictObject(
    {
      id: text(),
      status: z.enum(ORDER_STATUSES, orRequired(MESSAGES.oneOf(ORDER_STATUSES))),
      statusChangedAt: time(),
      link: nonBlank(),
      quantity: integer(1, MESSAGES.quantity),
      delivered: integer(0, MESSAGES.count),
      charge: money(),
      currency: currency(),
      service: serviceSchema,
    },
    { error: MESSAGES.objectOrNull },
  )
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const paymentSchema = z
  .strictObject(
    {
      method: z.enum(PAYMENT_METHODS, orRequired(MESSAGES.oneOf(PAYMENT_METHODS))),
      amount: money(),
      currency: currency(),
      paidAt: time(),
      credited: flag(),
      duplicate: flag(),
      overcharged: flag(),
      balanceSpent: flag(),
      processorAllowsRefund: finding(),
    },
    { error: MESSAGES.objectOrNull },
  )
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const accountSchema = z
  .strictObject({ chargebackOpen: flag(), fraudSuspected: flag(), refundRequests90d: count() }, { error: MESSAGES.objectOrNull })
  .nullable()
  .optional()
  .transform((v) => v ?? defaultAccount());

const findingsSchema = z
  .strictObject(
    {
      linkValid: finding(),
      targetPublic: finding(),
      targetUnchanged: finding(),
      duplicateOrderSameTarget: finding(),
      otherProvidersUsed: finding(),
      platformAction: finding(),
      companyFault: finding(),
    },
    { error: MESSAGES.objectOrNull },
  )
  .nullable()
  .optional()
  .transform((v) => v ?? defaultFindings());

/** The input schema; parses to `PolicyInput`. Issues are best read through `formatIssues`. */
export const policyInputSchema = z.strictObject(
  {
    now: time(),
    ticket: ticketSchema,
    order: orderSchema,
    payment: paymentSchema,
    account: accountSchema,
    findings: findingsSchema,
  },
  { error: MESSAGES.object },
);

/** What callers may pass: missing fields allowed where the contract allows them. */
export type PolicyInputRaw = z.input<typeof policyInputSchema>;

// The zod output and the hand-written interface must stay the same type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.output<typeof policyInputSchema>, PolicyInput> = true;
void schemaMatchesInterface;

/** `path: message` for each zod issue; unknown fields are named one by one. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${[...issue.path, key].join('.')}: ${MESSAGES.unknownField}`);
    } else {
      out.push(`${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`);
    }
  }
  return out;
}

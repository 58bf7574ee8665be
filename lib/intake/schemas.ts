/**
 * The intake API's request and response bodies (`/api/v1/services`, `customers`, `orders`,
 * `payments`, `tickets`, `tickets/{id}`, `tickets/{id}/messages`): the one definition the server
 * validates with and the OpenAPI document is generated from (`z.toJSONSchema(schema, { io: 'input' })`
 * for requests, `io: 'output'` for responses). Pure: imports only zod and the policy's constants.
 *
 * Conventions: field names in camelCase; the panel's own ids are strings (`id`, or `number` for an
 * order, `panelId` for a ticket); unknown fields are refused (strict objects); money is a decimal
 * string or a JSON number with at most 8 decimals, kept exactly (normalized to a string); counts
 * may come as numbers or digit strings (panels send both); times are ISO 8601 with a zone.
 */
import { z } from 'zod';
import { CLAIMS, OUTCOMES, PAYMENT_METHODS, REMEDIES } from '@/lib/policy/constants';
import { toOrderStatus, type OrderStatusValue } from '@/lib/validation/intake';

// ---------------------------------------------------------------------------------------------
// Building blocks.

/** The largest batch of `POST /api/v1/orders`. */
export const MAX_ORDER_BATCH = 100;
/** The largest intake body, in bytes (413 above). */
export const MAX_INTAKE_BODY_BYTES = 1024 * 1024;

/** A panel id (user id, service id, order number, payment id, ticket id): 1–64 characters. */
export const panelId = (what: string) =>
  z
    .string({ error: `Give the ${what} as a string.` })
    .trim()
    .min(1, `Give the ${what}.`)
    .max(64, `The ${what} is longer than 64 characters.`)
    .describe(`The panel's ${what} (1–64 characters).`);

/** Free text of at most `max` characters (trimmed). */
const text = (what: string, max: number) =>
  z
    .string({ error: `Give ${what} as a string.` })
    .trim()
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} is longer than ${max} characters.`);

const MONEY_TEXT = /^\d{1,12}(?:\.\d{1,8})?$/;

/** At least two decimals, no trailing zeros past them: "0.27819000" → "0.27819"; "12" → "12.00"; "012.5" → "12.50". */
export function normalizeDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${w}.${f}`;
}

/**
 * Money: a decimal string (`"0.27819"`) or a JSON number (`0.27819`), 0 or more, at most 12 digits
 * before the point and 8 after it. Read as a string so it is stored exactly (numeric(20,8)).
 */
export const moneySchema = (what: string) =>
  z
    .union([z.string(), z.number()], { error: `Give ${what} as a decimal string or a number, e.g. "0.27819".` })
    .transform((value, ctx) => {
      const raw = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'x') : value.trim();
      if (!MONEY_TEXT.test(raw)) {
        ctx.addIssue({
          code: 'custom',
          message: /^-/.test(raw)
            ? `${what[0]!.toUpperCase()}${what.slice(1)} cannot be negative.`
            : /\.\d{9,}$/.test(raw)
              ? `${what[0]!.toUpperCase()}${what.slice(1)} has more than 8 decimals.`
              : `Give ${what} as a decimal with at most 12 digits before the point and 8 after it, e.g. "0.27819".`,
        });
        return z.NEVER;
      }
      return normalizeDecimal(raw);
    })
    .describe(`${what[0]!.toUpperCase()}${what.slice(1)}: a decimal string or number ≥ 0 with at most 8 decimals, stored exactly.`);

/** A three-letter currency code; lower case is accepted and upper-cased. */
export const currencySchema = z
  .string({ error: 'Give the currency as a three-letter code, e.g. "USD".' })
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'Give the currency as a three-letter code, e.g. "USD".')
  .transform((c) => c.toUpperCase())
  .describe('ISO 4217 currency code, e.g. "USD" (any case).');

const INT_MAX = 2_147_483_647;

/** A whole number as a JSON number or a digit string, within [min, INT_MAX]. */
const count = (what: string, { min = 0 }: { min?: number } = {}) =>
  z.union([z.number(), z.string()], { error: `Give ${what} as a whole number.` }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*-?\d{1,12}\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `Give ${what} as a whole number.` });
      return z.NEVER;
    }
    if (n < min || n > INT_MAX) {
      ctx.addIssue({
        code: 'custom',
        message: n < min ? `${what[0]!.toUpperCase()}${what.slice(1)} must be ${min} or more.` : `${what} is too large.`,
      });
      return z.NEVER;
    }
    return n;
  });

/** Nothing the panel sends is older than this. */
const EARLIEST = Date.UTC(2000, 0, 1);

/** A time: ISO 8601 with a zone (`2026-11-27T16:00:00Z`), not in the future. */
export const timeSchema = (what: string) =>
  z.iso
    .datetime({ offset: true, error: `Give ${what} as ISO 8601 with a time zone, e.g. 2026-11-27T16:00:00Z.` })
    .refine((t) => !(new Date(t).getTime() > Date.now() + 5 * 60_000), `${what[0]!.toUpperCase()}${what.slice(1)} is in the future.`)
    .refine((t) => !(new Date(t).getTime() < EARLIEST), `${what[0]!.toUpperCase()}${what.slice(1)} is before 2000.`)
    .describe(`${what[0]!.toUpperCase()}${what.slice(1)}: ISO 8601 with a time zone, from 2000 on and not in the future.`);

// ---------------------------------------------------------------------------------------------
// Order statuses in the panel's words.

/** The desk's order statuses; the panel's words for them are read by `toOrderStatus` (shared with order events). */
export type DeskOrderStatus = OrderStatusValue;

const STATUS_WORDS = 'Pending, In progress, Processing, Partial, Completed, Canceled (or Cancelled, Refunded, Fail, Error), in any case';

export const panelOrderStatusSchema = z
  .string({ error: `Give the status as one of: ${STATUS_WORDS}.` })
  .transform((value, ctx) => {
    const status = toOrderStatus(value);
    if (!status) {
      ctx.addIssue({ code: 'custom', message: `Unknown status "${value.slice(0, 40)}": use ${STATUS_WORDS}.` });
      return z.NEVER;
    }
    return status;
  })
  .describe(`The order's status in the panel's words: ${STATUS_WORDS}.`);

/** `remains`: a whole number (negative = over-delivery) or the string `Unknown` (null). */
export const remainsSchema = z
  .union([z.number(), z.string()], { error: 'Give remains as a whole number (negative for over-delivery) or "Unknown".' })
  .transform((value, ctx): number | null => {
    if (typeof value === 'string' && value.trim().toLowerCase() === 'unknown') return null;
    const n = typeof value === 'number' ? value : /^\s*-?\d{1,12}\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || Math.abs(n) > INT_MAX) {
      ctx.addIssue({ code: 'custom', message: 'Give remains as a whole number (negative for over-delivery) or "Unknown".' });
      return z.NEVER;
    }
    return n;
  })
  .describe('What is left to deliver: a whole number (negative when over-delivered) or the string "Unknown".');

// ---------------------------------------------------------------------------------------------
// POST /api/v1/services

export const serviceInputSchema = z
  .strictObject({
    id: panelId('service id'),
    name: text('the name', 300).min(1, 'Give the service name.').describe('The service name as the panel lists it.'),
    category: text('the category', 200).min(1, 'Give the category.').describe('The panel category, e.g. "Instagram Followers".'),
    platform: text('the platform', 100)
      .min(1, 'Give the platform or leave it out.')
      .optional()
      .describe('The platform, e.g. "instagram"; read from the category when left out.'),
    rate: moneySchema('the rate').describe('Price per 1000, up to 8 decimals.'),
    currency: currencySchema,
    min: count('the minimum quantity', { min: 1 }).optional().describe('Smallest quantity per order (default 1).'),
    max: count('the maximum quantity', { min: 1 }).optional().describe('Largest quantity per order (default 2147483647).'),
    refill: z.boolean({ error: 'Give refill as true or false.' }).describe('Whether the service offers refills.'),
    refillDays: count('the refill days')
      .refine((n) => n <= 100_000, 'The refill days are at most 100000.')
      .nullable()
      .optional()
      .describe('How many days after completion a refill may be asked for; 0 or null with refill=true: lifetime.'),
    cancel: z.boolean({ error: 'Give cancel as true or false.' }).describe('Whether orders of the service may be canceled.'),
  })
  .superRefine((s, ctx) => {
    if (s.min !== undefined && s.max !== undefined && s.min > s.max)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'The maximum is below the minimum.' });
    if (!s.refill && s.refillDays != null && s.refillDays > 0)
      ctx.addIssue({ code: 'custom', path: ['refillDays'], message: 'refillDays given but refill is false.' });
  })
  .describe('A service of the catalogue, upserted by its panel id.');
export type ServiceInput = z.output<typeof serviceInputSchema>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/customers

export const customerInputSchema = z
  .strictObject({
    id: panelId('user id'),
    username: text('the username', 200).min(1, 'Give the username.').describe('The panel username.'),
    email: z
      .string({ error: 'Give the email as a string.' })
      .trim()
      .max(320, 'The email is longer than 320 characters.')
      .pipe(z.email({ error: 'Give a valid email address.' }))
      .describe('The customer’s email address.'),
    currency: currencySchema.optional().describe('The currency of the customer’s balance.'),
    createdAt: timeSchema('the sign-up time').optional(),
    isReseller: z.boolean({ error: 'Give isReseller as true or false.' }).optional().describe('Whether the customer resells (API user).'),
  })
  .describe('A panel user, upserted by the panel user id.');
export type CustomerInput = z.output<typeof customerInputSchema>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/orders

export const orderInputSchema = z
  .strictObject({
    number: panelId('order number'),
    customer: panelId('user id of the customer').describe('The panel user id of the customer (POST /customers first).'),
    service: panelId('service id').describe('The panel service id (POST /services first).'),
    link: z
      .string({ error: 'Give the link as a string.' })
      .max(2000, 'The link is longer than 2000 characters.')
      .refine((l) => l.trim().length > 0, 'Give the link.')
      .describe('The target link exactly as submitted (white space kept).'),
    quantity: count('the quantity', { min: 1 }).describe('Ordered quantity, 1 or more.'),
    charge: moneySchema('the charge'),
    currency: currencySchema,
    startCount: count('the start count').nullable().optional().describe('The target’s count when the order started.'),
    remains: remainsSchema.optional(),
    status: panelOrderStatusSchema,
    createdAt: timeSchema('the order time'),
    statusChangedAt: timeSchema('the time of the last status change')
      .optional()
      .describe('When the status last changed (default: the order time).'),
  })
  .describe('An order in the panel’s words, upserted by its number.');
export type OrderInput = z.output<typeof orderInputSchema>;

export const orderBatchInputSchema = z
  .strictObject({
    orders: z
      .array(z.unknown(), { error: 'Give orders as an array.' })
      .min(1, 'Give at least one order.')
      .max(MAX_ORDER_BATCH, `Give at most ${MAX_ORDER_BATCH} orders per request.`)
      .describe(`1–${MAX_ORDER_BATCH} orders, each checked and stored on its own (see Order).`),
  })
  .describe('A batch of orders: answered item by item; each item is stored entirely or not at all.');

/** The body of `POST /api/v1/orders`, for the document: one order, or `{ orders: [...] }`. */
export const ordersBodySchema = z.union([
  orderInputSchema,
  z.strictObject({ orders: z.array(orderInputSchema).min(1).max(MAX_ORDER_BATCH) }).describe(orderBatchInputSchema.description!),
]);

// ---------------------------------------------------------------------------------------------
// POST /api/v1/payments

export const PAYMENT_CHANGES = ['credited', 'duplicate', 'dispute_opened', 'chargeback'] as const;

export const paymentInputSchema = z
  .strictObject({
    kind: z.literal('payment', { error: 'kind must be "payment" for a payment.' }).describe('"payment": the payment itself.'),
    id: panelId('payment id'),
    customer: panelId('user id of the customer'),
    method: z.enum(PAYMENT_METHODS, { error: `Use one of: ${PAYMENT_METHODS.join(', ')}.` }).describe('How it was paid.'),
    processor: text('the processor', 100).min(1, 'Give the processor.').describe('e.g. "Cryptomus", "Stripe".'),
    transactionId: text('the transaction id', 200).min(1, 'Give the transaction id.').describe('The processor’s transaction id.'),
    amount: moneySchema('the amount'),
    currency: currencySchema,
    paidAt: timeSchema('the payment time'),
    credited: z
      .boolean({ error: 'Give credited as true or false.' })
      .optional()
      .describe('Whether the balance was credited (default true).'),
    duplicateOf: panelId('payment id of the original').nullable().optional().describe('The payment this one duplicates, if any.'),
    overcharged: z.boolean({ error: 'Give overcharged as true or false.' }).optional().describe('Charged more than the top-up.'),
    refundable: z
      .boolean({ error: 'Give refundable as true or false.' })
      .nullable()
      .optional()
      .describe('Whether the processor allows a refund to the original method (null: unknown).'),
    balanceSpent: z.boolean({ error: 'Give balanceSpent as true or false.' }).optional().describe('Whether any of it was spent.'),
  })
  .describe('A payment (top-up), upserted by its panel id.');

export const paymentChangeSchema = z
  .strictObject({
    kind: z
      .enum(PAYMENT_CHANGES)
      .describe(
        'credited: the balance was credited; duplicate: it duplicates `duplicateOf`; dispute_opened / chargeback: the customer disputed it.',
      ),
    id: panelId('payment id'),
    at: timeSchema('the time of the change'),
    duplicateOf: panelId('payment id of the original').optional().describe('With kind=duplicate: the original payment.'),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'duplicate' && !c.duplicateOf)
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'A duplicate needs the original payment in duplicateOf.' });
    if (c.kind !== 'duplicate' && c.duplicateOf)
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'duplicateOf goes only with kind=duplicate.' });
  })
  .describe('A later change of a payment already sent.');

export const paymentsBodySchema = z
  .discriminatedUnion('kind', [paymentInputSchema, paymentChangeSchema], {
    error: `Give kind: "payment" or one of ${PAYMENT_CHANGES.join(', ')}.`,
  })
  .describe('A payment, or a later change of one.');
export type PaymentInput = z.output<typeof paymentInputSchema>;
export type PaymentChange = z.output<typeof paymentChangeSchema>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/tickets and /tickets/{id}/messages

const bool = (what: string, description: string) =>
  z
    .boolean({ error: `Give ${what} as true or false.` })
    .optional()
    .describe(description);

export const ticketInputSchema = z
  .strictObject({
    panelId: panelId('ticket id'),
    customer: panelId('user id of the customer'),
    claim: z.enum(CLAIMS, { error: `Use one of: ${CLAIMS.join(', ')}.` }).describe('What the customer claims.'),
    requestedRemedy: z
      .enum(REMEDIES, { error: `Use one of: ${REMEDIES.join(', ')}.` })
      .nullable()
      .optional()
      .describe('What the customer asks for.'),
    orderNumber: z
      .string({ error: 'Give the order number as a string.' })
      .max(200, 'The order number is longer than 200 characters.')
      .nullable()
      .optional()
      .describe('The order number exactly as the customer wrote it (linked when it names an order of theirs).'),
    link: z
      .string({ error: 'Give the link as a string.' })
      .max(2000, 'The link is longer than 2000 characters.')
      .nullable()
      .optional()
      .describe('The target link exactly as the customer wrote it.'),
    payment: panelId('payment id').nullable().optional().describe('The panel payment id the ticket is about (payment claims).'),
    explanation: text('the explanation', 10_000).nullable().optional().describe('The customer’s explanation.'),
    message: text('the first message', 20_000).min(1, 'Give the first message.').describe('The customer’s first message.'),
    openedAt: timeSchema('the time the ticket was opened').optional().describe('When the customer opened it (default: now).'),
    mandatoryLawClaimed: bool('mandatoryLawClaimed', 'The customer invokes a mandatory consumer law.'),
    chargebackThreatened: bool('chargebackThreatened', 'The customer threatens a chargeback.'),
    resellerDownstreamDispute: bool('resellerDownstreamDispute', 'A reseller’s dispute with their own customer.'),
  })
  .describe('A ticket opened on the panel, upserted by its panel ticket id.');
export type TicketInput = z.output<typeof ticketInputSchema>;

export const ticketMessageInputSchema = z
  .strictObject({
    body: text('the message', 20_000).min(1, 'Give the message.').describe('What the customer wrote.'),
    at: timeSchema('the time of the message').optional().describe('When it was written (default: now).'),
  })
  .describe('A reply of the customer on a ticket.');
export type TicketMessageInput = z.output<typeof ticketMessageInputSchema>;

// ---------------------------------------------------------------------------------------------
// GET /api/v1/tickets?updated_since=…

export const ticketListQuerySchema = z
  .strictObject({
    updated_since: z.iso
      .datetime({ offset: true, error: 'Give updated_since as ISO 8601 with a time zone.' })
      .refine((t) => !(new Date(t).getTime() < 0), 'Give updated_since from 1970 on.')
      .optional()
      .describe('Only tickets changed at or after this time.'),
    cursor: z
      .string()
      .regex(/^\d{1,17}\.\d{1,15}$/, 'Give the cursor exactly as nextCursor returned it.')
      .optional()
      .describe('nextCursor of the previous page.'),
    limit: count('the limit', { min: 1 })
      .refine((n) => n <= 500, 'The limit is at most 500.')
      .optional()
      .describe('Tickets per page, 1–500 (default 100).'),
  })
  .describe('Query of the ticket sync.');

// ---------------------------------------------------------------------------------------------
// Responses.

export const TICKET_STATUSES = ['open', 'waiting_customer', 'awaiting_approval', 'escalated', 'resolved'] as const;

export const ticketDecisionViewSchema = z
  .object({
    outcome: z.enum(OUTCOMES).describe('The outcome decided.'),
    amount: z.string().nullable().describe('The amount credited or refunded, if any.'),
    currency: z.string().nullable(),
    decidedAt: z.string().describe('ISO 8601.'),
    message: z.string().describe('The decision in words the panel can show the customer.'),
  })
  .describe('The decision, once the ticket is decided.');

export const ticketViewSchema = z
  .object({
    id: z.number().int().describe('The desk’s ticket id (use it or "panel:<panelId>" in paths).'),
    panelId: z.string().nullable().describe('The panel ticket id.'),
    status: z.enum(TICKET_STATUSES).describe('Where the ticket stands at the desk.'),
    statusText: z.string().describe('The status in words the panel can show the customer.'),
    claim: z.enum(CLAIMS),
    openedAt: z.string(),
    updatedAt: z.string(),
    decision: ticketDecisionViewSchema.nullable(),
  })
  .describe('A ticket as the panel sees it.');
export type TicketView = z.output<typeof ticketViewSchema>;

export const ticketListViewSchema = z
  .object({
    tickets: z.array(ticketViewSchema),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  })
  .describe('A page of tickets, oldest change first.');

export const upsertResultSchema = z
  .object({ id: z.string().describe('The panel id.'), created: z.boolean().describe('true: new; false: updated.') })
  .describe('What an upsert did.');

export const orderBatchResultSchema = z
  .object({
    accepted: z.number().int(),
    refused: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        number: z.string().nullable(),
        status: z.enum(['accepted', 'refused']),
        created: z.boolean().optional(),
        detail: z.string().optional().describe('Why it was refused.'),
        fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
      }),
    ),
  })
  .describe('A batch, answered item by item.');

export const ticketMessageResultSchema = z
  .object({ id: z.number().int(), ticketId: z.number().int(), status: z.enum(TICKET_STATUSES) })
  .describe('The stored message and the ticket’s status after it.');

/** Every request and response body, by name, for the OpenAPI document. */
export const INTAKE_SCHEMAS = {
  Service: serviceInputSchema,
  Customer: customerInputSchema,
  Order: orderInputSchema,
  OrdersBody: ordersBodySchema,
  Payment: paymentInputSchema,
  PaymentChange: paymentChangeSchema,
  PaymentsBody: paymentsBodySchema,
  Ticket: ticketInputSchema,
  TicketMessage: ticketMessageInputSchema,
  TicketListQuery: ticketListQuerySchema,
  TicketView: ticketViewSchema,
  TicketList: ticketListViewSchema,
  UpsertResult: upsertResultSchema,
  OrderBatchResult: orderBatchResultSchema,
  TicketMessageResult: ticketMessageResultSchema,
} as const;

/**
 * Every API-key operation of `/api/v1`, described once: the OpenAPI document (./document.ts) and the
 * reference page (/docs/api) are built from this table. Bodies are the zod schemas the server
 * validates with (lib/intake/schemas.ts, lib/validation/intake.ts); the scopes come from the
 * permission table (lib/auth/permissions.ts) through `permission`.
 */
import { z } from 'zod';
import {
  customerInputSchema,
  MAX_INTAKE_BODY_BYTES,
  MAX_ORDER_BATCH,
  orderBatchResultSchema,
  ordersBodySchema,
  paymentsBodySchema,
  serviceInputSchema,
  ticketInputSchema,
  ticketListQuerySchema,
  ticketListViewSchema,
  ticketMessageInputSchema,
  ticketMessageResultSchema,
  ticketViewSchema,
  upsertResultSchema,
} from '@/lib/intake/schemas';
import { ORDER_EVENT_KINDS, orderEventInputSchema } from '@/lib/validation/intake';

export type HttpMethod = 'get' | 'post';

export interface PathParam {
  name: string;
  description: string;
  example: string;
}

export interface Operation {
  method: HttpMethod;
  /** OpenAPI path under the server URL, e.g. `/tickets/{id}`. */
  path: string;
  operationId: string;
  tag: 'Catalogue' | 'Orders' | 'Payments' | 'Tickets';
  summary: string;
  description: string;
  /** The permission the route checks (its `auth: { apiKey }`); its API-key scopes are the operation's. */
  permission: string;
  pathParams?: PathParam[];
  /** Query parameters as a zod object. */
  query?: z.ZodObject;
  /** The request body as the server validates it: JSON unless `multipart` (files in a form). */
  body?: {
    schema: z.ZodType;
    name: string;
    example: unknown;
    examples?: Record<string, { summary: string; value: unknown }>;
    multipart?: boolean;
  };
  /** Success answers: status → description and body. */
  responses: Record<number, { description: string; schema: z.ZodType; name: string; example?: unknown }>;
  /** The error statuses it may answer (problem+json). */
  errors: number[];
  /** Whether it takes `Idempotency-Key`. */
  idempotent: boolean;
  /** Largest body in bytes. */
  maxBodyBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Evidence files (lib/evidence): a multipart form, and the stored files as the upload answers them.

const evidenceFormSchema = z
  .strictObject({
    file: z
      .array(z.string().meta({ contentMediaType: 'application/octet-stream' }))
      .min(1)
      .describe(
        'One or more files, each a part named `file`. PNG, JPEG, WebP, GIF, HEIC/HEIF (decided from the bytes) or PDF; up to 10 MB each and 20 files a ticket (configurable).',
      ),
  })
  .describe('multipart/form-data');

const evidenceUploadResultSchema = z.object({
  evidence: z.array(
    z.object({
      id: z.number().int(),
      ticketId: z.number().int(),
      originalName: z.string().describe('The file name, cleaned for display (last path segment, no control characters).'),
      mimeType: z.string().describe('The stored type: images re-encoded without metadata, PDFs as sent.'),
      sizeBytes: z.number().int(),
      width: z.number().int().nullable(),
      height: z.number().int().nullable(),
      sha256: z.string(),
      perceptualHash: z.string().nullable(),
      url: z.string(),
      thumbnailUrl: z.string().nullable(),
      uploadedAt: z.string(),
      reuse: z
        .array(
          z.object({
            evidenceId: z.number().int(),
            ticketId: z.number().int(),
            customerId: z.number().int(),
            originalName: z.string(),
            distance: z.number().int(),
          }),
        )
        .describe('The same or nearly the same picture on another customer’s ticket.'),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Response bodies the intake schemas do not name (their shapes as lib/intake answers them).

export const paymentResultSchema = upsertResultSchema
  .extend({
    kind: z.enum(['payment', 'credited', 'duplicate', 'dispute_opened', 'chargeback']).describe('What was applied.'),
  })
  .describe('What the payment call did.');

/** `POST /orders/{orderNumber}/events` body: the event schema without the order number (it is in the path). */
const { orderNumber: _orderNumber, ...eventShape } = orderEventInputSchema.shape;
void _orderNumber;
export const orderEventBodySchema = z
  .object(eventShape)
  .describe(
    'An event of the order. `data` is kept as sent; the desk reads `to` (or `status`) of a status change, `delivered` (or `remains`), `startCount` and `eventId` from it.',
  );

export const orderEventResultSchema = z
  .object({
    duplicate: z.boolean().describe('true: this event id was recorded before; nothing changed.'),
    event: z.object({
      id: z.number().int(),
      eventId: z.string().nullable(),
      kind: z.enum(ORDER_EVENT_KINDS),
      at: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
    order: z.object({
      number: z.string(),
      status: z.enum(['submitted', 'processing', 'partial', 'completed', 'canceled']),
      delivered: z.number().int(),
      startCount: z.number().int().nullable(),
      statusChangedAt: z.string(),
    }),
    applied: z.boolean().describe('Whether the event changed the order (an event older than the newest only joins the timeline).'),
    ticketsRefreshed: z.number().int().describe('Tickets about the order whose suggestion was recomputed.'),
  })
  .describe('The recorded event and the order’s facts after it.');

// ---------------------------------------------------------------------------------------------
// Examples.

const NOW = '2026-11-27T16:00:00Z';
export const EXAMPLES = {
  service: {
    id: '1204',
    name: 'Instagram Followers [R30] ♻️',
    category: 'Instagram Followers',
    rate: '2.15',
    currency: 'USD',
    min: 100,
    max: 50000,
    refill: true,
    refillDays: 30,
    cancel: true,
  },
  customer: { id: '58213', username: 'growthshop', email: 'owner@growthshop.example', currency: 'USD', createdAt: '2026-03-02T09:14:00Z' },
  order: {
    number: '918273',
    customer: '58213',
    service: '1204',
    link: 'https://instagram.com/growthshop',
    quantity: 1000,
    charge: '2.15',
    currency: 'USD',
    startCount: '3572',
    remains: '157',
    status: 'Partial',
    createdAt: '2026-11-20T10:02:00Z',
    statusChangedAt: '2026-11-21T08:40:00Z',
  },
  payment: {
    kind: 'payment',
    id: 'P-55120',
    customer: '58213',
    method: 'crypto',
    processor: 'Cryptomus',
    transactionId: '0x9f2c…e41',
    amount: '25.00',
    currency: 'USD',
    paidAt: '2026-11-19T12:00:00Z',
  },
  paymentChange: { kind: 'chargeback', id: 'P-55120', at: NOW },
  ticket: {
    panelId: 'T-88123',
    customer: '58213',
    claim: 'drop',
    requestedRemedy: 'refill',
    orderNumber: '#918273',
    link: 'instagram.com/growthshop',
    explanation: 'followers dropped from 4400 to 3900 in 3 days',
    message: 'hello, my followers dropping please refill',
    chargebackThreatened: false,
  },
  message: { body: 'i sent the screenshot, please check', at: NOW },
  event: { eventId: 'ev-918273-7', kind: 'status_changed', at: NOW, data: { to: 'Completed', remains: '0' } },
  ticketView: {
    id: 1042,
    panelId: 'T-88123',
    status: 'resolved',
    statusText: 'Resolved: a refill was sent.',
    claim: 'drop',
    openedAt: '2026-11-27T15:58:00.000Z',
    updatedAt: '2026-11-27T17:10:00.000Z',
    decision: {
      outcome: 'refill',
      amount: null,
      currency: null,
      decidedAt: '2026-11-27T17:10:00.000Z',
      message: 'We have sent a refill for order 918273.',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// The operations.

const INTAKE_ERRORS = [400, 401, 403, 409, 413, 415, 422, 429];
const ticketParam: PathParam = {
  name: 'id',
  description: 'The desk’s ticket id returned at creation, or `panel:<panel ticket id>`.',
  example: 'panel:T-88123',
};
const upserted = (what: string) => ({
  201: { description: `${what} created.`, schema: upsertResultSchema, name: 'UpsertResult', example: { id: '1204', created: true } },
  200: {
    description: `${what} updated (or a replay).`,
    schema: upsertResultSchema,
    name: 'UpsertResult',
    example: { id: '1204', created: false },
  },
});

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/services',
    operationId: 'upsertService',
    tag: 'Catalogue',
    summary: 'Send a service of the catalogue',
    description: 'Creates or updates a service by its panel id: name, category, rate per 1000, refill (and for how many days), cancel.',
    permission: 'intake.write',
    body: { schema: serviceInputSchema, name: 'Service', example: EXAMPLES.service },
    responses: upserted('The service'),
    errors: INTAKE_ERRORS,
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'post',
    path: '/customers',
    operationId: 'upsertCustomer',
    tag: 'Catalogue',
    summary: 'Send a customer',
    description: 'Creates or updates a panel user by id.',
    permission: 'intake.write',
    body: { schema: customerInputSchema, name: 'Customer', example: EXAMPLES.customer },
    responses: upserted('The customer'),
    errors: INTAKE_ERRORS,
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'post',
    path: '/orders',
    operationId: 'upsertOrders',
    tag: 'Orders',
    summary: 'Send one order or a batch',
    description: `One order, or \`{ "orders": [...] }\` with 1–${MAX_ORDER_BATCH}, upserted by the panel's order number, in the panel's own words (status \`Pending\`, \`In progress\`, \`Partial\`…; \`remains\` negative or \`"Unknown"\`; money with up to 8 decimals, stored exactly). A batch is answered item by item: each item is stored entirely or not at all, and the answer is 200 even when some were refused.`,
    permission: 'intake.write',
    body: {
      schema: ordersBodySchema,
      name: 'OrdersBody',
      example: EXAMPLES.order,
      examples: {
        one: { summary: 'One order', value: EXAMPLES.order },
        batch: {
          summary: 'A batch',
          value: { orders: [EXAMPLES.order, { ...EXAMPLES.order, number: '918274', status: 'In progress', remains: 'Unknown' }] },
        },
      },
    },
    responses: {
      201: {
        description: 'One order, created.',
        schema: upsertResultSchema,
        name: 'UpsertResult',
        example: { id: '918273', created: true },
      },
      200: {
        description: 'One order updated; or a batch, item by item.',
        schema: z.union([upsertResultSchema, orderBatchResultSchema]),
        name: 'OrdersResult',
        example: {
          accepted: 1,
          refused: 1,
          results: [
            { index: 0, number: '918273', status: 'accepted', created: true },
            {
              index: 1,
              number: '918274',
              status: 'refused',
              detail: 'There is no service "99".',
              fieldErrors: { service: ['There is no service "99".'] },
            },
          ],
        },
      },
    },
    errors: INTAKE_ERRORS,
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'post',
    path: '/orders/{orderNumber}/events',
    operationId: 'recordOrderEvent',
    tag: 'Orders',
    summary: 'Report what happened to an order',
    description:
      'Status changes, partial deliveries, refills, cancels: the event joins the order’s timeline and, if it is the newest, updates the order; tickets about the order get their suggestion recomputed. Idempotent by `eventId` (per order): a repeat answers 200 with `duplicate: true`; the same event id for another kind is 409.',
    permission: 'orders.events.write',
    pathParams: [{ name: 'orderNumber', description: 'The panel order number (URL-encoded).', example: '918273' }],
    body: { schema: orderEventBodySchema, name: 'OrderEvent', example: EXAMPLES.event },
    responses: {
      201: { description: 'Recorded.', schema: orderEventResultSchema, name: 'OrderEventResult' },
      200: { description: 'Seen before (`duplicate: true`): nothing changed.', schema: orderEventResultSchema, name: 'OrderEventResult' },
    },
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429],
    idempotent: true,
  },
  {
    method: 'post',
    path: '/payments',
    operationId: 'recordPayment',
    tag: 'Payments',
    summary: 'Send a payment or a later change of one',
    description:
      '`kind: "payment"` creates or updates a top-up by its panel id; `credited`, `duplicate`, `dispute_opened` and `chargeback` record what happened to it later.',
    permission: 'intake.write',
    body: {
      schema: paymentsBodySchema,
      name: 'PaymentsBody',
      example: EXAMPLES.payment,
      examples: {
        payment: { summary: 'A payment', value: EXAMPLES.payment },
        chargeback: { summary: 'A chargeback on it', value: EXAMPLES.paymentChange },
      },
    },
    responses: {
      201: {
        description: 'A new payment.',
        schema: paymentResultSchema,
        name: 'PaymentResult',
        example: { id: 'P-55120', created: true, kind: 'payment' },
      },
      200: {
        description: 'An update or a change applied.',
        schema: paymentResultSchema,
        name: 'PaymentResult',
        example: { id: 'P-55120', created: false, kind: 'chargeback' },
      },
    },
    errors: INTAKE_ERRORS,
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'post',
    path: '/tickets',
    operationId: 'importTicket',
    tag: 'Tickets',
    summary: 'Hand a ticket over',
    description:
      'A ticket the customer opened on the panel, upserted by its panel ticket id: the claim, the remedy asked for, the order number and link exactly as the customer wrote them, the first message and the customer’s own flags. The policy suggestion and the eligibility deadline are computed in the same transaction; the agents’ queue hears about it at once.',
    permission: 'intake.write',
    body: { schema: ticketInputSchema, name: 'Ticket', example: EXAMPLES.ticket },
    responses: {
      201: {
        description: 'A new ticket, with its status.',
        schema: ticketViewSchema,
        name: 'TicketView',
        example: { ...EXAMPLES.ticketView, status: 'open', statusText: 'We have your request and are looking into it.', decision: null },
      },
      200: { description: 'The same panel ticket again: updated (or a replay).', schema: ticketViewSchema, name: 'TicketView' },
    },
    errors: INTAKE_ERRORS,
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'post',
    path: '/tickets/{id}/messages',
    operationId: 'addCustomerMessage',
    tag: 'Tickets',
    summary: 'Add a customer reply',
    description: 'What the customer wrote on the panel. A ticket waiting on the customer goes back to the agents’ queue.',
    permission: 'intake.write',
    pathParams: [ticketParam],
    body: { schema: ticketMessageInputSchema, name: 'TicketMessage', example: EXAMPLES.message },
    responses: {
      201: {
        description: 'Stored.',
        schema: ticketMessageResultSchema,
        name: 'TicketMessageResult',
        example: { id: 90211, ticketId: 1042, status: 'open' },
      },
    },
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429],
    idempotent: true,
    maxBodyBytes: MAX_INTAKE_BODY_BYTES,
  },
  {
    method: 'get',
    path: '/tickets/{id}',
    operationId: 'getTicket',
    tag: 'Tickets',
    summary: 'Read a ticket’s status and decision',
    description: 'Where the ticket stands, and once decided, the decision in words the panel can show the customer.',
    permission: 'tickets.sync',
    pathParams: [ticketParam],
    responses: { 200: { description: 'The ticket.', schema: ticketViewSchema, name: 'TicketView', example: EXAMPLES.ticketView } },
    errors: [401, 403, 404, 429],
    idempotent: false,
  },
  {
    method: 'get',
    path: '/tickets',
    operationId: 'listTickets',
    tag: 'Tickets',
    summary: 'Sync tickets changed since a time',
    description:
      'Tickets changed at or after `updated_since`, oldest change first, keyset-paginated: pass `nextCursor` as `cursor` until it is null.',
    permission: 'tickets.sync',
    query: ticketListQuerySchema,
    responses: {
      200: {
        description: 'A page.',
        schema: ticketListViewSchema,
        name: 'TicketList',
        example: { tickets: [EXAMPLES.ticketView], nextCursor: null },
      },
    },
    errors: [401, 403, 422, 429],
    idempotent: false,
  },
  {
    method: 'post',
    path: '/tickets/{id}/evidence',
    operationId: 'uploadEvidence',
    tag: 'Tickets',
    summary: 'Attach the customer’s files',
    description:
      'Files the customer uploaded on the panel, streamed to storage. Images are decoded and re-encoded (orientation applied, every kind of metadata removed, HEIC to JPEG); PDFs are kept and only ever served as downloads. One refused file refuses the request, with a sentence per file, and nothing is stored.',
    permission: 'evidence.upload',
    pathParams: [ticketParam],
    body: { schema: evidenceFormSchema, name: 'EvidenceFiles', example: { file: ['screenshot.png'] }, multipart: true },
    responses: {
      201: { description: 'Stored.', schema: evidenceUploadResultSchema, name: 'EvidenceUploaded' },
      200: {
        description: 'A replay of the same files with the same Idempotency-Key.',
        schema: evidenceUploadResultSchema,
        name: 'EvidenceUploaded',
      },
    },
    errors: [400, 401, 403, 404, 409, 413, 422, 429],
    idempotent: true,
  },
];

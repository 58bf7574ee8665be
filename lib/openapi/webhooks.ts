/**
 * The desk's outgoing calls to the panel (the outbox worker, lib/provider/worker.ts), described for
 * the OpenAPI document's `webhooks` and the reference page. The body is `webhookBody()`'s
 * `{ eventId, kind, occurredAt, ...payload }` (payload: lib/provider/outbox.ts `ProviderJobPayload`),
 * signed by lib/provider/signature.ts.
 */
import { z } from 'zod';
import { HEADER_ATTEMPT, HEADER_EVENT_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, SIGNATURE_TOLERANCE_S } from '@/lib/provider/signature';

/** Header names as the panel sees them (HTTP headers are case-insensitive). */
export const WEBHOOK_HEADERS = {
  eventId: 'X-Refund-Desk-Event-Id',
  timestamp: 'X-Refund-Desk-Timestamp',
  signature: 'X-Refund-Desk-Signature',
  attempt: 'X-Refund-Desk-Attempt',
} as const;

// The names above are lib/provider's, capitalised; a rename there breaks this at compile time.
const _sameNames: Record<Lowercase<(typeof WEBHOOK_HEADERS)[keyof typeof WEBHOOK_HEADERS]>, true> = {
  [HEADER_EVENT_ID]: true,
  [HEADER_TIMESTAMP]: true,
  [HEADER_SIGNATURE]: true,
  [HEADER_ATTEMPT]: true,
};
void _sameNames;

export { SIGNATURE_TOLERANCE_S };

const envelope = {
  eventId: z
    .string()
    .describe('Unique per event, the same on every retry: the panel’s de-duplication key (also the X-Refund-Desk-Event-Id header).'),
  occurredAt: z.string().describe('When the desk decided to send it (ISO 8601, UTC); the same on every retry.'),
};

const ticketPart = {
  ticketId: z.number().int().optional().describe('The desk’s ticket id.'),
  decisionId: z.number().int().optional().describe('The desk’s decision id, when a decision caused the call.'),
  customerExternalId: z.string().describe('The panel user id of the customer.'),
  orderNumber: z.string().nullable().optional().describe('The panel order number the ticket is about, if any.'),
};

const money = {
  amount: z.string().describe('Exact decimal, e.g. "4.20".'),
  currency: z.string().describe('ISO 4217 code.'),
};

export const WEBHOOK_KINDS = {
  reprocess: {
    summary: 'Reprocess an order',
    description:
      'Send the order to the provider again (a decision chose reprocess). Answer 2xx once queued; report the outcome as order events.',
    body: z.strictObject({ kind: z.literal('reprocess'), ...envelope, ...ticketPart, message: z.string().nullable().optional() }),
  },
  refill: {
    summary: 'Refill an order',
    description: 'Request a refill of the order from the provider. Report the refill’s progress as order events.',
    body: z.strictObject({ kind: z.literal('refill'), ...envelope, ...ticketPart, message: z.string().nullable().optional() }),
  },
  cancel: {
    summary: 'Cancel an order',
    description:
      'Ask the provider to cancel the order. The desk credits nothing itself: report the outcome as an order event (status Canceled, or a refusal), and refund the charge to the balance as the panel always does.',
    body: z.strictObject({ kind: z.literal('cancel'), ...envelope, ...ticketPart, message: z.string().nullable().optional() }),
  },
  credit_granted: {
    summary: 'Credit the customer’s balance',
    description: 'Add `amount` to the customer’s panel balance. `ledgerEntryId` identifies the movement: apply each ledger entry once.',
    body: z.strictObject({
      kind: z.literal('credit_granted'),
      ...envelope,
      ...ticketPart,
      ...money,
      ledgerEntryId: z.number().int().describe('The desk’s ledger entry: the panel’s key for this balance movement.'),
      message: z.string().nullable().optional().describe('A note for the balance history.'),
    }),
  },
  credit_reversed: {
    summary: 'Take a credit back',
    description: 'Subtract `amount` from the balance: an earlier credit (`reversesLedgerEntryId`) was reversed by an admin.',
    body: z.strictObject({
      kind: z.literal('credit_reversed'),
      ...envelope,
      ...ticketPart,
      ...money,
      ledgerEntryId: z.number().int().describe('The reversal’s own ledger entry.'),
      reversesLedgerEntryId: z.number().int().nullable().optional().describe('The ledger entry it takes back.'),
      message: z.string().nullable().optional(),
    }),
  },
  account_suspended: {
    summary: 'Suspend the customer’s account',
    description: 'A decision suspended the account (e.g. after a chargeback).',
    body: z.strictObject({ kind: z.literal('account_suspended'), ...envelope, ...ticketPart, message: z.string().nullable().optional() }),
  },
  customer_reply: {
    summary: 'Show a reply to the customer',
    description: 'An agent wrote to the customer, or a decision was taken: show `message` in the panel’s ticket.',
    body: z.strictObject({
      kind: z.literal('customer_reply'),
      ...envelope,
      ...ticketPart,
      message: z.string().describe('The text to show.'),
    }),
  },
  audit_checkpoint: {
    summary: 'Audit checkpoint',
    description:
      'With AUDIT_CHECKPOINT_WEBHOOK=1: a signed head of the desk’s audit hash chain, to be kept where the desk’s operators cannot rewrite it.',
    body: z.strictObject({
      kind: z.literal('audit_checkpoint'),
      ...envelope,
      checkpoint: z.strictObject({
        seq: z.number().int(),
        hash: z.string(),
        at: z.string(),
        keyId: z.string(),
        sig: z.string().describe('Ed25519 signature, base64.'),
      }),
    }),
  },
} as const;

export type WebhookKind = keyof typeof WEBHOOK_KINDS;

export const WEBHOOK_EXAMPLE = {
  eventId: '7f0c7d2e-3f7a-4d0e-9a55-0d5b8a1c2e11',
  kind: 'credit_granted',
  occurredAt: '2026-11-27T16:00:00.000Z',
  ticketId: 1042,
  decisionId: 311,
  customerExternalId: '58213',
  orderNumber: '918273',
  ledgerEntryId: 77,
  amount: '4.20',
  currency: 'USD',
  message: 'Balance credit for T-1042',
};

/** The Node snippet of the reference page (its logic is tested against lib/provider's signer). */
export const NODE_VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (a string or Buffer), before any JSON parsing.
export function verifyRefundDeskWebhook(rawBody, headers, secret, toleranceSeconds = ${SIGNATURE_TOLERANCE_S}) {
  const timestamp = headers['x-refund-desk-timestamp'];
  const signature = headers['x-refund-desk-signature'];
  if (!/^\\d{1,12}$/.test(timestamp ?? '') || !/^sha256=[0-9a-f]{64}$/i.test(signature ?? '')) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false; // stale: a replay
  const expected = createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest();
  const given = Buffer.from(signature.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Express: app.post('/refund-desk', express.raw({ type: 'application/json' }), (req, res) => {
//   if (!verifyRefundDeskWebhook(req.body.toString('utf8'), req.headers, process.env.REFUND_DESK_SECRET))
//     return res.status(401).end();
//   const event = JSON.parse(req.body);
//   // de-duplicate by event.eventId, act, then answer 2xx (a repeat of a handled eventId: 2xx, do nothing)
//   res.status(204).end();
// });`;

export const PHP_VERIFY_SNIPPET = `<?php
function verify_refund_desk_webhook(string $rawBody, string $secret, int $tolerance = ${SIGNATURE_TOLERANCE_S}): bool {
    $timestamp = $_SERVER['HTTP_X_REFUND_DESK_TIMESTAMP'] ?? '';
    $signature = $_SERVER['HTTP_X_REFUND_DESK_SIGNATURE'] ?? '';
    if (!preg_match('/^\\d{1,12}$/', $timestamp) || !preg_match('/^sha256=[0-9a-f]{64}$/i', $signature)) return false;
    if (abs(time() - (int) $timestamp) > $tolerance) return false; // stale: a replay
    $expected = 'sha256=' . hash_hmac('sha256', $timestamp . '.' . $rawBody, $secret);
    return hash_equals($expected, strtolower($signature));
}

$raw = file_get_contents('php://input');           // the exact bytes, before json_decode
if (!verify_refund_desk_webhook($raw, getenv('REFUND_DESK_SECRET'))) { http_response_code(401); exit; }
$event = json_decode($raw, true);
// de-duplicate by $event['eventId'], act on $event['kind'], then answer 2xx
http_response_code(204);`;

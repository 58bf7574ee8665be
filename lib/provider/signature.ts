import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, as the panel checks them:
 *   X-Refund-Desk-Timestamp: <unix seconds>
 *   X-Refund-Desk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the shared secret>
 * The timestamp is inside the signed text, so an old request cannot be replayed with a fresh one.
 */
export const HEADER_EVENT_ID = 'x-refund-desk-event-id';
export const HEADER_TIMESTAMP = 'x-refund-desk-timestamp';
export const HEADER_SIGNATURE = 'x-refund-desk-signature';
export const HEADER_ATTEMPT = 'x-refund-desk-attempt';

/** How far a webhook's timestamp may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_S = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers that sign `body` at `now`. */
export function signatureHeaders(secret: string, eventId: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    [HEADER_EVENT_ID]: eventId,
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_SIGNATURE]: signWebhook(secret, timestamp, body),
  };
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks a received webhook: a well-formed, fresh timestamp and a signature over exactly these bytes. */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now?: number;
  toleranceS?: number;
}): VerifyResult {
  const { secret, body, signature } = input;
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  const timestamp = Number(input.timestamp);
  const nowS = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowS - timestamp) > (input.toleranceS ?? SIGNATURE_TOLERANCE_S)) return { ok: false, reason: 'stale timestamp' };
  if (!signature || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: 'missing or malformed signature' };
  const expected = Buffer.from(signWebhook(secret, timestamp, body).slice(7), 'hex');
  const given = Buffer.from(signature.slice(7), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, timestamp };
}

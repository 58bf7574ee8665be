import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { originFromHeaders } from '@/lib/auth/origin';
import { HTTP_STATUS } from '@/lib/errors';
import { problem } from '@/lib/http';
import { authenticateApiKey, ORDER_EVENTS_SCOPE } from '@/lib/intake/api-keys';
import { recordOrderEvent } from '@/lib/intake/order-events';
import { toFailure } from '@/lib/transport';

const MAX_BODY_BYTES = 64 * 1024;

function decodeParam(value: string): string {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

/**
 * POST /api/v1/orders/{orderNumber}/events — the panel reports what happened to an order.
 * `Authorization: Bearer <API key with the order-events scope>`; body `{ eventId?, kind, at, data }`.
 * 201 with the recorded event and the order's facts; 200 with `duplicate: true` for an event id seen
 * before; problem+json otherwise (401 key, 403 scope, 404 order, 409 event id reused for another
 * kind, 413 too large, 400 not JSON, 422 naming the field).
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ orderNumber: string }> }) {
  try {
    const db = await getDb();
    const ctx = await authenticateApiKey(
      db,
      request.headers.get('authorization'),
      ORDER_EVENTS_SCOPE,
      originFromHeaders(request.headers, 'api'),
    );
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) return problem(413, 'too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, 'too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problem(400, 'invalid', 'The request body must be valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return problem(422, 'invalid', 'input: The body must be a JSON object { eventId?, kind, at, data }.', {
        fieldErrors: { input: ['The body must be a JSON object.'] },
      });
    }
    const { orderNumber } = await params;
    const result = await recordOrderEvent(ctx, { ...(body as Record<string, unknown>), orderNumber: decodeParam(orderNumber) });
    return NextResponse.json(result, { status: result.duplicate ? 200 : 201 });
  } catch (error) {
    const failure = toFailure(error);
    const status = failure.code === 'internal' ? 500 : HTTP_STATUS[failure.code];
    const response = problem(status, failure.code, failure.message, failure.fieldErrors ? { fieldErrors: failure.fieldErrors } : {});
    if (status === 401) response.headers.set('www-authenticate', 'Bearer realm="refund-desk"');
    return response;
  }
}

import { NextResponse, type NextRequest } from 'next/server';
import { listTicketDecisions, proposeDecision } from '@/lib/decisions';
import { AppError } from '@/lib/errors';
import { staffRoute } from '@/lib/http';

type Params = { id: string };

/** Ids in the URL that cannot be a ticket are unknown tickets (404), not bad input. */
function ticketIdFrom(params: Params): number {
  if (!/^[1-9]\d{0,14}$/.test(params.id)) throw new AppError('not_found', `There is no ticket ${params.id.slice(0, 40)}.`);
  return Number(params.id);
}

/** GET /api/v1/tickets/{id}/decisions → `{ decisions: [...] }`, oldest first. */
export const GET = staffRoute<Params>(async (ctx, _body, params) => ({ decisions: await listTicketDecisions(ctx, ticketIdFrom(params)) }));

/**
 * POST /api/v1/tickets/{id}/decisions with `{ outcome, amount?, reason?, reply?, accountAction? }`
 * and an `Idempotency-Key` header → 201 with the decision; the same key and request again → 200
 * with the same decision (header `Idempotent-Replayed: true`); the same key with another request → 409.
 */
export async function POST(request: NextRequest, context: { params: Promise<Params> }) {
  let created = false;
  const handler = staffRoute<Params>(async (ctx, body, params, req) => {
    const ticketId = ticketIdFrom(params);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AppError('invalid', 'The body must be a JSON object: { "outcome": …, "amount"?: …, "reason"?: …, "reply"?: … }.');
    }
    for (const key of ['ticketId', 'idempotencyKey']) {
      if (key in body)
        throw new AppError('invalid', `${key}: comes from the URL and the Idempotency-Key header, not the body.`, {
          [key]: ['Not allowed in the body.'],
        });
    }
    const idempotencyKey = req.headers.get('idempotency-key');
    if (!idempotencyKey) {
      throw new AppError(
        'invalid',
        'Idempotency-Key: send an Idempotency-Key header (8–200 characters, a fresh random value for each attempt).',
        {
          'Idempotency-Key': ['Required.'],
        },
      );
    }
    const result = await proposeDecision(ctx, { ...body, ticketId, idempotencyKey });
    created = !result.replayed;
    return result.decision;
  });
  const response = await handler(request, context);
  if (response.status !== 200) return response;
  const headers = new Headers(response.headers);
  if (!created) headers.set('Idempotent-Replayed', 'true');
  return new NextResponse(response.body, { status: created ? 201 : 200, headers });
}

import { listTicketDecisions, proposeDecision } from '@/lib/decisions';
import { AppError } from '@/lib/errors';
import { created, idFromPath, jsonObject, refuseBodyFields, Reply, route } from '@/lib/http';

type Params = { id: string };

/** GET /api/v1/tickets/{id}/decisions → `{ decisions: [...] }`, oldest first. */
export const GET = route<Params>({ auth: { staff: 'tickets.read' } }, async ({ ctx, params }) => ({
  decisions: await listTicketDecisions(ctx, idFromPath(params.id, 'ticket')),
}));

/**
 * POST /api/v1/tickets/{id}/decisions with `{ outcome, amount?, reason?, reply?, accountAction? }`
 * and an `Idempotency-Key` header → 201 with the decision; the same key and request again → 200
 * with the same decision (header `Idempotent-Replayed: true`); the same key with another request → 409.
 */
export const POST = route<Params>({ auth: { staff: 'tickets.work' } }, async ({ ctx, body, params, request }) => {
  const ticketId = idFromPath(params.id, 'ticket');
  const input = jsonObject(body, '{ "outcome": …, "amount"?: …, "reason"?: …, "reply"?: … }');
  refuseBodyFields(input, ['ticketId', 'idempotencyKey']);
  const idempotencyKey = request.headers.get('idempotency-key');
  if (!idempotencyKey) {
    throw new AppError(
      'invalid',
      'Idempotency-Key: send an Idempotency-Key header (8–200 characters, a fresh random value for each attempt).',
      {
        'Idempotency-Key': ['Required.'],
      },
    );
  }
  const result = await proposeDecision(ctx, { ...input, ticketId, idempotencyKey });
  return result.replayed ? new Reply(result.decision, 200, { 'Idempotent-Replayed': 'true' }) : created(result.decision);
});

import { created, route } from '@/lib/http';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';
import { addCustomerMessage } from '@/lib/intake/tickets';

/**
 * POST /api/v1/tickets/{id}/messages — a reply of the customer (`intake:write`); `{id}` is the
 * desk's ticket id or `panel:<panel ticket id>`. 201 `{ id, ticketId, status }`: a ticket that was
 * waiting on the customer is back in the queue (`open`).
 */
export const POST = route<{ id: string }>(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body, params }) => created(await addCustomerMessage(ctx, { ticket: params.id, body })),
);

import { route } from '@/lib/http';
import { getTicketForPanel } from '@/lib/intake/tickets';

/**
 * GET /api/v1/tickets/{id} — `{id}` is the desk's ticket id or `panel:<panel ticket id>`
 * (`tickets:read`): the status and, once decided, the decision in words for the customer.
 */
export const GET = route<{ id: string }>({ auth: { apiKey: 'tickets.sync' } }, async ({ ctx, params }) =>
  getTicketForPanel(ctx, params.id),
);

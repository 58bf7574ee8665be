import { created, route } from '@/lib/http';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';
import { importTicket, listTicketsForPanel } from '@/lib/intake/tickets';

/**
 * GET /api/v1/tickets?updated_since=…&cursor=…&limit=… — the panel's sync (`tickets:read`): its
 * tickets changed at or after `updated_since`, oldest change first, keyset pages with `nextCursor`.
 */
export const GET = route({ auth: { apiKey: 'tickets.sync' } }, async ({ ctx, request }) =>
  listTicketsForPanel(ctx, Object.fromEntries(request.nextUrl.searchParams)),
);

/**
 * POST /api/v1/tickets — a ticket opened on the panel, upserted by `panelId` (`intake:write`):
 * 201 with the ticket (`id` is the desk's) when new, 200 when updated. The suggestion and the
 * eligibility deadline are stored with it; the live queue hears of it at once.
 */
export const POST = route(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body }) => {
    const result = await importTicket(ctx, body);
    return result.created ? created(result.ticket) : result.ticket;
  },
);

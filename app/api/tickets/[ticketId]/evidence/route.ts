import { handleUpload } from '@/lib/evidence/transport';
import { route } from '@/lib/http';

/**
 * POST /api/tickets/{ticketId}/evidence — the ticket page's uploads (one file a request, so each
 * has its own progress bar). A staff session and this app's Origin; multipart/form-data with the
 * file in the `file` field, read as a stream (a server action would buffer the whole body). An
 * optional `Idempotency-Key`. Answers as POST /api/v1/tickets/{id}/evidence does.
 */
export const POST = route<{ ticketId: string }>(
  { auth: { staff: 'evidence.upload' }, streamBody: true },
  async ({ ctx, params, request }) => handleUpload(ctx, request, params.ticketId, { requireIdempotencyKey: false }),
);

import { evidenceResponse } from '@/lib/evidence/respond';
import { route } from '@/lib/http';

/** GET /api/evidence/{id}/thumbnail — the WebP thumbnail of an uploaded image, for staff only (as the file route). */
export const GET = route<{ id: string }>({ auth: { staff: 'tickets.read' } }, async ({ ctx, params, request }) =>
  evidenceResponse(ctx, request, params.id, 'thumbnail'),
);

import { evidenceResponse } from '@/lib/evidence/respond';
import { route } from '@/lib/http';

/**
 * GET /api/evidence/{id} — one evidence file, for a signed-in staff member (anyone else: 401,
 * never the bytes). Images inline with the type sniffed when stored; PDFs and anything else as
 * downloads (`Content-Disposition: attachment`), PDFs with byte ranges. Every answer carries
 * `Content-Security-Policy: default-src 'none'; sandbox` and `X-Content-Type-Options: nosniff`.
 * Each download is audited.
 */
export const GET = route<{ id: string }>({ auth: { staff: 'tickets.read' } }, async ({ ctx, params, request }) =>
  evidenceResponse(ctx, request, params.id, 'file'),
);

import { route } from '@/lib/http';
import { getEvidenceFile } from '@/lib/tickets/detail';

/** Types a browser may show in place; anything else is offered as a download. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

/** A header-safe file name: ASCII fallback plus the RFC 5987 UTF-8 form. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 150) || 'evidence';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 150))}`;
}

/**
 * GET /api/evidence/{id} — one evidence file's bytes, for a signed-in staff member. The type is the
 * one sniffed from the bytes when the file was stored, never the uploader's name for it.
 */
export const GET = route<{ id: string }>({ auth: { staff: 'tickets.read' } }, async ({ ctx, params, request }) => {
  const file = await getEvidenceFile(ctx, params.id);
  const etag = `"${file.sha256}"`;
  const headers = {
    'Content-Type': INLINE.has(file.mimeType) ? file.mimeType : 'application/octet-stream',
    'Content-Disposition': disposition(INLINE.has(file.mimeType) ? 'inline' : 'attachment', file.originalName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, max-age=3600',
    ETag: etag,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: { ...headers, 'Content-Length': String(file.bytes.byteLength) },
  });
});

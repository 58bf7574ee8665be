/** The HTTP answer for a served evidence file: safe headers whatever the file holds. */
import type { Ctx } from '@/lib/auth/actor';
import { openEvidenceFile, RangeNotSatisfiable } from './serve';

/** Types a browser may show in place; PDFs and anything else are offered as a download. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** A header-safe file name: ASCII fallback plus the RFC 5987 UTF-8 form. */
export function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 150) || 'evidence';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 150))}`;
}

/** Every evidence response: the file can never run as a page of ours, nor be sniffed into one. */
export const FILE_SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function evidenceResponse(ctx: Ctx, request: Request, id: string, variant: 'file' | 'thumbnail'): Promise<Response> {
  let file;
  try {
    file = await openEvidenceFile(ctx, id, { variant, range: request.headers.get('range') });
  } catch (error) {
    if (error instanceof RangeNotSatisfiable) {
      return new Response(null, { status: 416, headers: { ...FILE_SECURITY_HEADERS, 'Content-Range': `bytes */${error.size}` } });
    }
    throw error;
  }
  const etag = `"${file.sha256}"`;
  const inline = INLINE.has(file.mimeType);
  const isPdf = file.mimeType === 'application/pdf';
  const headers: Record<string, string> = {
    ...FILE_SECURITY_HEADERS,
    'Content-Type': inline || isPdf ? file.mimeType : 'application/octet-stream',
    'Content-Disposition': disposition(
      inline ? 'inline' : 'attachment',
      variant === 'thumbnail' ? `thumbnail-${file.id}.webp` : file.originalName,
    ),
    'Cache-Control': 'private, max-age=3600',
    ETag: etag,
  };
  if (isPdf) headers['Accept-Ranges'] = 'bytes';
  if (request.headers.get('if-none-match') === etag && !file.range) {
    await file.body.cancel();
    return new Response(null, { status: 304, headers });
  }
  if (file.range) {
    return new Response(file.body, {
      status: 206,
      headers: {
        ...headers,
        'Content-Range': `bytes ${file.range.start}-${file.range.end}/${file.size}`,
        'Content-Length': String(file.range.end - file.range.start + 1),
      },
    });
  }
  return new Response(file.body, { status: 200, headers: { ...headers, 'Content-Length': String(file.size) } });
}

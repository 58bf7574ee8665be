import { route } from '@/lib/http';
import { exportAuditEvents, streamOf } from '@/lib/audit/query';

/**
 * GET /api/v1/audit/export?format=csv|jsonl&<the filters of /api/v1/audit> — the whole filtered log,
 * streamed in keyset batches (constant memory); the export is recorded. Supervisors and admins.
 */
export const GET = route({ auth: { staff: 'audit.export' } }, async ({ ctx, request }) => {
  const result = await exportAuditEvents(ctx, Object.fromEntries(request.nextUrl.searchParams));
  return new Response(streamOf(result.chunks), {
    headers: {
      'content-type': result.contentType,
      'content-disposition': `attachment; filename="${result.filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});

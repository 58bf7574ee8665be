import { route } from '@/lib/http';
import { listAuditEvents } from '@/lib/audit/query';

/**
 * GET /api/v1/audit?ticket=&customer=&actor=&role=&action=&entity=&id=&from=&to=&q=&before= — the
 * filtered audit log, newest first, 50 a page; `nextBefore` continues. Supervisors and admins.
 */
export const GET = route({ auth: { staff: 'audit.read' } }, async ({ ctx, request }) =>
  listAuditEvents(ctx, Object.fromEntries(request.nextUrl.searchParams)),
);

import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db';
import { auditEvents } from '@/db/schema';
import { countUnsealed } from './sealer';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { parseInput } from '@/lib/validation/parse';

export const auditQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(50).optional(),
});

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log, newest first, a page at a time (keyset on id, the insertion order, so events not
 * sealed yet show too), with the number waiting to be sealed. Supervisors and admins only.
 */
export async function listAuditEvents(ctx: Ctx, input: unknown) {
  const query = parseInput(auditQuerySchema, input);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'audit.read');
  const where: SQL[] = [];
  if (query.before) where.push(lt(auditEvents.id, query.before));
  if (query.action) where.push(eq(auditEvents.action, query.action));
  if (query.entityType) where.push(eq(auditEvents.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditEvents.entityId, query.entityId));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  return {
    events: rows.slice(0, AUDIT_PAGE_SIZE),
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.id : null,
    unsealed: await countUnsealed(db),
  };
}

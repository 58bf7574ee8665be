import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { staffUsers } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { setStaffActiveSchema, setStaffRoleSchema } from '@/lib/validation/staff';

const PUBLIC_COLUMNS = {
  id: staffUsers.id,
  email: staffUsers.email,
  name: staffUsers.name,
  role: staffUsers.role,
  isActive: staffUsers.isActive,
  createdAt: staffUsers.createdAt,
};

export async function listStaff(ctx: Ctx) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'staff.manage');
  return db.select(PUBLIC_COLUMNS).from(staffUsers).orderBy(asc(staffUsers.email));
}

/** Deactivates or reactivates a staff account; deactivation ends its sessions at once. */
export async function setStaffActive(ctx: Ctx, input: unknown) {
  const { userId, isActive } = parseInput(setStaffActiveSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    if (userId === actor.id) throw new AppError('conflict', 'You cannot deactivate your own account; ask another admin.');
    const [before] = await tx.select(PUBLIC_COLUMNS).from(staffUsers).where(eq(staffUsers.id, userId)).for('update');
    if (!before) throw new AppError('not_found', `There is no staff member with id ${userId}.`);
    const [after] = await tx
      .update(staffUsers)
      .set({ isActive, ...(isActive ? {} : { sessionsValidAfter: new Date() }) })
      .where(eq(staffUsers.id, userId))
      .returning(PUBLIC_COLUMNS);
    await record(tx, {
      actor: auditActor(actor),
      action: isActive ? 'staff.activated' : 'staff.deactivated',
      entityType: 'staff_user',
      entityId: userId,
      before: { isActive: before.isActive },
      after: { isActive },
      origin: ctx.origin,
    });
    return after!;
  });
}

/** Changes a staff member's role; it applies from their next request. */
export async function setStaffRole(ctx: Ctx, input: unknown) {
  const { userId, role } = parseInput(setStaffRoleSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    if (userId === actor.id) throw new AppError('conflict', 'You cannot change your own role; ask another admin.');
    const [before] = await tx.select(PUBLIC_COLUMNS).from(staffUsers).where(eq(staffUsers.id, userId)).for('update');
    if (!before) throw new AppError('not_found', `There is no staff member with id ${userId}.`);
    const [after] = await tx.update(staffUsers).set({ role }).where(eq(staffUsers.id, userId)).returning(PUBLIC_COLUMNS);
    await record(tx, {
      actor: auditActor(actor),
      action: 'staff.role_changed',
      entityType: 'staff_user',
      entityId: userId,
      before: { role: before.role },
      after: { role },
      origin: ctx.origin,
    });
    return after!;
  });
}

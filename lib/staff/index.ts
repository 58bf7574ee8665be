import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { getDb, pgError, type Tx } from '@/db';
import { loginAttempts, staffUsers, type StaffRole } from '@/db/schema';
import { auditActor, authorize, authorizeSelf, authorizeStaff, type Actor, type Ctx } from '@/lib/auth/actor';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { generateOneTimePassword, passwordProblem } from '@/lib/auth/password-policy';
import { LOGIN_LIMITS } from '@/lib/auth/sign-in';
import { record } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { changePasswordSchema, createStaffSchema, setStaffActiveSchema, setStaffRoleSchema, staffUserSchema } from '@/lib/validation/staff';

/** What admins see of an account (never the hash). */
const PUBLIC_COLUMNS = {
  id: staffUsers.id,
  email: staffUsers.email,
  name: staffUsers.name,
  role: staffUsers.role,
  isActive: staffUsers.isActive,
  mustChangePassword: staffUsers.mustChangePassword,
  lastSignInAt: staffUsers.lastSignInAt,
  createdAt: staffUsers.createdAt,
};

/** Failed sign-ins of the account in the lock window, not cleared by an unlock. */
const recentFailures = () =>
  sql<number>`(select count(*)::int from ${loginAttempts} where ${loginAttempts.email} = lower(${staffUsers.email})
    and ${loginAttempts.succeeded} = false and ${loginAttempts.clearedAt} is null
    and ${loginAttempts.at} > now() - make_interval(secs => ${LOGIN_LIMITS.windowMs / 1000}))`;

/** Every account with its role, status, last sign-in, recent failed attempts and lock state. */
export async function listStaff(ctx: Ctx) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'staff.manage');
  const rows = await db
    .select({ ...PUBLIC_COLUMNS, failedAttempts: recentFailures() })
    .from(staffUsers)
    .orderBy(asc(staffUsers.email));
  return rows.map((row) => ({ ...row, isLocked: row.failedAttempts >= LOGIN_LIMITS.perAccount }));
}

/**
 * Locks the active admins' rows, in id order, before anything else: two admins removing each other
 * at once then run one after the other, and the second sees the first's change.
 */
async function lockAdmins(tx: Tx) {
  await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, 'admin'), eq(staffUsers.isActive, true)))
    .orderBy(asc(staffUsers.id))
    .for('update');
}

async function lockTarget(tx: Tx, userId: number) {
  const [before] = await tx.select(PUBLIC_COLUMNS).from(staffUsers).where(eq(staffUsers.id, userId)).for('update');
  if (!before) throw new AppError('not_found', `There is no staff member with id ${userId}.`);
  return before;
}

/**
 * Refuses when taking `target` out of the admins (deactivation, another role) would leave no
 * active admin. The caller took lockAdmins first, so two admins removing each other at the same
 * moment cannot both succeed.
 */
async function assertNotLastAdmin(tx: Tx, target: { id: number; role: StaffRole; isActive: boolean; email: string }) {
  if (target.role !== 'admin' || !target.isActive) return;
  const others = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, 'admin'), eq(staffUsers.isActive, true), ne(staffUsers.id, target.id)));
  if (others.length === 0)
    throw new AppError(
      'conflict',
      `${target.email} is the last active admin; make someone else an admin first, or nobody could manage staff.`,
    );
}

const EMAIL_TAKEN = (email: string) => `There is already an account for ${email}.`;

/**
 * Creates an account with a one-time password, shown once: the person must set their own at first
 * sign-in. Also run by `npm run staff:create` as the system actor (the first admin), which may give
 * a password of its own choosing instead (`password`, checked by the same rules).
 */
export async function createStaffAccount(ctx: Ctx, input: unknown, options: { password?: string } = {}) {
  const values = parseInput(createStaffSchema, input);
  const problem = options.password === undefined ? null : passwordProblem(options.password, values);
  if (problem) throw new AppError('invalid', `password: ${problem}`, { password: [problem] });
  const oneTimePassword = options.password ?? generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const actor: Actor = ctx.kind === 'system' ? await authorize(tx, ctx, 'staff.manage') : await authorizeStaff(tx, ctx, 'staff.manage');
      const [taken] = await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(eq(sql`lower(${staffUsers.email})`, values.email));
      if (taken) throw new AppError('conflict', EMAIL_TAKEN(values.email), { email: [EMAIL_TAKEN(values.email)] });
      const [user] = await tx
        .insert(staffUsers)
        .values({ ...values, passwordHash, mustChangePassword: options.password === undefined })
        .returning(PUBLIC_COLUMNS);
      await record(tx, {
        actor: auditActor(actor),
        action: 'staff.created',
        entityType: 'staff_user',
        entityId: user!.id,
        after: { email: user!.email, name: user!.name, role: user!.role, isActive: true, mustChangePassword: user!.mustChangePassword },
        origin: ctx.origin,
      });
      return { user: user!, oneTimePassword: options.password === undefined ? oneTimePassword : null };
    });
  } catch (error) {
    if (pgError(error)?.code === '23505') throw new AppError('conflict', EMAIL_TAKEN(values.email), { email: [EMAIL_TAKEN(values.email)] });
    throw error;
  }
}

/**
 * Deactivates or reactivates an account. Deactivation ends its sessions at once: the person's
 * very next request is refused. Nobody deactivates themself, and the last active admin stays.
 */
export async function setStaffActive(ctx: Ctx, input: unknown) {
  const { userId, isActive } = parseInput(setStaffActiveSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockAdmins(tx);
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    if (userId === actor.id) throw new AppError('conflict', 'You cannot deactivate your own account; ask another admin.');
    const before = await lockTarget(tx, userId);
    if (!isActive) await assertNotLastAdmin(tx, before);
    const [after] = await tx
      .update(staffUsers)
      .set({ isActive, ...(isActive ? {} : { sessionsValidAfter: new Date() }) })
      .where(eq(staffUsers.id, userId))
      .returning(PUBLIC_COLUMNS);
    await record(tx, {
      actor: auditActor(actor),
      action: isActive ? 'staff.reactivated' : 'staff.deactivated',
      entityType: 'staff_user',
      entityId: userId,
      before: { isActive: before.isActive },
      after: { isActive },
      origin: ctx.origin,
    });
    return after!;
  });
}

/** Changes a role; it applies from the person's next request. Nobody demotes themself; the last active admin stays one. */
export async function setStaffRole(ctx: Ctx, input: unknown) {
  const { userId, role } = parseInput(setStaffRoleSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockAdmins(tx);
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    if (userId === actor.id) throw new AppError('conflict', 'You cannot change your own role; ask another admin.');
    const before = await lockTarget(tx, userId);
    if (role !== 'admin') await assertNotLastAdmin(tx, before);
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

/**
 * Gives an account a new one-time password (shown once) and ends its sessions: the person signs in
 * with it and must set their own.
 */
export async function resetStaffPassword(ctx: Ctx, input: unknown) {
  const { userId } = parseInput(staffUserSchema, input);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    if (userId === actor.id) throw new AppError('conflict', 'Change your own password on the change-password page.');
    const before = await lockTarget(tx, userId);
    const [after] = await tx
      .update(staffUsers)
      .set({ passwordHash, mustChangePassword: true, sessionsValidAfter: new Date() })
      .where(eq(staffUsers.id, userId))
      .returning(PUBLIC_COLUMNS);
    await record(tx, {
      actor: auditActor(actor),
      action: 'staff.password_reset',
      entityType: 'staff_user',
      entityId: userId,
      before: { mustChangePassword: before.mustChangePassword },
      after: { mustChangePassword: true, sessionsEnded: true },
      origin: ctx.origin,
    });
    return { user: after!, oneTimePassword };
  });
}

/** Clears the failed sign-ins that lock an account (the address limit still holds). */
export async function unlockStaff(ctx: Ctx, input: unknown) {
  const { userId } = parseInput(staffUserSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'staff.manage');
    const target = await lockTarget(tx, userId);
    const email = target.email.toLowerCase();
    const cleared = await tx
      .update(loginAttempts)
      .set({ clearedAt: new Date() })
      .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, false), isNull(loginAttempts.clearedAt)))
      .returning({ id: loginAttempts.id });
    const recent = cleared.length;
    await record(tx, {
      actor: auditActor(actor),
      action: 'staff.unlocked',
      entityType: 'staff_user',
      entityId: userId,
      before: { failedAttemptsCleared: recent },
      after: { failedAttemptsCleared: 0 },
      origin: ctx.origin,
    });
    return { user: target, cleared: recent };
  });
}

/**
 * The signed-in person sets a new password (also when they must, after a one-time password). Every
 * session of the account ends, this one included: they sign in again with the new password.
 */
export async function changeOwnPassword(ctx: Ctx, input: unknown) {
  const { currentPassword, newPassword } = parseInput(changePasswordSchema, input);
  const db = await getDb();
  const self = await authorizeSelf(db, ctx);
  const [row] = await db.select({ passwordHash: staffUsers.passwordHash }).from(staffUsers).where(eq(staffUsers.id, self.id));
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
    const message = 'That is not your current password.';
    throw new AppError('invalid', message, { currentPassword: [message] });
  }
  const problem = currentPassword === newPassword ? 'Choose a password other than the current one.' : passwordProblem(newPassword, self);
  if (problem) throw new AppError('invalid', `The new password cannot be used. ${problem}`, { newPassword: [problem] });
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const actor = await authorizeSelf(tx, ctx);
    await tx
      .update(staffUsers)
      .set({ passwordHash, mustChangePassword: false, sessionsValidAfter: new Date() })
      .where(eq(staffUsers.id, actor.id));
    await record(tx, {
      actor: auditActor(actor),
      action: 'staff.password_changed',
      entityType: 'staff_user',
      entityId: actor.id,
      before: { mustChangePassword: actor.mustChangePassword },
      after: { mustChangePassword: false, sessionsEnded: true },
      origin: ctx.origin,
    });
    return { email: actor.email };
  });
}

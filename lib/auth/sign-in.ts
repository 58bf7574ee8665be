import { and, eq, gt, or, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { loginAttempts, revokedSessions, staffUsers } from '@/db/schema';
import { record, type Origin } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import type { StaffActor } from './actor';
import { getDummyHash, verifyPassword } from './password';

export const LOGIN_LIMITS = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 } as const;

export const WRONG_CREDENTIALS = 'The email or password is not right. Check both and try again.';

export interface SignInInput {
  email: string;
  password: string;
  origin: Origin;
}

/** Minutes until the `limit`-th most recent failure leaves the window, or 0 when under the limit. */
function minutesLocked(failures: Date[], limit: number, now: number): number {
  if (failures.length < limit) return 0;
  const sorted = failures.map((d) => d.getTime()).sort((a, b) => b - a);
  const unlockAt = sorted[limit - 1]! + LOGIN_LIMITS.windowMs;
  return Math.max(1, Math.ceil((unlockAt - now) / 60_000));
}

/**
 * Checks a staff member's email and password. Failures are counted in PostgreSQL per account and
 * per address, so the limits hold across app instances, and under a burst too: counting and
 * recording the attempt are one step, under a lock per account and per address, and the attempt
 * counts as a failure until its password has been verified. So no burst checks more passwords
 * than the limit. Every outcome is audited; a deactivated account is told the same as a wrong
 * password (the audit row says why).
 */
export async function signInWithPassword(db: Db, input: SignInInput): Promise<StaffActor> {
  const email = input.email.trim().toLowerCase();
  const ip = input.origin.ip ?? 'unknown';

  const gate = await db.transaction(async (tx): Promise<{ wait: number } | { attemptId: number }> => {
    for (const key of [`sign-in:account:${email}`, `sign-in:address:${ip}`]) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    }
    const now = Date.now();
    const recent = await tx
      .select({ email: loginAttempts.email, ip: loginAttempts.ip, at: loginAttempts.at, clearedAt: loginAttempts.clearedAt })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.at, new Date(now - LOGIN_LIMITS.windowMs)),
          or(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip)),
        ),
      );
    const wait = Math.max(
      minutesLocked(
        // An admin's unlock clears the account's failures, not the address's.
        recent.filter((r) => r.email === email && !r.clearedAt).map((r) => r.at),
        LOGIN_LIMITS.perAccount,
        now,
      ),
      minutesLocked(
        recent.filter((r) => r.ip === ip).map((r) => r.at),
        LOGIN_LIMITS.perAddress,
        now,
      ),
    );
    if (wait > 0) {
      await record(tx, {
        actor: { id: null, label: email, role: null },
        action: 'auth.sign_in_blocked',
        entityType: 'staff_user',
        reason: `too many failed attempts; locked for ${wait} min`,
        origin: input.origin,
      });
      return { wait };
    }
    // Pending: counted as a failure until the password is verified.
    const [attempt] = await tx.insert(loginAttempts).values({ email, ip, succeeded: false }).returning({ id: loginAttempts.id });
    return { attemptId: attempt!.id };
  });
  if ('wait' in gate) {
    throw new AppError('rate_limited', `Too many failed sign-in attempts. Try again in ${gate.wait} minute${gate.wait === 1 ? '' : 's'}.`);
  }

  const [user] = await db
    .select()
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email));
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  const succeeded = Boolean(user && passwordOk && user.isActive);

  await db.transaction(async (tx) => {
    if (succeeded) {
      await tx.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, gate.attemptId));
      await tx.update(staffUsers).set({ lastSignInAt: new Date() }).where(eq(staffUsers.id, user!.id));
    }
    await record(tx, {
      actor: { id: user?.id ?? null, label: email, role: user?.role ?? null },
      action: succeeded ? 'auth.signed_in' : 'auth.sign_in_failed',
      entityType: 'staff_user',
      entityId: user?.id ?? null,
      reason: succeeded ? null : !user ? 'unknown email' : !passwordOk ? 'wrong password' : 'account deactivated',
      origin: input.origin,
    });
  });

  if (!succeeded || !user) throw new AppError('unauthenticated', WRONG_CREDENTIALS);
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends one session for good (its JWT is refused from now on) and records the sign-out. */
export async function recordSignOut(
  db: Db,
  session: { userId: number; sessionId: string; expiresAt: Date },
  origin: Origin,
): Promise<void> {
  const { userId } = session;
  const [user] = await db.select({ email: staffUsers.email, role: staffUsers.role }).from(staffUsers).where(eq(staffUsers.id, userId));
  await db.transaction(async (tx) => {
    await tx.insert(revokedSessions).values(session).onConflictDoNothing();
    await record(tx, {
      actor: { id: userId, label: user?.email ?? `staff:${userId}`, role: user?.role ?? null },
      action: 'auth.signed_out',
      entityType: 'staff_user',
      entityId: userId,
      origin,
    });
  });
}

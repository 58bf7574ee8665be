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
 * per address, so the limits hold across app instances. Every outcome is audited.
 */
export async function signInWithPassword(db: Db, input: SignInInput): Promise<StaffActor> {
  const email = input.email.trim().toLowerCase();
  const ip = input.origin.ip ?? 'unknown';
  const now = Date.now();
  const since = new Date(now - LOGIN_LIMITS.windowMs);

  const recent = await db
    .select({ email: loginAttempts.email, ip: loginAttempts.ip, at: loginAttempts.at })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since), or(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip))),
    );
  const wait = Math.max(
    minutesLocked(
      recent.filter((r) => r.email === email).map((r) => r.at),
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
    await db.transaction((tx) =>
      record(tx, {
        actor: { id: null, label: email, role: null },
        action: 'auth.sign_in_blocked',
        entityType: 'staff_user',
        reason: `too many failed attempts; locked for ${wait} min`,
        origin: input.origin,
      }),
    );
    throw new AppError('rate_limited', `Too many failed sign-in attempts. Try again in ${wait} minute${wait === 1 ? '' : 's'}.`);
  }

  const [user] = await db
    .select()
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email));
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  const succeeded = Boolean(user && passwordOk && user.isActive);

  await db.transaction(async (tx) => {
    await tx.insert(loginAttempts).values({ email, ip, succeeded });
    await record(tx, {
      actor: { id: user?.id ?? null, label: email, role: user?.role ?? null },
      action: succeeded ? 'auth.sign_in' : 'auth.sign_in_failed',
      entityType: 'staff_user',
      entityId: user?.id ?? null,
      reason: succeeded ? null : !user ? 'unknown email' : !passwordOk ? 'wrong password' : 'account deactivated',
      origin: input.origin,
    });
  });

  if (!user || !passwordOk) throw new AppError('unauthenticated', WRONG_CREDENTIALS);
  if (!user.isActive) throw new AppError('unauthenticated', 'This account has been deactivated. Ask an admin to reactivate it.');
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
      action: 'auth.sign_out',
      entityType: 'staff_user',
      entityId: userId,
      origin,
    });
  });
}

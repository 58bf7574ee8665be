import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import { staffUsers, type StaffRole } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import type { Ctx } from '@/lib/auth/actor';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

/** A staff user with a unique email; the password is TEST_PASSWORD. */
export async function createStaff(db: Db, overrides: { role?: StaffRole; isActive?: boolean; name?: string } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const role = overrides.role ?? 'agent';
  const [user] = await db
    .insert(staffUsers)
    .values({
      email: `${role}-${randomUUID().slice(0, 8)}@test.example`,
      name: overrides.name ?? `Test ${role}`,
      role,
      passwordHash: await passwordHash,
      isActive: overrides.isActive ?? true,
      sessionsValidAfter: new Date(Date.now() - 60_000),
    })
    .returning();
  return user!;
}

/** A request context for a staff user, as a transport would build it. */
export const ctxFor = (user: { id: number }, via: 'ui' | 'api' = 'ui'): Ctx => ({
  kind: 'staff',
  userId: user.id,
  sessionIssuedAt: Math.floor(Date.now() / 1000),
  origin: { via, ip: '203.0.113.7', userAgent: 'vitest' },
});

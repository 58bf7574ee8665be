import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { revokedSessions, staffUsers, type StaffRole } from '@/db/schema';
import { AppError } from '@/lib/errors';
import type { AuditActor, Origin } from '@/lib/audit';

/** Who is asking, as the transport knows it: the session's user id and when the session began. */
export interface Ctx {
  userId: number;
  /** The session's own id; a signed-out session is refused. */
  sessionId?: string;
  /** Seconds since the epoch at which the session was issued (JWT `iat`). */
  sessionIssuedAt: number;
  origin: Origin;
}

export interface Actor {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
}

export const ROLE_LABEL: Record<StaffRole, string> = { agent: 'agent', supervisor: 'supervisor', admin: 'admin' };

/**
 * Re-reads the user from the database and checks that they are active, that their session is still
 * honoured, and that their role is one of `roles`. Every core function starts here.
 */
export async function requireActor(db: Db | Tx, ctx: Ctx, roles: readonly StaffRole[]): Promise<Actor> {
  const [user] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      isActive: staffUsers.isActive,
      sessionsValidAfter: staffUsers.sessionsValidAfter,
      isRevoked: ctx.sessionId
        ? sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${ctx.sessionId})`
        : sql<boolean>`false`,
    })
    .from(staffUsers)
    .where(eq(staffUsers.id, ctx.userId));
  if (!user || !user.isActive || user.isRevoked || Math.floor(user.sessionsValidAfter.getTime() / 1000) > ctx.sessionIssuedAt) {
    throw new AppError('unauthenticated', 'Your session has ended or your account is no longer active. Please sign in again.');
  }
  if (!roles.includes(user.role)) {
    throw new AppError(
      'forbidden',
      `This needs the ${roles.map((r) => ROLE_LABEL[r]).join(' or ')} role; you are signed in as ${ROLE_LABEL[user.role]}.`,
    );
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export const auditActor = (actor: Actor): AuditActor => ({ id: actor.id, label: actor.email, role: actor.role });

/** Roles that may use each area of the desk. */
export const AREA_ROLES = {
  tickets: ['agent', 'supervisor', 'admin'],
  approvals: ['supervisor', 'admin'],
  audit: ['supervisor', 'admin'],
  credits: ['admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

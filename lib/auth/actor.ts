import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { cache } from 'react';
import type { Db, Tx } from '@/db';
import { apiKeys, revokedSessions, staffUsers, type StaffRole } from '@/db/schema';
import { formatUtcMinutes } from '@/lib/dates';
import { AppError } from '@/lib/errors';
import type { AuditActor, Origin } from '@/lib/audit';
import { PERMISSIONS, roleHas, scopesHave, type Permission } from './permissions';

/** A signed-in staff member, as the transport knows them: the session's user and when it began. */
export interface StaffCtx {
  kind: 'staff';
  userId: number;
  /** The session's own id; a signed-out session is refused. */
  sessionId?: string;
  /** Seconds since the epoch at which the session was issued (JWT `iat`). */
  sessionIssuedAt: number;
  origin: Origin;
}

/** A machine calling with an API key (the key's id, never its secret). */
export interface ApiKeyCtx {
  kind: 'api_key';
  apiKeyId: number;
  origin: Origin;
}

/** Trusted code of our own: the worker, command-line tools, the demo seed. */
export interface SystemCtx {
  kind: 'system';
  /** What is acting, for the audit log (e.g. `worker`, `cli:staff:create`). */
  name: string;
  origin: Origin;
}

/** Who is asking. Every core function takes one as its first argument, whoever called. */
export type Ctx = StaffCtx | ApiKeyCtx | SystemCtx;

export interface StaffActor {
  kind: 'staff';
  id: number;
  email: string;
  name: string;
  role: StaffRole;
}
export interface ApiKeyActor {
  kind: 'api_key';
  id: number;
  name: string;
  scopes: string[];
}
export interface SystemActor {
  kind: 'system';
  name: string;
}
/** The caller, re-read from the database and checked: what a core function acts as. */
export type Actor = StaffActor | ApiKeyActor | SystemActor;

export const SESSION_ENDED = 'Your session has ended or your account is no longer active. Please sign in again.';
export const PASSWORD_CHANGE_REQUIRED = 'Set a new password first: you signed in with a one-time password.';
export const UNKNOWN_API_KEY = 'The API key is unknown or has been revoked.';
/** The sentence for a key past its expiry. */
export const expiredApiKey = (expiresAt: Date) => `The API key expired on ${formatUtcMinutes(expiresAt)}; ask an admin for a new key.`;

/** Refuses, naming who holds the permission and what the caller is. */
export function refuse(permission: Permission, caller: string): never {
  const { roles, scopes } = PERMISSIONS[permission];
  const holders = [
    ...(roles.length ? [`the ${roles.join(' or ')} role`] : []),
    ...(scopes.length ? [`an API key with the ${scopes.map((s) => `"${s}"`).join(' or ')} scope`] : []),
  ];
  throw new AppError('forbidden', `This needs ${holders.join(' or ')}; ${caller}.`);
}

/**
 * The session's user when the account is active and the session still honoured (not signed out, not revoked), else null.
 *
 * Read once per request and database handle (React `cache`: inside a page render the session, the
 * layout and every core function share the one read; a transaction is a handle of its own and reads
 * again; outside a render nothing is shared). Each caller still checks the permission it needs.
 */
export function readSessionUser(db: Db | Tx, ctx: Pick<StaffCtx, 'userId' | 'sessionId' | 'sessionIssuedAt'>) {
  return readSessionUserOnce(db, ctx.userId, ctx.sessionId, ctx.sessionIssuedAt);
}

const readSessionUserOnce = cache(async (db: Db | Tx, userId: number, sessionId: string | undefined, sessionIssuedAt: number) => {
  const ctx = { userId, sessionId, sessionIssuedAt };
  const [user] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      isActive: staffUsers.isActive,
      mustChangePassword: staffUsers.mustChangePassword,
      sessionsValidAfter: staffUsers.sessionsValidAfter,
      isRevoked: ctx.sessionId
        ? sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${ctx.sessionId})`
        : sql<boolean>`false`,
    })
    .from(staffUsers)
    .where(eq(staffUsers.id, ctx.userId));
  return user && sessionHonoured(user, ctx.sessionIssuedAt) ? user : null;
});

/** Whether the user's account is active and this session (issued at `sessionIssuedAt`) is still honoured. */
function sessionHonoured(user: { isActive: boolean; isRevoked: boolean; sessionsValidAfter: Date }, sessionIssuedAt: number): boolean {
  return user.isActive && !user.isRevoked && Math.floor(user.sessionsValidAfter.getTime() / 1000) <= sessionIssuedAt;
}

/** The staff actor of a session's user (null: no honoured session), or the refusal. */
function checkedStaffActor(
  user: { id: number; email: string; name: string; role: StaffRole; mustChangePassword: boolean } | null,
  permission: Permission,
): StaffActor {
  if (!user) throw new AppError('unauthenticated', SESSION_ENDED);
  // A one-time password opens only the change-password page (authorizeSelf) and signing out.
  if (user.mustChangePassword) throw new AppError('forbidden', PASSWORD_CHANGE_REQUIRED);
  if (!roleHas(user.role, permission)) refuse(permission, `you are signed in as ${user.role}`);
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role };
}

async function staffActor(db: Db | Tx, ctx: StaffCtx, permission: Permission): Promise<StaffActor> {
  return checkedStaffActor(await readSessionUser(db, ctx), permission);
}

/** The session's user as `sessionUserJson` gives it. */
export interface SessionUserJson {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  isActive: boolean;
  mustChangePassword: boolean;
  isRevoked: boolean;
  /** Milliseconds since the epoch. */
  sessionsValidAfter: number;
}

/**
 * The session's user (`userId`, `sessionId`: SQL for the values, e.g. placeholders) as one JSON
 * value, null when there is no such user: for a statement that reads it along with rows of its
 * own, saving the round trip of `authorizeStaff`. `authorizeStaffFrom` checks it the same way.
 */
export function sessionUserJson(userId: SQLWrapper, sessionId: SQLWrapper): SQL {
  return sql`(select json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, 'isActive', u.is_active,
      'mustChangePassword', u.must_change_password, 'sessionsValidAfter', floor(extract(epoch from u.sessions_valid_after) * 1000),
      'isRevoked', exists (select 1 from revoked_sessions r where r.session_id = ${sessionId}::text))
    from staff_users u where u.id = ${userId}::bigint)`;
}

/** `authorizeStaff` on the session's user as `sessionUserJson` read it (null: no such user). */
export function authorizeStaffFrom(user: SessionUserJson | null, ctx: StaffCtx, permission: Permission): StaffActor {
  const honoured =
    user !== null && sessionHonoured({ ...user, sessionsValidAfter: new Date(Number(user.sessionsValidAfter)) }, ctx.sessionIssuedAt);
  return checkedStaffActor(honoured ? { ...user, id: Number(user.id) } : null, permission);
}

async function apiKeyActor(db: Db | Tx, ctx: ApiKeyCtx, permission: Permission): Promise<ApiKeyActor> {
  const [key] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      revokedAt: apiKeys.revokedAt,
      expiresAt: apiKeys.expiresAt,
      isExpired: sql<boolean>`coalesce(${apiKeys.expiresAt} <= now(), false)`,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, ctx.apiKeyId));
  if (!key || key.revokedAt) throw new AppError('unauthenticated', UNKNOWN_API_KEY);
  if (key.isExpired && key.expiresAt) throw new AppError('unauthenticated', expiredApiKey(key.expiresAt));
  if (!scopesHave(key.scopes, permission)) refuse(permission, `the API key "${key.name}" does not have it`);
  return { kind: 'api_key', id: key.id, name: key.name, scopes: key.scopes };
}

/**
 * Re-reads the caller from the database (a staff member: active, session still honoured; an API
 * key: not revoked, not expired) and checks that it holds `permission` in the table of ./permissions. Every
 * core function starts here, inside its transaction where it has one.
 */
export async function authorize(db: Db | Tx, ctx: Ctx, permission: Permission): Promise<Actor> {
  switch (ctx.kind) {
    case 'staff':
      return staffActor(db, ctx, permission);
    case 'api_key':
      return apiKeyActor(db, ctx, permission);
    case 'system':
      return { kind: 'system', name: ctx.name };
  }
}

/** `authorize` for what only a person can do (decide, approve, claim): machines are refused. */
export async function authorizeStaff(db: Db | Tx, ctx: Ctx, permission: Permission): Promise<StaffActor> {
  if (ctx.kind !== 'staff')
    refuse(permission, ctx.kind === 'api_key' ? 'an API key cannot do this' : 'only a signed-in person can do this');
  return staffActor(db, ctx, permission);
}

/**
 * The signed-in person acting on their own account (changing their password): any role, and also
 * a session that must set a new password first. Machines are refused.
 */
export async function authorizeSelf(db: Db | Tx, ctx: Ctx): Promise<StaffActor & { mustChangePassword: boolean }> {
  if (ctx.kind !== 'staff') throw new AppError('forbidden', 'Only a signed-in person can change their own password.');
  const user = await readSessionUser(db, ctx);
  if (!user) throw new AppError('unauthenticated', SESSION_ENDED);
  return { kind: 'staff', id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}

/** How an actor appears in the audit log. */
export function auditActor(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'staff':
      return { id: actor.id, label: actor.email, role: actor.role };
    case 'api_key':
      return { id: null, label: `api-key:${actor.name}`, role: null };
    case 'system':
      return { id: null, label: actor.name === 'system' ? 'system' : `system:${actor.name}`, role: null };
  }
}

export const systemCtx = (name: string, via: Origin['via'] = 'system'): SystemCtx => ({ kind: 'system', name, origin: { via } });

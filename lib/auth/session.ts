import { getToken } from 'next-auth/jwt';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { getDb } from '@/db';
import { isAppError } from '@/lib/errors';
import { authorizeSelf, authorizeStaff, PASSWORD_CHANGE_REQUIRED, readSessionUser, type StaffActor, type StaffCtx } from './actor';
import type { Permission } from './permissions';
import { authOptions, SESSION_MAX_AGE_S } from './options';
import { originFromHeaders } from './origin';

/**
 * The request's context for core functions, or null when nobody (still validly) signed in.
 * Memoised per request (React `cache`): layouts and pages of one request share it.
 */
export const getCtx = cache(async (via: 'ui' | 'api' = 'ui'): Promise<StaffCtx | null> => {
  const token = await readSessionToken();
  if (!token || typeof token.uid !== 'number' || typeof token.signedInAt !== 'number') return null;
  const session = { userId: token.uid, sessionId: token.sid, sessionIssuedAt: token.signedInAt };
  // What next-auth's session callback checks (lib/auth/options.ts): the account and the session are still honoured.
  if (!(await readSessionUser(await getDb(), session))) return null;
  if (Date.now() / 1000 - session.sessionIssuedAt > SESSION_MAX_AGE_S) return null;
  return { kind: 'staff', ...session, origin: originFromHeaders(await headers(), via) };
});

/**
 * The request's session token, decrypted and checked (signature, expiry) as next-auth's
 * `getServerSession` does, without what that adds for a page: encrypting a renewed token into a
 * cookie a server component cannot set.
 */
async function readSessionToken() {
  const jar = await cookies();
  return getToken({
    // The shape next-auth's own route handler gives it (no Authorization header: a page reads only the cookie).
    req: { cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])), headers: {} } as Parameters<typeof getToken>[0]['req'],
    secret: authOptions.secret,
  });
}

/**
 * Where a visitor without a valid session goes: the login page, saying the session ended when the
 * browser still carries a session cookie (deactivated, role or password changed, signed out elsewhere).
 */
async function toLogin(): Promise<never> {
  const jar = await cookies();
  const hadSession = jar.has('next-auth.session-token') || jar.has('__Secure-next-auth.session-token');
  redirect(hadSession ? '/login?expired=1' : '/login');
}

/**
 * For pages: the signed-in staff member holding `permission`. Anonymous or deactivated visitors are sent to
 * the login page; a user without the role gets the 403 page.
 */
export const requirePageActor = cache(async (permission: Permission): Promise<{ actor: StaffActor; ctx: StaffCtx }> => {
  const ctx = await getCtx();
  if (!ctx) return toLogin();
  try {
    return { actor: await authorizeStaff(await getDb(), ctx, permission), ctx };
  } catch (error) {
    if (isAppError(error) && error.message === PASSWORD_CHANGE_REQUIRED) redirect('/password');
    if (isAppError(error) && error.code === 'forbidden') forbidden();
    if (isAppError(error) && error.code === 'unauthenticated') redirect('/login?expired=1');
    throw error;
  }
});

/** For the change-password page: whoever is signed in, also a session that must set a new password first. */
export const requireSignedIn = cache(async () => {
  const ctx = await getCtx();
  if (!ctx) return toLogin();
  try {
    return { actor: await authorizeSelf(await getDb(), ctx), ctx };
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthenticated') redirect('/login?expired=1');
    throw error;
  }
});

import { getServerSession } from 'next-auth';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { getDb } from '@/db';
import { isAppError } from '@/lib/errors';
import { authorizeSelf, authorizeStaff, PASSWORD_CHANGE_REQUIRED, type StaffActor, type StaffCtx } from './actor';
import type { Permission } from './permissions';
import { authOptions, SESSION_MAX_AGE_S } from './options';
import { originFromHeaders } from './origin';

/**
 * The request's context for core functions, or null when nobody (still validly) signed in.
 * Memoised per request (React `cache`): layouts and pages of one request share it.
 */
export const getCtx = cache(async (via: 'ui' | 'api' = 'ui'): Promise<StaffCtx | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  if (Date.now() / 1000 - session.signedInAt > SESSION_MAX_AGE_S) return null;
  return {
    kind: 'staff',
    userId: session.user.id,
    sessionId: session.sessionId,
    sessionIssuedAt: session.signedInAt,
    origin: originFromHeaders(await headers(), via),
  };
});

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

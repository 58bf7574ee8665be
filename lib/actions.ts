import 'server-only';
import { headers } from 'next/headers';
import { FOREIGN_ORIGIN, isAppOrigin } from '@/lib/auth/origin';
import { getCtx } from '@/lib/auth/session';
import type { Ctx } from '@/lib/auth/actor';
import { toFailure, type ActionResult } from '@/lib/transport';

/**
 * The one wrapper that turns a core function into a server action's body: this app's Origin →
 * session → call → typed result. The core function itself checks the role and validates the input with the shared schema.
 */
export async function runAction<T>(input: unknown, call: (ctx: Ctx, input: unknown) => Promise<T>): Promise<ActionResult<T>> {
  try {
    if (!isAppOrigin((await headers()).get('origin'))) return { ok: false, code: 'forbidden', message: FOREIGN_ORIGIN };
    const ctx = await getCtx('ui');
    if (!ctx) return { ok: false, code: 'unauthenticated', message: 'Your session has ended. Please sign in again.' };
    return { ok: true, data: await call(ctx, input) };
  } catch (error) {
    return toFailure(error);
  }
}

/** FormData as a plain object, for the shared zod schemas to coerce. */
export const formToObject = (form: FormData) => Object.fromEntries(form.entries());

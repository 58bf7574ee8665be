import { NextResponse, type NextRequest } from 'next/server';
import type { Ctx } from '@/lib/auth/actor';
import { getCtx } from '@/lib/auth/session';
import { HTTP_STATUS } from '@/lib/errors';
import { toFailure } from '@/lib/transport';

const TITLES: Record<string, string> = {
  unauthenticated: 'Not signed in',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  invalid: 'Invalid request',
  conflict: 'Conflict',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
};

/** An RFC 9457 problem+json response. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json(
    { type: `about:blank#${code}`, title: TITLES[code] ?? code, status, code, detail, ...extra },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}

/** True when a cookie-authenticated, state-changing request comes from this app's own pages. */
export function isSameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Wraps a staff-session route handler: session, same-origin check for changes, JSON body, then the
 * core function; typed errors become problem+json with the matching status.
 */
export function staffRoute<P>(handler: (ctx: Ctx, body: unknown, params: P, request: NextRequest) => Promise<unknown>) {
  return async (request: NextRequest, { params }: { params: Promise<P> }) => {
    if (MUTATING.has(request.method) && !isSameOrigin(request)) {
      return problem(403, 'forbidden', 'This request must come from the Refund Desk itself (its Origin header is missing or foreign).');
    }
    const ctx = await getCtx('api');
    if (!ctx) return problem(401, 'unauthenticated', 'Sign in first: this endpoint needs a staff session.');
    let body: unknown = undefined;
    if (MUTATING.has(request.method)) {
      try {
        body = await request.json();
      } catch {
        return problem(400, 'invalid', 'The request body must be valid JSON.');
      }
    }
    try {
      const data = await handler(ctx, body, await params, request);
      return NextResponse.json(data);
    } catch (error) {
      const failure = toFailure(error);
      const status = failure.code === 'internal' ? 500 : HTTP_STATUS[failure.code];
      return problem(status, failure.code, failure.message, failure.fieldErrors ? { fieldErrors: failure.fieldErrors } : {});
    }
  };
}

import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { FOREIGN_ORIGIN, isAppOrigin } from '@/lib/auth/origin';
import { API_CSP, baseSecurityHeaders, pageCsp } from '@/lib/security-headers';

const PUBLIC_PAGES = ['/login', '/docs'];

/**
 * Sets the security headers and sends anonymous visitors to the login page. It is not the gate:
 * every page, action and route checks the session and role on its own.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');
  const isHttps = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';

  let response: NextResponse;
  let csp = API_CSP;
  if (request.method === 'POST' && request.headers.has('next-action') && !isAppOrigin(request.headers.get('origin'))) {
    // A server action from another site or without an Origin: refused before Next runs it (the
    // action wrapper refuses it again; this turns Next's own 500 into a clear 403).
    response = NextResponse.json(
      { type: 'about:blank#forbidden', title: 'Forbidden', status: 403, code: 'forbidden', detail: FOREIGN_ORIGIN },
      { status: 403, headers: { 'content-type': 'application/problem+json' } },
    );
  } else if (isApi) {
    response = NextResponse.next();
  } else {
    const isPublic = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
    if (!isPublic && !(await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET }))) {
      const login = new URL('/login', request.url);
      if (pathname !== '/') login.searchParams.set('callbackUrl', pathname + request.nextUrl.search);
      response = NextResponse.redirect(login);
    } else {
      const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
      csp = pageCsp(nonce, process.env.NODE_ENV === 'development');
      const requestHeaders = new Headers(request.headers);
      requestHeaders.set('x-nonce', nonce);
      requestHeaders.set('Content-Security-Policy', csp);
      response = NextResponse.next({ request: { headers: requestHeaders } });
    }
  }
  response.headers.set('Content-Security-Policy', csp);
  for (const [key, value] of Object.entries(baseSecurityHeaders(isHttps))) response.headers.set(key, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};

import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import type { Ctx } from '@/lib/auth/actor';
import { FOREIGN_ORIGIN, isAppOrigin, originFromHeaders } from '@/lib/auth/origin';
import type { Permission } from '@/lib/auth/permissions';
import { getCtx } from '@/lib/auth/session';
import { AppError, HTTP_STATUS, RateLimitedError } from '@/lib/errors';
import { authenticateApiKey } from '@/lib/api-keys';
import { answerOnce, IDEMPOTENCY_HEADER, idempotencyHash, idempotencyKeyOf } from '@/lib/intake/idempotency';
import { toFailure } from '@/lib/transport';
import { refuseUnsafeInput } from '@/lib/validation/parse';

const TITLES: Record<string, string> = {
  unauthenticated: 'Not signed in',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  invalid: 'Invalid request',
  bad_request: 'Bad request',
  conflict: 'Conflict',
  rate_limited: 'Too many requests',
  too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  internal: 'Internal error',
};

/** An RFC 9457 problem+json response. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  const response = NextResponse.json(
    { type: `about:blank#${code}`, title: TITLES[code] ?? code, status, code, detail, ...extra },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
  if (status === 401) response.headers.set('www-authenticate', 'Bearer realm="refund-desk"');
  return response;
}

/** What a handler may return besides plain data (which is sent as 200 JSON). */
export class Reply {
  constructor(
    readonly data: unknown,
    readonly status: 200 | 201 | 204 = 200,
    readonly headers: Record<string, string> = {},
  ) {}
}
export const created = (data: unknown, headers?: Record<string, string>) => new Reply(data, 201, headers);
export const noContent = () => new Reply(null, 204);

/**
 * Who may call a route:
 * - `{ staff }`: a staff session (cookie); a request that changes something must carry this app's
 *   own Origin. The core function checks the permission; `staff` names it for readers.
 * - `{ apiKey }`: `Authorization: Bearer <key>` holding the permission (checked here and again by
 *   the core function inside its transaction).
 */
export type RouteAuth = { staff: Permission } | { apiKey: Permission };

export interface RouteOptions {
  auth: RouteAuth;
  /** Largest accepted body in bytes (413 above it). Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * API-key POSTs: an `Idempotency-Key` header makes the request idempotent per key
   * (lib/intake/idempotency.ts): a repeat gets the first answer (status and body, with
   * `Idempotent-Replayed: true`), the same key with another request 409. The claim, the handler's
   * intake work (`intakeTransaction` joins it) and the stored answer are one transaction.
   */
  idempotent?: boolean;
  /** The handler reads `request.body` itself, as a stream (multipart uploads); `body` is then undefined. */
  streamBody?: boolean;
}

export interface RouteArgs<P> {
  ctx: Ctx;
  /** The parsed JSON body of a POST/PUT/PATCH/DELETE (undefined for GET). */
  body: unknown;
  params: P;
  request: NextRequest;
}

/** Staff data is never kept by a shared cache or the browser's. */
const PRIVATE = { 'cache-control': 'private, no-store' };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** `application/json` or `application/<something>+json`, with or without parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

async function readJson(request: NextRequest, maxBytes: number, requireJsonType: boolean): Promise<unknown> {
  if (requireJsonType && !JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const tooLarge = () => new AppError('too_large', `The request body is larger than ${maxBytes} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The request body must be valid JSON.');
  }
}

async function authenticate(request: NextRequest, auth: RouteAuth): Promise<Ctx> {
  if ('apiKey' in auth) {
    return authenticateApiKey(await getDb(), request.headers.get('authorization'), auth.apiKey, originFromHeaders(request.headers, 'api'));
  }
  if (MUTATING.has(request.method) && !isAppOrigin(request.headers.get('origin'))) {
    throw new AppError('forbidden', FOREIGN_ORIGIN);
  }
  const ctx = await getCtx('api');
  if (!ctx) throw new AppError('unauthenticated', 'Sign in first: this endpoint needs a staff session.');
  return ctx;
}

/** A typed error or anything else as problem+json (internals logged with an id, never sent). */
export function failureResponse(error: unknown): NextResponse {
  const failure = toFailure(error);
  const status = failure.code === 'internal' ? 500 : HTTP_STATUS[failure.code];
  const response = problem(status, failure.code, failure.message, failure.fieldErrors ? { fieldErrors: failure.fieldErrors } : {});
  if (error instanceof RateLimitedError) response.headers.set('retry-after', String(error.retryAfterSeconds));
  return response;
}

/**
 * The one wrapper for route handlers: authentication (staff session with the Origin check, or an
 * API key with its scope), body size limit and JSON parsing, the core call, the status the handler
 * chose (plain data → 200; `created(…)` → 201; `noContent()` → 204; a `Response` is passed through,
 * for files and streams), and problem+json on every failure (with `WWW-Authenticate` on 401).
 */
export function route<P = Record<string, never>>(options: RouteOptions, handler: (args: RouteArgs<P>) => Promise<unknown>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const isStaff = 'staff' in options.auth;
    try {
      const ctx = await authenticate(request, options.auth);
      const mutating = MUTATING.has(request.method);
      const body =
        mutating && !options.streamBody ? await readJson(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, !isStaff) : undefined;
      // Before anything walks the body recursively (the idempotency hash below): 20,000 levels would overflow the stack.
      refuseUnsafeInput(body);
      const key =
        options.idempotent && mutating && !options.streamBody && ctx.kind === 'api_key'
          ? idempotencyKeyOf(request.headers.get(IDEMPOTENCY_HEADER))
          : null;
      const run = async () => {
        const result = await handler({ ctx, body, params: await context.params, request });
        return result instanceof Response || result instanceof Reply ? result : new Reply(result);
      };
      let reply: Reply | Response;
      if (key && ctx.kind === 'api_key') {
        const hash = idempotencyHash(request.method, request.nextUrl.pathname, body);
        // The claim, the work and the stored answer commit together (a failure rolls the claim back).
        const once = await answerOnce({ apiKeyId: ctx.apiKeyId, key, hash }, run, (r) =>
          r instanceof Response
            ? null
            : // JSON round trip: what is stored is exactly what is sent (dates as strings, no undefined).
              { status: r.status, body: r.status === 204 ? null : (JSON.parse(JSON.stringify(r.data ?? null)) as unknown) },
        );
        if (once.kind === 'replay') {
          if (once.status === 204) return new NextResponse(null, { status: 204, headers: { 'idempotent-replayed': 'true' } });
          return NextResponse.json(once.body, { status: once.status, headers: { 'idempotent-replayed': 'true' } });
        }
        reply = once.result;
      } else {
        reply = await run();
      }
      if (reply instanceof Response) return reply;
      const headers = isStaff ? { ...PRIVATE, ...reply.headers } : reply.headers;
      if (reply.status === 204) return new NextResponse(null, { status: 204, headers });
      return NextResponse.json(reply.data, { status: reply.status, headers });
    } catch (error) {
      const response = failureResponse(error);
      if (isStaff) response.headers.set('cache-control', PRIVATE['cache-control']);
      return response;
    }
  };
}

/** The body as a JSON object, or a 422 naming what the object should hold. */
export function jsonObject(body: unknown, shape: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid', `The body must be a JSON object: ${shape}.`, { input: ['The body must be a JSON object.'] });
  }
  return body as Record<string, unknown>;
}

/** Refuses body fields that come from the URL or a header, naming them. */
export function refuseBodyFields(body: Record<string, unknown>, keys: readonly string[]) {
  for (const key of keys) {
    if (key in body)
      throw new AppError('invalid', `${key}: comes from the URL and the Idempotency-Key header, not the body.`, {
        [key]: ['Not allowed in the body.'],
      });
  }
}

/** A positive integer id from the URL; anything else is an unknown `what` (404), not bad input. */
export function idFromPath(value: string, what: string): number {
  if (!/^[1-9]\d{0,14}$/.test(value)) throw new AppError('not_found', `There is no ${what} ${value.slice(0, 40)}.`);
  return Number(value);
}

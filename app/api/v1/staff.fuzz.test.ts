/**
 * Fuzzing every other route handler under app/api (the intake's are in intake.fuzz.test.ts) through
 * the real handlers, with a staff session and this app's Origin (or the order-events API key):
 * bodies with NUL, lone surrogates, 20,000-deep nesting, megabytes, wrong types and broken JSON;
 * hostile path ids, query strings and headers. No answer is 500 or more, every refusal is
 * problem+json, and a refused request leaves every table of the database exactly as it was.
 *
 * Route handlers covered (`find app/api -name route.ts`): decisions GET/POST, approvals POST,
 * staff PATCH, order events POST, presence POST, audit GET, export GET and verify POST, evidence
 * GET (file and thumbnail) and both evidence uploads, health GET and openapi.json GET. Not here:
 * /api/live (a server-sent event stream with no input but the session: lib/live has its tests)
 * and /api/auth/[...nextauth] (NextAuth's own handler, which needs Next's request scope; its
 * credentials check is lib/auth's `authorize`, tested in lib/auth/auth.test.ts).
 */
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import type { Ctx } from '@/lib/auth/actor';
import { creditTicket, newKey } from '@/lib/decisions/test-helpers';
import { apiKey, call, type Handler } from '@/lib/intake/test-api';
import { anyBody, appTables, fingerprint, headerValue, rawBody, weirdText, type Body } from '@/lib/intake/test-fuzz';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createOrderTicket } from '@/lib/tickets/test-factories';

// The session is the one thing a route handler cannot read outside Next: the cookie's staff member.
const session = vi.hoisted(() => ({ ctx: null as Ctx | null }));
vi.mock('@/lib/auth/session', () => ({ getCtx: async () => session.ctx }));

const decisionsRoute = await import('./tickets/[id]/decisions/route');
const approvalsRoute = await import('./approvals/[decisionId]/route');
const staffRoute = await import('./staff/[id]/route');
const orderEventsRoute = await import('./orders/[orderNumber]/events/route');
const auditRoute = await import('./audit/route');
const exportRoute = await import('./audit/export/route');
const verifyRoute = await import('./audit/verify/route');
const openapiRoute = await import('./openapi.json/route');
const presenceRoute = await import('@/app/api/presence/route');
const healthRoute = await import('@/app/api/health/route');
const evidenceRoute = await import('@/app/api/evidence/[id]/route');
const thumbnailRoute = await import('@/app/api/evidence/[id]/thumbnail/route');
const staffUploadRoute = await import('@/app/api/tickets/[ticketId]/evidence/route');
const panelUploadRoute = await import('./tickets/[id]/evidence/route');

// The per-key rate limit has its own tests (lib/api-keys); here one key sends far more than 50 a second.
process.env.API_RATE_LIMIT_PER_SECOND = '0';

const handle = setupTestDb();
const RUNS = Number(process.env.STAFF_FUZZ_RUNS ?? 120);
const ORIGIN = 'http://localhost:3000'; // the app's origin when NEXTAUTH_URL is unset

beforeEach(() => {
  session.ctx = null;
});

type Params = Record<string, string>;
/** A path segment for the request's URL (the handler reads its params separately, as Next passes them). */
const seg = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return 'x'; // a lone surrogate cannot be put in a URL
  }
};
type AnyHandler = Handler<Params>;
const H = <P>(h: Handler<P>) => h as unknown as AnyHandler;

let tables: string[] = [];
/**
 * The fingerprint of every table; with `audited`, audit rows of that action are left out (a route
 * whose refusals are put on record by design, as evidence uploads' are: `evidence.refused`).
 */
async function snapshot(audited?: string): Promise<string> {
  if (!audited) return fingerprint(handle.db, tables);
  const rest = await fingerprint(
    handle.db,
    tables.filter((t) => t !== 'audit_events'),
  );
  const result = await handle.db.execute(
    sql`select count(*)::text as n, coalesce(sum(xmin::text::bigint), 0)::text as v from audit_events where action <> ${audited}`,
  );
  const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: string; v: string }[];
  return `${rest} audit_events(but ${audited}):${row!.n}:${row!.v}`;
}

interface Target {
  name: string;
  handler: AnyHandler;
  method: 'GET' | 'POST' | 'PATCH';
  path: (params: Params) => string;
  params: fc.Arbitrary<Params>;
  /** Bodies (POST/PATCH) — anything. */
  body?: fc.Arbitrary<unknown>;
  /** Query strings (GET). */
  query?: fc.Arbitrary<Record<string, string>>;
  /** An API key instead of the staff session. */
  key?: string;
  /** More header values to fuzz (name → value or absent). */
  headerNames?: string[];
  /** A content type other than JSON, sometimes. */
  contentTypes?: fc.Arbitrary<string | null>;
  /** The audit action a refusal of this route records by design (every other table stays as it was). */
  auditedRefusal?: string;
}

/** Calls one target RUNS times: never ≥ 500; a refusal is problem+json and writes nothing. */
async function fuzz(target: Target, runs = RUNS) {
  let accepted = 0;
  let current = await snapshot(target.auditedRefusal);
  const headers = fc.record(
    Object.fromEntries((target.headerNames ?? []).map((h) => [h, h === 'idempotency-key' ? idempotencyKey : headerValue])),
  );
  const contentType = target.contentTypes ?? fc.constant<string | null>('application/json');
  await fc.assert(
    fc.asyncProperty(
      target.params,
      target.body ?? fc.constant(undefined),
      target.query ?? fc.constant({}),
      headers,
      contentType,
      async (params, body, query, extra, type) => {
        const qs = new URLSearchParams(query).toString();
        const set = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const response = await call(target.handler, {
          method: target.method,
          path: `${target.path(params)}${qs ? `?${qs}` : ''}`,
          params,
          body,
          key: target.key,
          contentType: type,
          headers: target.key ? set : { origin: ORIGIN, ...set },
        });
        const said = `${target.name} ${response.status} ${JSON.stringify(response.json)?.slice(0, 400)}`;
        expect(response.status, said).toBeLessThan(500);
        const after = await snapshot(target.auditedRefusal);
        if (response.status >= 400) {
          expect(response.headers.get('content-type'), said).toContain('application/problem+json');
          expect(typeof response.json.detail, said).toBe('string');
          expect(after, said).toBe(current);
        } else accepted += 1;
        current = after;
      },
    ),
    { numRuns: runs },
  );
  return accepted;
}

/** Mostly a fresh valid Idempotency-Key (so requests get past it), else any header value or none. */
const idempotencyKey = fc.oneof({ weight: 3, arbitrary: fc.uuid().map((u) => `fuzz-${u}`) }, { weight: 2, arbitrary: headerValue });

/** A path id: one that exists, or hostile text (NUL, lone surrogates, percent escapes, huge numbers). */
const idParam = (...good: (number | string)[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...good.map(String)) },
    { weight: 2, arbitrary: weirdText },
    { weight: 1, arbitrary: fc.constantFrom('%00', '%', '%ZZ', '%ud800', '0', '-1', '1.5', '99999999999999999999', 'x'.repeat(5000)) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );

/** A query string: known names, and others, with hostile values. */
const queryOf = (names: string[]) =>
  fc.dictionary(
    fc.oneof(fc.constantFrom(...names), weirdText),
    fc.oneof(
      weirdText,
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    ),
    { maxKeys: 4 },
  );

/** Anything a client might send for a body, from valid ones. */
const bodyFrom = (...goods: Body[]) => fc.oneof(...goods.map((good) => anyBody(() => structuredClone(good)))) as fc.Arbitrary<unknown>;

describe('fuzzing the staff and panel route handlers', () => {
  it('never answers 5xx, and a refused request writes nothing, on every route handler', { timeout: 600_000 }, async () => {
    // Every table but the key's own bookkeeping: authenticating an API key records its use (last
    // used, the per-key rate counter) whatever the request then turns out to be.
    tables = (await appTables(handle.db)).filter((t) => t !== 'api_keys' && t !== 'api_key_usage');
    expect(tables.length).toBeGreaterThan(20);

    const agent = await createStaff(handle.db);
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const admin = await createStaff(handle.db, { role: 'admin' });
    await createStaff(handle.db, { role: 'admin' }); // so the acting admin is never the last one
    const victims = await Promise.all([createStaff(handle.db), createStaff(handle.db, { role: 'supervisor' })]);
    const made = await Promise.all([1, 2, 3, 4].map(() => creditTicket(handle.db)));
    const ticketIds = made.map((m) => m.ticket.id);
    // Decisions waiting for a supervisor (credits above the threshold), for the approvals route.
    session.ctx = ctxFor(agent);
    const pending: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
      const proposed = await call(H(decisionsRoute.POST), {
        path: `/api/v1/tickets/${ticket.id}/decisions`,
        params: { id: String(ticket.id) },
        body: { outcome: 'balance_credit' },
        headers: { origin: ORIGIN, 'idempotency-key': newKey() },
      });
      expect(proposed.status).toBe(201);
      expect(proposed.json.state).toBe('awaiting_approval');
      pending.push(Number(proposed.json.id));
    }
    const eventsKey = (await apiKey(handle.db, ['order-events'])).plaintext;
    const evidenceKey = (await apiKey(handle.db, ['evidence:write'])).plaintext;
    const { order } = await createOrderTicket(handle.db, { order: { status: 'processing', delivered: 0 } });

    const accepted: Record<string, number> = {};
    const as = (ctx: Ctx) => {
      session.ctx = ctx;
    };

    as(ctxFor(agent, 'api'));
    accepted.decisions = await fuzz({
      name: 'POST decisions',
      handler: H(decisionsRoute.POST),
      method: 'POST',
      path: (p) => `/api/v1/tickets/${seg(p.id!)}/decisions`,
      params: idParam(...ticketIds).map((id) => ({ id })),
      body: bodyFrom(
        { outcome: 'balance_credit' },
        { outcome: 'deny', reason: 'The order was delivered in full.', reply: 'Your order was delivered in full.' },
        { outcome: 'balance_credit', amount: '1.00', reason: 'Partial goodwill credit' },
      ),
      headerNames: ['idempotency-key'],
    });
    accepted.decisionsGet = await fuzz({
      name: 'GET decisions',
      handler: H(decisionsRoute.GET),
      method: 'GET',
      path: (p) => `/api/v1/tickets/${seg(p.id!)}/decisions`,
      params: idParam(...ticketIds).map((id) => ({ id })),
      query: queryOf(['after']),
    });
    as(ctxFor(agent, 'api'));
    accepted.presence = await fuzz({
      name: 'POST presence',
      handler: H(presenceRoute.POST),
      method: 'POST',
      path: () => '/api/presence',
      params: fc.constant({}),
      body: bodyFrom({ ticketId: ticketIds[0]!, isLeaving: false }, { ticketId: 0, isLeaving: true }),
    });

    as(ctxFor(supervisor, 'api'));
    accepted.approvals = await fuzz({
      name: 'POST approvals',
      handler: H(approvalsRoute.POST),
      method: 'POST',
      path: (p) => `/api/v1/approvals/${seg(p.decisionId!)}`,
      params: idParam(...pending).map((decisionId) => ({ decisionId })),
      body: bodyFrom({ approve: true }, { approve: false, reason: 'Not enough evidence for this.' }),
      headerNames: ['idempotency-key'],
    });
    const auditNames = [
      'before',
      'ticket',
      'customer',
      'actor',
      'role',
      'action',
      'entity',
      'id',
      'from',
      'to',
      'q',
      'format',
      'entityType',
      'entityId',
    ];
    accepted.audit = await fuzz({
      name: 'GET audit',
      handler: H(auditRoute.GET),
      method: 'GET',
      path: () => '/api/v1/audit',
      params: fc.constant({}),
      query: queryOf(auditNames),
    });
    accepted.export = await fuzz(
      {
        name: 'GET audit export',
        handler: H(exportRoute.GET),
        method: 'GET',
        path: () => '/api/v1/audit/export',
        params: fc.constant({}),
        query: queryOf(auditNames),
      },
      Math.ceil(RUNS / 2),
    );
    accepted.verify = await fuzz(
      {
        name: 'POST audit verify',
        handler: H(verifyRoute.POST),
        method: 'POST',
        path: () => '/api/v1/audit/verify',
        params: fc.constant({}),
        body: rawBody,
      },
      Math.ceil(RUNS / 6),
    );

    as(ctxFor(admin, 'api'));
    const resetAdmin = () => handle.db.update(staffUsers).set({ isActive: true, role: 'admin' }).where(eq(staffUsers.id, admin.id));
    accepted.staff = await fuzz({
      name: 'PATCH staff',
      handler: H(staffRoute.PATCH),
      method: 'PATCH',
      path: (p) => `/api/v1/staff/${seg(p.id!)}`,
      params: idParam(...victims.map((v) => v.id)).map((id) => ({ id })),
      body: bodyFrom({ role: 'supervisor' }, { role: 'agent' }, { isActive: false }, { isActive: true }),
    });
    await resetAdmin();

    accepted.evidence = await fuzz({
      name: 'GET evidence',
      handler: H(evidenceRoute.GET),
      method: 'GET',
      path: (p) => `/api/evidence/${seg(p.id!)}`,
      params: idParam(1, 2).map((id) => ({ id })),
      headerNames: ['range'],
    });
    accepted.thumbnail = await fuzz(
      {
        name: 'GET evidence thumbnail',
        handler: H(thumbnailRoute.GET),
        method: 'GET',
        path: (p) => `/api/evidence/${seg(p.id!)}/thumbnail`,
        params: idParam(1, 2).map((id) => ({ id })),
      },
      Math.ceil(RUNS / 2),
    );
    const uploadTypes = fc.oneof(
      fc.constantFrom('application/json', 'multipart/form-data', 'multipart/form-data; boundary=x', 'text/plain', null),
      fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
    );
    accepted.staffUpload = await fuzz(
      {
        name: 'POST staff evidence upload',
        handler: H(staffUploadRoute.POST),
        method: 'POST',
        path: (p) => `/api/tickets/${seg(p.ticketId!)}/evidence`,
        params: idParam(...ticketIds).map((ticketId) => ({ ticketId })),
        body: rawBody,
        contentTypes: uploadTypes,
        headerNames: ['idempotency-key'],
        auditedRefusal: 'evidence.refused',
      },
      Math.ceil(RUNS / 2),
    );

    session.ctx = null;
    const at = new Date().toISOString();
    accepted.orderEvents = await fuzz({
      name: 'POST order events',
      handler: H(orderEventsRoute.POST),
      method: 'POST',
      path: (p) => `/api/v1/orders/${seg(p.orderNumber!)}/events`,
      params: idParam(order.externalId).map((orderNumber) => ({ orderNumber })),
      body: bodyFrom(
        { eventId: 'evt-fuzz-1', kind: 'partial_delivery', at, data: { delivered: 150 } },
        { kind: 'status_changed', at, data: { to: 'In progress' } },
        { kind: 'partial_delivery', at, data: { delivered: 120, startCount: '10' } },
      ),
      key: eventsKey,
      headerNames: ['idempotency-key'],
    });
    accepted.panelUpload = await fuzz(
      {
        name: 'POST panel evidence upload',
        handler: H(panelUploadRoute.POST),
        method: 'POST',
        path: (p) => `/api/v1/tickets/${seg(p.id!)}/evidence`,
        params: idParam(...ticketIds).map((id) => ({ id })),
        body: rawBody,
        key: evidenceKey,
        contentTypes: uploadTypes,
        headerNames: ['idempotency-key'],
        auditedRefusal: 'evidence.refused',
      },
      Math.ceil(RUNS / 2),
    );

    // No input but the request itself: answered, never a 5xx.
    for (const [name, handler] of [
      ['health', healthRoute.GET],
      ['openapi', openapiRoute.GET],
    ] as const) {
      const response = await (handler as unknown as (r: Request) => Promise<Response>)(new Request(`${ORIGIN}/api/${name}`));
      expect(response.status, name).toBeLessThan(500);
    }

    console.info('accepted (2xx) per route handler:', JSON.stringify(accepted));
    // Enough of each was accepted that the fuzzing reached the core functions, not only the parser.
    for (const name of ['decisions', 'decisionsGet', 'presence', 'approvals', 'audit', 'export', 'verify', 'staff', 'orderEvents'])
      expect(accepted[name], name).toBeGreaterThan(0);
  });
});

import { eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import type { Ctx } from '@/lib/auth/actor';
import { creditTicket, footprint, newKey } from '@/lib/decisions/test-helpers';

const session = vi.hoisted(() => ({ ctx: null as Ctx | null }));
vi.mock('@/lib/auth/session', () => ({ getCtx: async () => session.ctx }));

const { GET, POST } = await import('./route');
const approvals = await import('@/app/api/v1/approvals/[decisionId]/route');

const handle = setupTestDb();
beforeEach(() => {
  session.ctx = null;
});

const ORIGIN = 'http://localhost:3000'; // the app's origin when NEXTAUTH_URL is unset
const post = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  POST(
    new NextRequest(`${ORIGIN}/api/v1/tickets/${id}/decisions`, {
      method: 'POST',
      headers: { origin: ORIGIN, host: 'localhost', 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
const get = (id: string) => GET(new NextRequest(`${ORIGIN}/api/v1/tickets/${id}/decisions`), { params: Promise.resolve({ id }) });
const review = (decisionId: string, body: unknown, headers: Record<string, string> = {}) =>
  approvals.POST(
    new NextRequest(`${ORIGIN}/api/v1/approvals/${decisionId}`, {
      method: 'POST',
      headers: { origin: ORIGIN, host: 'localhost', 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ decisionId }) },
  );

describe('POST /api/v1/tickets/{id}/decisions', () => {
  it('201 with the decision; the same key and body again: 200 with the same body; another body: 409', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    const { ticket } = await creditTicket(handle.db);
    const key = newKey();
    const first = await post(String(ticket.id), { outcome: 'balance_credit' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({ ticketId: ticket.id, state: 'executed', outcome: 'balance_credit', amount: '7.50', currency: 'USD' });

    const again = await post(String(ticket.id), { outcome: 'balance_credit' }, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(body);

    const different = await post(String(ticket.id), { outcome: 'deny' }, { 'idempotency-key': key });
    expect(different.status).toBe(409);
    expect(different.headers.get('content-type')).toContain('application/problem+json');
    expect(await different.json()).toMatchObject({
      code: 'conflict',
      detail: 'This Idempotency-Key was already used for a different request.',
    });
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(1);

    const list = await get(String(ticket.id));
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('private, no-store');
    expect(await list.json()).toEqual({ decisions: [body] });
  });

  it('refuses without a session (401), without an Origin (403), without or with a bad Idempotency-Key (422), naming what failed', async () => {
    const { ticket } = await creditTicket(handle.db);
    expect((await post(String(ticket.id), { outcome: 'deny' }, { 'idempotency-key': newKey() })).status).toBe(401);
    session.ctx = ctxFor(await createStaff(handle.db));
    const noOrigin = await POST(
      new NextRequest(`${ORIGIN}/api/v1/tickets/${ticket.id}/decisions`, {
        method: 'POST',
        body: JSON.stringify({ outcome: 'deny' }),
        headers: { 'idempotency-key': newKey() },
      }),
      { params: Promise.resolve({ id: String(ticket.id) }) },
    );
    expect(noOrigin.status).toBe(403);
    // The whole origin must be the app's: another port, scheme or a forwarded host claiming ours is foreign.
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://localhost:4000' },
      { origin: 'https://localhost:3000' },
      { origin: 'http://evil.example', host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    ]) {
      const foreign = await post(String(ticket.id), { outcome: 'deny' }, { 'idempotency-key': newKey(), ...headers });
      expect(foreign.status, JSON.stringify(headers)).toBe(403);
    }
    const missing = await post(String(ticket.id), { outcome: 'deny' });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ code: 'invalid', fieldErrors: { 'Idempotency-Key': ['Required.'] } });
    const short = await post(String(ticket.id), { outcome: 'deny' }, { 'idempotency-key': 'abc' });
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ fieldErrors: { idempotencyKey: [expect.stringContaining('8 to 200')] } });
    const badAmount = await post(String(ticket.id), { outcome: 'balance_credit', amount: '1.234' }, { 'idempotency-key': newKey() });
    expect(badAmount.status).toBe(422);
    expect(await badAmount.json()).toMatchObject({ fieldErrors: { amount: [expect.any(String)] } });
    const override = await post(String(ticket.id), { outcome: 'deny' }, { 'idempotency-key': newKey() });
    expect(override.status).toBe(422);
    expect(await override.json()).toMatchObject({ fieldErrors: { reason: [expect.stringContaining('15 characters')] } });
    const notJson = await post(String(ticket.id), '{', { 'idempotency-key': newKey() });
    expect(notJson.status).toBe(400);
  });

  it('422 naming the field for NUL or a lone surrogate in the reason, the reply, the outcome or a field name; 404 for such a ticket id; nothing written', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    const { ticket } = await creditTicket(handle.db);
    const reason = 'A partial goodwill credit for the delay';
    const cases: [string, unknown, RegExp][] = [
      ['reason NUL', { outcome: 'deny', reason: `${reason}\u0000` }, /^reason: .*NUL/],
      ['reason surrogate', { outcome: 'deny', reason: `${reason}\ud800` }, /^reason: .*surrogate/],
      ['reply NUL', { outcome: 'balance_credit', reply: 'Hello\u0000' }, /^reply: .*NUL/],
      ['reply surrogate', { outcome: 'balance_credit', reply: 'Hello \udc00' }, /^reply: .*surrogate/],
      ['outcome', { outcome: 'deny\u0000' }, /^outcome: .*NUL/],
      ['amount', { outcome: 'balance_credit', amount: '1.00\u0000' }, /^amount: .*NUL/],
      ['field name', { outcome: 'balance_credit', ['x\u0000']: 1 }, /NUL/],
    ];
    for (const [name, body, detail] of cases) {
      const response = await post(String(ticket.id), body, { 'idempotency-key': newKey() });
      expect(response.status, name).toBe(422);
      expect(await response.json(), name).toMatchObject({ code: 'invalid', detail: expect.stringMatching(detail) });
    }
    for (const id of ['\u0000', `${ticket.id}\u0000`, '\ud800']) {
      expect((await post(id, { outcome: 'balance_credit' }, { 'idempotency-key': newKey() })).status, JSON.stringify(id)).toBe(404);
      expect((await get(id)).status, JSON.stringify(id)).toBe(404);
    }
    const deep = `{"outcome":"deny","reason":${'['.repeat(20_000)}1${']'.repeat(20_000)}}`;
    const tooDeep = await post(String(ticket.id), deep, { 'idempotency-key': newKey() });
    expect(tooDeep.status).toBe(422);
    const after = await footprint(handle.db, ticket.id);
    expect(after.decisions).toHaveLength(0);
    expect(after.ledger).toHaveLength(0);
  });

  it('404 for an unknown ticket, on GET and POST', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    expect((await post('987654321', { outcome: 'deny' }, { 'idempotency-key': newKey() })).status).toBe(404);
    expect((await post('abc', { outcome: 'deny' }, { 'idempotency-key': newKey() })).status).toBe(404);
    expect((await get('987654321')).status).toBe(404);
  });
});

describe('POST /api/v1/approvals/{decisionId}', () => {
  it('an agent gets 403; a supervisor approves (200), again is the same result; 404 for an unknown decision', async () => {
    const agent = await createStaff(handle.db);
    session.ctx = ctxFor(agent);
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const proposed = await post(String(ticket.id), { outcome: 'balance_credit' }, { 'idempotency-key': newKey() });
    expect(proposed.status).toBe(201);
    const decision = await proposed.json();
    expect(decision).toMatchObject({ state: 'awaiting_approval', approvalReasons: ['above_threshold'] });

    const forbidden = await review(String(decision.id), { approve: true });
    expect(forbidden.status).toBe(403);

    session.ctx = ctxFor(await createStaff(handle.db, { role: 'supervisor' }));
    const bad = await review(String(decision.id), { approve: false, reason: 'no' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ fieldErrors: { reason: [expect.stringContaining('5 characters')] } });
    const approved = await review(String(decision.id), { approve: true });
    expect(approved.status).toBe(200);
    const body = await approved.json();
    expect(body).toMatchObject({ id: decision.id, state: 'executed' });
    const again = await review(String(decision.id), { approve: true });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
    const reject = await review(String(decision.id), { approve: false, reason: 'Changed my mind' });
    expect(reject.status).toBe(409);
    expect((await review('987654321', { approve: true })).status).toBe(404);
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(1);
  });
});

describe('PATCH /api/v1/staff/{id}', () => {
  const staffRoute = import('@/app/api/v1/staff/[id]/route');
  const patch = async (id: number, body: unknown) =>
    (await staffRoute).PATCH(
      new NextRequest(`${ORIGIN}/api/v1/staff/${id}`, {
        method: 'PATCH',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ id: String(id) }) },
    );

  it('refuses a role and isActive in one request instead of silently applying one of them, changing nothing', async () => {
    session.ctx = ctxFor(await createStaff(handle.db, { role: 'admin' }));
    const target = await createStaff(handle.db, { role: 'agent' });
    const both = await patch(target.id, { role: 'supervisor', isActive: false });
    expect(both.status).toBe(422);
    expect(await both.json()).toMatchObject({ code: 'invalid', detail: expect.stringContaining('not both') });
    const [row] = await handle.db.select().from(staffUsers).where(eq(staffUsers.id, target.id));
    expect(row).toMatchObject({ role: 'agent', isActive: true });
    expect((await patch(target.id, { role: 'supervisor' })).status).toBe(200);
  });
});

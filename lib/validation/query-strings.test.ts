/**
 * Every parser of a page's or an API's query string refuses what PostgreSQL cannot take (a NUL, a
 * lone UTF-16 surrogate) before anything reaches the database: with a sentence naming the field,
 * or (the queue, which reads its URL forgivingly) by leaving the filter out with a notice saying so.
 * Run with DATABASE_URL set, the same calls go to PostgreSQL, which refuses `\u0000` in text.
 */
import { describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import type { Ctx } from '@/lib/auth/actor';
import { safeCallbackPath } from '@/lib/auth/origin';
import { exportAuditEvents, listAuditEvents } from '@/lib/audit/query';
import { getCustomerLedger, searchCustomers } from '@/lib/credits';
import { isAppError } from '@/lib/errors';
import { apiKey } from '@/lib/intake/test-api';
import { listTicketsForPanel } from '@/lib/intake/tickets';
import { getQualityReport, qualityRange } from '@/lib/quality/metrics';
import { replayPolicy } from '@/lib/quality/replay';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { listQueue, parseQueueQuery } from '@/lib/tickets/queue';
import { queueQuerySchema } from './queue';

const handle = setupTestDb();

const BAD = [
  { name: 'a NUL', value: 'abc\u0000', says: /NUL/ },
  { name: 'a lone surrogate', value: 'abc\ud800', says: /surrogate/ },
];

/** The AppError a call refuses with (fails the test when it resolves or throws anything else). */
async function refusal(run: () => Promise<unknown> | unknown) {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

describe.each(BAD)('query strings with $name', ({ value, says }) => {
  it('the queue leaves the search (and a page cursor) out with a notice naming the field', async () => {
    // On PostgreSQL this was a 500: the NUL went into the search's ilike.
    const agent = await createStaff(handle.db);
    const page = await listQueue(ctxFor(agent), { q: value });
    expect(page.ignored.join(' ')).toMatch(says);
    const { query, ignored } = parseQueueQuery({ q: value, after: value, claim: 'partial_delivery' });
    expect(query.q).toBeUndefined();
    expect(query.after).toBeUndefined();
    expect(query.claim).toBe('partial_delivery');
    expect(ignored).toHaveLength(2);
    expect(ignored[0]).toMatch(/^The search is left out: /);
    expect(ignored[0]).toMatch(says);
    expect(ignored[1]).toMatch(/^The page is left out: /);
    // The notice never echoes the broken text back into the page.
    for (const line of ignored) expect(line).not.toContain(value);
    // The schema itself refuses it too, for whoever parses with it directly.
    expect(queueQuerySchema.safeParse({ q: value }).success).toBe(false);
  });

  it('/credits: the customer search and the customer id are refused with a sentence naming the field', async () => {
    const ctx = ctxFor(await createStaff(handle.db, { role: 'admin' }));
    const search = await refusal(() => searchCustomers(ctx, { q: value }));
    expect(search.code).toBe('invalid');
    expect(search.message).toMatch(/^q: /);
    expect(search.message).toMatch(says);
    const ledger = await refusal(() => getCustomerLedger(ctx, { customerId: value }));
    expect(ledger.code).toBe('invalid');
    expect(ledger.message).toMatch(/^customerId: /);
  });

  it('/audit and its export: every filter and `before=` are refused naming the field', async () => {
    const ctx = ctxFor(await createStaff(handle.db, { role: 'admin' }));
    for (const field of ['before', 'actor', 'action', 'entity', 'ticket', 'customer', 'from', 'to', 'q']) {
      const error = await refusal(() => listAuditEvents(ctx, { [field]: value }));
      expect(error.code, field).toBe('invalid');
      expect(error.message, field).toMatch(new RegExp(`^${field}: `));
      expect(error.message, field).toMatch(says);
    }
    const exported = await refusal(() => exportAuditEvents(ctx, { actor: value }));
    expect(exported.code).toBe('invalid');
    expect(exported.message).toMatch(/^actor: /);
  });

  it('/quality and /quality/replay: the dates, the agent and the team are refused naming the field', async () => {
    const ctx = ctxFor(await createStaff(handle.db, { role: 'admin' }));
    for (const field of ['from', 'to', 'agent', 'team']) {
      const error = await refusal(() => getQualityReport(ctx, { [field]: value }));
      expect(error.code, field).toBe('invalid');
      expect(error.message, field).toMatch(new RegExp(`^${field}: `));
    }
    // The replay page reads its range with qualityRange before running anything.
    expect((await refusal(() => qualityRange({ from: value }))).code).toBe('invalid');
    const replay = await refusal(() => replayPolicy(ctx, { from: value, to: '2026-01-31' }));
    expect(replay.code).toBe('invalid');
    expect(replay.message).toMatch(/^from: /);
  });

  it('GET /api/v1/tickets (the panel’s sync): the cursor and the time are refused naming the field', async () => {
    const { id } = await apiKey(handle.db, ['tickets:read']);
    const ctx: Ctx = { kind: 'api_key', apiKeyId: id, origin: { via: 'api', ip: '203.0.113.7', userAgent: 'vitest' } };
    for (const field of ['updated_since', 'cursor', 'limit']) {
      const error = await refusal(() => listTicketsForPanel(ctx, { [field]: value }));
      expect(error.code, field).toBe('invalid');
      expect(error.message, field).toMatch(/^(updated_since|cursor|limit): /);
    }
  });

  it('the sign-in page’s callbackUrl falls back to the queue', () => {
    expect(safeCallbackPath(`/tickets${value}`)).toMatch(/^\/tickets/);
    expect(safeCallbackPath(`/tickets${value}`)).not.toContain(value);
  });
});

describe('/audit?before=abc', () => {
  it('is refused as invalid (the page shows the newest events with a notice), not a 500', async () => {
    const ctx = ctxFor(await createStaff(handle.db, { role: 'supervisor' }));
    for (const before of ['abc', '-1', '1.5', '1e400', '99999999999999999999']) {
      const error = await refusal(() => listAuditEvents(ctx, { before }));
      expect(error.code, before).toBe('invalid');
      expect(error.message, before).toMatch(/^before: /);
    }
    expect((await listAuditEvents(ctx, { before: '1' })).events).toEqual([]);
  });
});

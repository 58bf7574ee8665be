import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { diffValues } from './diff';
import { record, type AuditInput } from './index';
import { csvCell, exportAuditEvents, getChainStatus, listAuditEvents, verifyAuditLog } from './query';

const handle = setupTestDb();

const base = (over: Partial<AuditInput>): AuditInput => ({
  actor: { id: null, label: 'system', role: null },
  action: 'ticket.note_added',
  entityType: 'ticket',
  ...over,
});

describe('the diff of before and after', () => {
  it('lists nested fields one by one: changed, added, removed; unchanged ones left out', () => {
    const before = { status: 'open', findings: { targetPublic: null, linkValid: true }, reasons: [{ code: 'a' }, { code: 'b' }], gone: 1 };
    const after = {
      status: 'resolved',
      findings: { targetPublic: false, linkValid: true },
      reasons: [{ code: 'a' }],
      added: { x: { y: 2 } },
    };
    expect(diffValues(before, after)).toEqual([
      { path: 'status', kind: 'changed', before: 'open', after: 'resolved' },
      { path: 'findings.targetPublic', kind: 'changed', before: null, after: false },
      { path: 'reasons[1].code', kind: 'removed', before: 'b' },
      { path: 'gone', kind: 'removed', before: 1 },
      { path: 'added.x.y', kind: 'added', after: 2 },
    ]);
  });

  it('spells out a created record leaf by leaf and treats a changed type as a change', () => {
    expect(diffValues(null, { a: 1, b: { c: [true] } })).toEqual([
      { path: 'a', kind: 'added', after: 1 },
      { path: 'b.c[0]', kind: 'added', after: true },
    ]);
    expect(diffValues({ a: { b: 1 } }, { a: 'flat' })).toEqual([{ path: 'a', kind: 'changed', before: { b: 1 }, after: 'flat' }]);
    expect(diffValues({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('the audit log filters', () => {
  it('combine: ticket (its own events and its decisions), actor, action group, entity, dates, reason text', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    const ctx = ctxFor(supervisor);
    const actor = { id: agent.id, label: agent.email, role: 'agent' };
    const T = String(900_000 + Math.floor(Math.random() * 1000));
    await handle.db.transaction(async (tx) => {
      await record(tx, base({ actor, action: 'ticket.findings_saved', entityId: T, reason: 'Checked the screenshot' }));
      await record(tx, base({ actor, action: 'decision.proposed', entityType: 'decision', entityId: 77, after: { ticketId: Number(T) } }));
      await record(
        tx,
        base({
          action: 'decision.executed',
          entityType: 'decision',
          entityId: 77,
          before: { ticketId: Number(T) },
          reason: 'approved by the supervisor',
        }),
      );
      await record(tx, base({ actor, action: 'ticket.findings_saved', entityId: '1', reason: 'Another ticket' }));
      await record(tx, base({ action: 'credit.executed', entityType: 'manual_credit', entityId: 5, after: { customerId: 4242 } }));
    });
    const actions = async (filters: Record<string, string>) => (await listAuditEvents(ctx, filters)).events.map((e) => e.action);

    expect(await actions({ ticket: T })).toEqual(['decision.executed', 'decision.proposed', 'ticket.findings_saved']);
    expect(await actions({ ticket: T, actor: String(agent.id) })).toEqual(['decision.proposed', 'ticket.findings_saved']);
    expect(await actions({ ticket: T, action: 'decisions' })).toEqual(['decision.executed', 'decision.proposed']);
    expect(await actions({ ticket: T, action: 'decision.executed' })).toEqual(['decision.executed']);
    expect(await actions({ ticket: T, entity: 'ticket' })).toEqual(['ticket.findings_saved']);
    expect(await actions({ ticket: T, role: 'none' })).toEqual(['decision.executed']);
    expect(await actions({ ticket: T, q: 'SCREENSHOT' })).toEqual(['ticket.findings_saved']);
    expect(await actions({ actor: String(agent.id), q: 'another' })).toEqual(['ticket.findings_saved']);
    expect(await actions({ actor: '1'.padEnd(31, '0') })).toEqual([]); // no staff id: found nothing, not a database error
    expect(await actions({ customer: '4242' })).toEqual(['credit.executed']);
    const today = new Date().toISOString().slice(0, 10);
    expect(await actions({ ticket: T, from: today, to: today })).toHaveLength(3);
    expect(await actions({ ticket: T, to: '2000-01-01' })).toEqual([]);
    await expect(listAuditEvents(ctx, { from: '2026-02-30x' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(listAuditEvents(ctx, { from: '2026-05-02', to: '2026-05-01' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(listAuditEvents(ctx, { ticket: "1' or 1=1" })).rejects.toMatchObject({ code: 'invalid' });
  });

  it("filter a group by its own actions: the panel's ticket imports are intake, not ticket work", async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    const T = String(800_000 + Math.floor(Math.random() * 1000));
    await handle.db.transaction(async (tx) => {
      await record(tx, base({ action: 'ticket.imported', entityId: T }));
      await record(tx, base({ action: 'ticket.customer_replied', entityId: T }));
      await record(tx, base({ action: 'ticket.taken_over', entityId: T }));
      await record(tx, base({ action: 'customer.suspended', entityType: 'customer', entityId: 1, after: { ticketId: Number(T) } }));
    });
    const actions = async (action: string) => (await listAuditEvents(ctx, { ticket: T, action })).events.map((e) => e.action);
    expect(await actions('intake')).toEqual(['ticket.customer_replied', 'ticket.imported']);
    expect(await actions('tickets')).toEqual(['ticket.taken_over']);
    expect(await actions('decisions')).toEqual(['customer.suspended']);
    // A name that is neither a group nor an action (an inherited property, too) matches nothing.
    expect(await actions('constructor')).toEqual([]);
  });

  it('pages newest first with a keyset cursor, without gaps or repeats', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    await handle.db.transaction(async (tx) => {
      for (let i = 0; i < 120; i += 1) await record(tx, base({ action: 'ticket.reply_sent', entityType: 'order', entityId: i }));
    });
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listAuditEvents(ctx, { action: 'ticket.reply_sent', before });
      seen.push(...page.events.map((e) => Number(e.entityId)));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
  });
});

describe('the export', () => {
  it('is CSV or JSON Lines of the filtered log, quotes and defuses cells, and is itself recorded', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    await handle.db.transaction((tx) =>
      record(
        tx,
        base({
          action: 'ticket.claimed',
          entityType: 'order',
          entityId: 1,
          reason: '=HYPERLINK("x"), with "quotes"\nand a line',
          after: { a: 1 },
        }),
      ),
    );
    const csv = await exportAuditEvents(ctx, { action: 'ticket.claimed', format: 'csv' });
    let text = '';
    for await (const chunk of csv.chunks) text += chunk;
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('id,seq,at,actor_id,actor_label,actor_role,action,entity_type,entity_id,reason,before,after,origin,hash');
    expect(text).toContain(`"'=HYPERLINK(""x""), with ""quotes""\nand a line"`);
    expect(text).toContain('"{""a"":1}"');
    const jsonl = await exportAuditEvents(ctx, { action: 'ticket.claimed', format: 'jsonl' });
    let body = '';
    for await (const chunk of jsonl.chunks) body += chunk;
    expect(
      body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string }),
    ).toMatchObject([{ action: 'ticket.claimed', after: { a: 1 } }]);
    const recorded = (await listAuditEvents(ctx, { action: 'audit.exported', actor: String(supervisor.id) })).events;
    expect(recorded.map((e) => (e.after as { format: string }).format)).toEqual(['jsonl', 'csv']);
    expect(recorded[0]!.after).toMatchObject({ filters: { action: 'ticket.claimed' } });
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(-2)).toBe('-2');
    await expect(exportAuditEvents(ctx, { format: 'xml' })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('the chain on the page', () => {
  it('shows the sealed head and verifies it as audit:verify does, recording the check', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    await handle.db.transaction((tx) => record(tx, base({ action: 'ticket.assigned', entityId: 1 })));
    const progress: number[] = [];
    const result = await verifyAuditLog(ctx, (n) => progress.push(n));
    expect(result.ok).toBe(true);
    expect(progress.at(-1)).toBe(result.count);
    const status = await getChainStatus(ctx);
    expect(status.sealed).toBeGreaterThanOrEqual(result.count);
    expect(status.lastVerified).toMatchObject({ ok: true, count: result.count, by: supervisor.email });
  });

  it('refuses agents in every function, not only on the page', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const ctx = ctxFor(agent);
    for (const call of [
      () => listAuditEvents(ctx, {}),
      () => exportAuditEvents(ctx, { format: 'csv' }),
      () => getChainStatus(ctx),
      () => verifyAuditLog(ctx),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the export at scale', () => {
  it('streams 200,000 rows in constant memory', { timeout: 240_000 }, async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const ctx = ctxFor(supervisor);
    const N = 200_000;
    await handle.db.execute(sql`insert into audit_events (at, actor_label, actor_role, action, entity_type, entity_id, after, reason)
      select now(), 'bulk@test.example', 'agent', 'seed.completed', 'ticket', g::text, jsonb_build_object('n', g, 'note', repeat('x', 120)), 'bulk ' || g
      from generate_series(1, ${N}) g`);
    const result = await exportAuditEvents(ctx, { action: 'seed.completed', format: 'csv' }, { batchSize: 2_000 });
    const reader = (await import('./query')).streamOf(result.chunks).getReader();
    // The heap after a full collection, sampled as the rows go by: what the export keeps, not its garbage.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const live = () => (gc(), process.memoryUsage().heapUsed);
    const samples: number[] = [];
    let rows = -1;
    let bytes = 0;
    let nextSample = 20_000;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) rows += 1;
      if (rows >= nextSample) {
        samples.push(live());
        nextSample += 40_000;
      }
    }
    expect(rows).toBe(N);
    expect(bytes).toBeGreaterThan(N * 200);
    // The export is ~45 MB; kept rather than streamed, the heap would grow by that between the samples.
    // Streamed in batches of 2,000 rows (~0.5 MB) it stays flat.
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...samples) - samples[0]!).toBeLessThan(8 * 1024 * 1024);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DbHandle } from '@/db';
import { ticketClaim } from '@/db/schema';
import { createTestDb, isPostgres } from '@/db/testing';
import { verifyPassword } from '@/lib/auth/password';
import { readEvidence } from '@/lib/evidence/storage';
import { suggestFor } from '@/lib/tickets/suggestion';
import { EvidencePool } from './evidence-pool';
import { SeedRefusedError, seedDatabase, seedDemo, type SeedOptions, type SeedResult } from './index';

const ANCHOR = '2026-07-01';
const ANCHOR_MS = Date.parse(`${ANCHOR}T00:00:00Z`);

let evidenceDir: string;
/** Seeded plainly. */
let a: DbHandle;
/** Seeded the same way, with an annotate hook. */
let b: DbHandle;
let result: SeedResult;
let failedRun: string;
let leftAfterFailure: Record<string, number> | undefined;
const seen: { id: number; claim: string; evidenceCount: number; now: string }[] = [];

const options = (extra: Partial<SeedOptions> = {}): SeedOptions => ({
  tickets: 60,
  seed: 7,
  anchor: ANCHOR,
  evidenceDir,
  maxDistinctImages: 12,
  ...extra,
});

const rows = <T>(db: DbHandle, query: ReturnType<typeof sql>) => queryRows<T>(db.db, query);

/** md5 of a table's rows (or of some columns) in id order: equal data, equal fingerprint. */
async function fingerprint(db: DbHandle, table: string, { order = 'id', columns = 't' } = {}): Promise<string> {
  const [row] = await rows<{ md5: string }>(
    db,
    sql.raw(`select md5(string_agg((${columns})::text, '|' order by ${order})) as md5 from "${table}" t`),
  );
  return row!.md5;
}

/** The ticket columns the annotate hook does not touch. */
const TICKET_FACTS = `t.id, t.external_id, t.customer_id, t.order_id, t.payment_id, t.claim, t.requested_remedy, t.order_number_given,
  t.target_link_given, t.explanation, t.is_mandatory_law_claimed, t.is_chargeback_threatened, t.is_reseller_downstream_dispute,
  t.status, t.assignee_id, t.opened_at, t.amount_at_stake, t.updated_at`;

beforeAll(async () => {
  evidenceDir = await mkdtemp(path.join(tmpdir(), 'rd-seed-evidence-'));
  [a, b] = await Promise.all([createTestDb(), createTestDb()]);
  // A run that fails midway first: it must leave nothing behind, and A is then seeded as usual.
  let annotated = 0;
  failedRun = await seedDatabase(a, {
    ...options({ tickets: 30 }),
    annotate: () => {
      if (++annotated === 20) throw new Error('boom');
      return {};
    },
  }).then(
    () => 'resolved',
    (error: Error) => error.message,
  );
  [leftAfterFailure] = await rows<Record<string, number>>(
    a,
    sql`select (select count(*)::int from tickets) as tickets, (select count(*)::int from customers) as customers,
          (select count(*)::int from services) as services, (select count(*)::int from staff_users) as staff,
          (select count(*)::int from audit_events) as audit`,
  );
  result = await seedDatabase(a, options());
  await seedDatabase(b, {
    ...options(),
    annotate: (facts, { now }) => {
      const ticket = facts.ticket as typeof facts.ticket & { id: number };
      seen.push({ id: ticket.id, claim: ticket.claim, evidenceCount: facts.evidenceCount, now: now.toISOString() });
      return { suggestedOutcome: 'verify', eligibilityDeadline: new Date(ticket.openedAt.getTime() + 7 * 86_400_000) };
    },
  });
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await rm(evidenceDir, { recursive: true, force: true });
});

describe('seedDatabase', () => {
  it('reports what it made, and the database holds exactly that', async () => {
    const { counts } = result;
    expect(counts.tickets).toBe(60);
    expect(counts.services).toBeGreaterThanOrEqual(38);
    expect(counts.customers).toBe(34); // 30 with tickets, 4 without
    expect(counts.orders / counts.tickets).toBeGreaterThan(2.5);
    expect(counts.orderEvents).toBeGreaterThan(counts.orders * 3);
    for (const [table, n] of [
      ['tickets', counts.tickets],
      ['orders', counts.orders],
      ['order_events', counts.orderEvents],
      ['payments', counts.payments],
      ['customers', counts.customers],
      ['ticket_messages', counts.ticketMessages],
      ['ticket_findings', counts.ticketFindings],
      ['evidence', counts.evidence],
      ['services', counts.services],
    ] as const) {
      const [row] = await rows<{ n: number }>(a, sql.raw(`select count(*)::int as n from "${table}"`));
      expect(row!.n, table).toBe(n);
    }
  });

  it('is deterministic: same seed and anchor, same rows', async () => {
    for (const table of ['orders', 'payments', 'customers', 'order_events', 'ticket_messages', 'evidence', 'services']) {
      expect(await fingerprint(a, table), table).toBe(await fingerprint(b, table));
    }
    expect(await fingerprint(a, 'ticket_findings', { order: 'ticket_id' })).toBe(
      await fingerprint(b, 'ticket_findings', { order: 'ticket_id' }),
    );
    expect(await fingerprint(a, 'tickets', { columns: TICKET_FACTS })).toBe(await fingerprint(b, 'tickets', { columns: TICKET_FACTS }));
  });

  it('leaves the policy columns empty without a hook, and stores what the hook returns with one', async () => {
    const [plain] = await rows<{ n: number }>(
      a,
      sql`select count(*)::int as n from tickets
          where eligibility_deadline is not null or suggested_outcome is not null or suggested_amount is not null or suggestion is not null`,
    );
    expect(plain!.n).toBe(0);
    expect(seen).toHaveLength(60);
    expect(seen.every((s) => s.now === `${ANCHOR}T00:00:00.000Z`)).toBe(true);
    const [annotated] = await rows<{ verify: number; deadlines: number }>(
      b,
      sql`select count(*) filter (where suggested_outcome = 'verify')::int as verify,
            count(*) filter (where eligibility_deadline = opened_at + interval '7 days')::int as deadlines from tickets`,
    );
    expect(annotated).toEqual({ verify: 60, deadlines: 60 });
    const files = await rows<{ id: number; claim: string; n: number }>(
      b,
      sql`select t.id::int as id, t.claim, count(e.id)::int as n from tickets t left join evidence e on e.ticket_id = t.id group by t.id order by t.id`,
    );
    expect(files.map((r) => [r.id, r.claim, r.n])).toEqual(seen.map((s) => [s.id, s.claim, s.evidenceCount]));
  });

  it('makes tickets of many claims, each on the customer’s own order or payment', async () => {
    // Every claim at 200 tickets: see generators.test.ts.
    const claims = await rows<{ claim: string }>(a, sql`select distinct claim from tickets`);
    expect(claims.length).toBeGreaterThan(8);
    for (const { claim } of claims) expect(ticketClaim.enumValues).toContain(claim);
    const [wrong] = await rows<{ n: number }>(
      a,
      sql`select count(*)::int as n from tickets t
          left join orders o on o.id = t.order_id left join payments p on p.id = t.payment_id
          where (o.id is not null and o.customer_id <> t.customer_id) or (p.id is not null and p.customer_id <> t.customer_id)
             or (t.claim in ('duplicate_payment', 'payment_not_credited') and t.payment_id is null)
             or (t.claim in ('not_started', 'not_delivered', 'partial_delivery', 'drop', 'cancel_request') and t.order_id is null)`,
    );
    expect(wrong!.n).toBe(0);
  });

  it('has a realistic mix of order states among orders nobody complained about', async () => {
    const mix = await rows<{ status: string; n: number }>(
      a,
      sql`select status, count(*)::int as n from orders where id not in (select order_id from tickets where order_id is not null) group by status`,
    );
    const total = mix.reduce((s, r) => s + r.n, 0);
    const share = (status: string) => (mix.find((r) => r.status === status)?.n ?? 0) / total;
    expect(total).toBeGreaterThan(100);
    expect(share('completed')).toBeGreaterThan(0.72);
    expect(share('completed')).toBeLessThan(0.94);
    expect(share('canceled')).toBeGreaterThan(0.02);
    expect(share('canceled')).toBeLessThan(0.18);
    expect(share('partial')).toBeLessThan(0.14);
    expect(share('processing') + share('submitted')).toBeLessThan(0.1);
  });

  it('stores money as valid decimals, and the charge is rate × quantity / 1000 rounded to the cent', async () => {
    const [check] = await rows<{ bad_charge: number; bad_amount: number; bad_stake: number }>(
      a,
      sql`select
            (select count(*)::int from orders o join services s on s.id = o.service_id
              where o.charge <> greatest(0.01, round(s.rate_per_1000 * o.quantity / 1000, 2))
                 or o.charge::text !~ '^[0-9]+\.[0-9]{2}$') as bad_charge,
            (select count(*)::int from payments where amount <= 0 or amount::text !~ '^[0-9]+\.[0-9]{2}$') as bad_amount,
            (select count(*)::int from tickets t left join orders o on o.id = t.order_id left join payments p on p.id = t.payment_id
              where t.amount_at_stake is distinct from coalesce(o.charge, p.amount)) as bad_stake`,
    );
    expect(check).toEqual({ bad_charge: 0, bad_amount: 0, bad_stake: 0 });
  });

  it('keeps delivered consistent with the status', async () => {
    const [check] = await rows<{ n: number }>(
      a,
      sql`select count(*)::int as n from orders where
            (status = 'completed' and delivered < quantity) or (status = 'partial' and (delivered <= 0 or delivered >= quantity))
            or (status in ('submitted', 'canceled') and delivered <> 0) or (status = 'submitted' and start_count is not null)
            or quantity < 1 or status_changed_at < created_at`,
    );
    expect(check!.n).toBe(0);
  });

  it('writes order timelines whose times increase, start with created and end before the anchor', async () => {
    const [check] = await rows<{ unordered: number; first_not_created: number; late: number; status_mismatch: number }>(
      a,
      sql`select
            (select count(*)::int from (select at, lag(at) over (partition by order_id order by id) as prev from order_events) x
              where prev >= at) as unordered,
            (select count(*)::int from (select distinct on (order_id) kind from order_events order by order_id, id) f
              where kind <> 'created') as first_not_created,
            (select count(*)::int from order_events where at > ${`${ANCHOR}T00:00:00Z`}::timestamptz) as late,
            (select count(*)::int from orders o where o.status_changed_at <> (
              select max(e.at) from order_events e where e.order_id = o.id and e.kind in ('created', 'status_changed'))) as status_mismatch`,
    );
    expect(check).toEqual({ unordered: 0, first_not_created: 0, late: 0, status_mismatch: 0 });
  });

  it('opens tickets in the 20 days before the anchor, mostly still open', async () => {
    const [check] = await rows<{ min: Date | string; max: Date | string; open: number; total: number }>(
      a,
      sql`select min(opened_at) as min, max(opened_at) as max, count(*) filter (where status = 'open')::int as open, count(*)::int as total from tickets`,
    );
    expect(new Date(check!.max).getTime()).toBeLessThanOrEqual(ANCHOR_MS);
    expect(new Date(check!.min).getTime()).toBeGreaterThan(ANCHOR_MS - 21 * 86_400_000);
    expect(check!.open / check!.total).toBeGreaterThan(0.55);
  });

  it('creates the demo logins with a password that verifies', async () => {
    const staff = await rows<{ email: string; role: string; is_active: boolean; password_hash: string }>(
      a,
      sql`select email, role, is_active, password_hash from staff_users order by id`,
    );
    const byEmail = new Map(staff.map((s) => [s.email, s]));
    const logins = [
      ['agent@demo.test', 'agent'],
      ['agent2@demo.test', 'agent'],
      ['supervisor@demo.test', 'supervisor'],
      ['admin@demo.test', 'admin'],
    ] as const;
    for (const [email, role] of logins) expect(byEmail.get(email), email).toMatchObject({ role, is_active: true });
    const password = process.env.DEMO_PASSWORD ?? 'demo-password';
    const verified = await Promise.all([
      ...logins.map(([email]) => verifyPassword(byEmail.get(email)!.password_hash, password)),
      verifyPassword(byEmail.get('agent@demo.test')!.password_hash, 'wrong'),
    ]);
    expect(verified).toEqual([true, true, true, true, false]);
    expect(byEmail.get('former@demo.test')?.is_active).toBe(false);
  });

  it('stores evidence images that decode to the recorded size', async () => {
    const evidence = await rows<{
      storage_key: string;
      sha256: string;
      size_bytes: number;
      width: number;
      height: number;
      perceptual_hash: string;
      mime_type: string;
    }>(a, sql`select distinct storage_key, sha256, size_bytes, width, height, perceptual_hash, mime_type from evidence`);
    expect(evidence.length).toBe(12);
    for (const e of evidence.slice(0, 5)) {
      const bytes = await readEvidence(e.storage_key, evidenceDir);
      expect(bytes.length).toBe(e.size_bytes);
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual([e.width, e.height]);
      expect(e.mime_type).toBe('image/png');
      expect(e.perceptual_hash).toMatch(/^[0-9a-f]{16}$/);
    }
    const [none] = await rows<{ n: number }>(
      a,
      sql`select count(*)::int as n from tickets where id not in (select ticket_id from evidence)`,
    );
    expect(none!.n).toBeGreaterThan(3); // missing-evidence cases exist
  });

  it('fills findings for about half the tickets, with known and unknown values', async () => {
    const [check] = await rows<{ n: number; known: number; unknown: number }>(
      a,
      sql`select count(*)::int as n, count(*) filter (where company_fault is not null or target_public is not null)::int as known,
            count(*) filter (where company_fault is null)::int as unknown from ticket_findings`,
    );
    expect(check!.n / 60).toBeGreaterThan(0.3);
    expect(check!.n / 60).toBeLessThan(0.75);
    expect(check!.known).toBeGreaterThan(0);
    expect(check!.unknown).toBeGreaterThan(0);
  });

  it('writes one audit row for the run and leaves the id sequences past the seeded rows', async () => {
    const audit = await rows<{ action: string; after: { counts: { tickets: number } } }>(a, sql`select action, after from audit_events`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'seed.completed', after: { counts: { tickets: 60 } } });
    const [next] = await rows<{ id: number }>(
      a,
      sql`insert into customers (external_id, username, email) values ('new-1', 'new', 'new@example.com') returning id`,
    );
    expect(Number(next!.id)).toBe(result.counts.customers + 1);
    await a.db.execute(sql`delete from customers where external_id = 'new-1'`);
  });

  it('leaves nothing behind when a run fails', () => {
    expect(failedRun).toBe('boom');
    expect(leftAfterFailure).toEqual({ tickets: 0, customers: 0, services: 0, staff: 0, audit: 0 });
  });

  it('refuses to seed a database that has data', async () => {
    await expect(seedDatabase(a, options())).rejects.toBeInstanceOf(SeedRefusedError);
    const [row] = await rows<{ n: number }>(a, sql`select count(*)::int as n from tickets`);
    expect(row!.n).toBe(60);
  });
});

describe.runIf(isPostgres())('seedDatabase with a URL of another database', () => {
  it('writes through the handle rather than COPY into the wrong database', async () => {
    const db = await createTestDb();
    try {
      const lines: string[] = [];
      const other = process.env.DATABASE_URL!; // the server's base database, not the test one
      const seeded = await seedDatabase(db, {
        ...options({ tickets: 20, maxDistinctImages: 3 }),
        databaseUrl: other,
        log: (l) => lines.push(l),
      });
      expect(seeded.counts.tickets).toBe(20);
      const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from tickets`);
      expect(row!.n).toBe(20);
      expect(lines.some((l) => l.includes('INSERTs instead of COPY'))).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('seedDemo (npm run db:seed, the demo and the e2e server)', () => {
  it('adds the decision history of the resolved tickets, with its audit events, and leaves nobody unseen reviews', async () => {
    const db = await createTestDb();
    try {
      const seeded = await seedDemo(db, {
        ...options({ tickets: 60, maxDistinctImages: 6 }),
        annotate: (facts, { now }) => suggestFor(facts, now),
      });
      expect(seeded.decisions).toBeGreaterThan(0);
      const [row] = await rows<{ decisions: number; audited: number; unseen: number }>(
        db,
        sql`select (select count(*)::int from decisions) as decisions,
                   (select count(*)::int from audit_events where action like 'decision.%') as audited,
                   (select count(*)::int from staff_users where proposals_seen_at is null) as unseen`,
      );
      expect(row).toEqual({ decisions: seeded.decisions, audited: expect.any(Number), unseen: 0 });
      expect(row!.audited).toBeGreaterThanOrEqual(seeded.decisions);
    } finally {
      await db.close();
    }
  });
});

describe('EvidencePool', () => {
  it('never reuses an order or payment screenshot on another ticket: past the cap only profile screenshots are reused', async () => {
    const takenAt = new Date('2026-06-28T14:12:33Z');
    const profile = (id: number) => ({
      id,
      ticketId: id,
      originalName: 'a.png',
      uploadedBy: null,
      uploadedAt: takenAt,
      spec: {
        kind: 'profile' as const,
        platform: 'Instagram' as const,
        handle: `h${id}`,
        metric: 'followers',
        count: id,
        posts: 1,
        following: 1,
        takenAt,
        seed: id,
      },
    });
    const order = (id: number) => ({
      ...profile(id),
      spec: {
        kind: 'order' as const,
        orderNumber: String(1_000_000 + id),
        service: 'Instagram Followers',
        link: 'https://instagram.com/x',
        quantity: 1000,
        startCount: 10,
        remains: 0,
        charge: '1.00',
        status: 'Completed',
        takenAt,
        seed: id,
      },
    });
    const pool = new EvidencePool(2, 7, evidenceDir);
    const stored = await pool.resolve([profile(1), order(2), order(3), order(4), profile(5)]);
    const profiles = new Set([stored[0]!.sha256]);
    // Past the cap (2 images), the orders of tickets 3 and 4 get their own image or a profile one, never ticket 2's order.
    expect(stored[2]!.sha256).not.toBe(stored[1]!.sha256);
    expect(stored[3]!.sha256).not.toBe(stored[1]!.sha256);
    for (const row of stored.slice(2)) expect(profiles.has(row.sha256)).toBe(true);
  });
});

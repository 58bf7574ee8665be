/**
 * `npm run db:seed` as a user runs it, on a fresh PostgreSQL database: every ticket comes out with
 * the policy suggestion, the eligibility deadline where the policy has one, and its service level,
 * so the queue's sort, filters and Next ticket work on a seeded database (not only in the demo).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { isPostgres, setupTestDb } from '@/db/testing';

const handle = setupTestDb({ setDefault: false, when: isPostgres() });

describe.runIf(isPostgres())('npm run db:seed (PostgreSQL)', () => {
  it('stores each ticket’s suggestion, deadline and service level', async () => {
    const evidenceDir = await mkdtemp(path.join(tmpdir(), 'rd-seed-cmd-'));
    try {
      await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/seed.ts', '--tickets', '40', '--seed', '3'], {
        env: { ...process.env, DATABASE_URL: handle.url!, EVIDENCE_DIR: evidenceDir },
        timeout: 120_000,
      });
    } finally {
      await rm(evidenceDir, { recursive: true, force: true });
    }
    const [row] = await queryRows<{ n: number; suggested: number; deadlines: number; sla: number; open_on_clock: number; open: number }>(
      handle.db,
      sql`select count(*)::int as n,
        count(suggested_outcome)::int as suggested,
        count(eligibility_deadline)::int as deadlines,
        count(first_response_due_at)::int as sla,
        count(*) filter (where status = 'open' and sla_due_at is not null)::int as open_on_clock,
        count(*) filter (where status = 'open')::int as open
        from tickets`,
    );
    expect(row!.n).toBe(40);
    expect(row!.suggested).toBe(40);
    expect(row!.sla).toBe(40);
    expect(row!.deadlines).toBeGreaterThan(20);
    expect(row!.open_on_clock).toBe(row!.open);
    // The first staff reply among the seeded messages is stamped on the ticket (the trigger runs on COPY).
    const [replied] = await queryRows<{ wrong: number }>(
      handle.db,
      sql`select count(*)::int as wrong from tickets t where t.first_responded_at is distinct from
        (select min(m.created_at) from ticket_messages m where m.ticket_id = t.id and m.staff_id is not null and not m.is_internal)`,
    );
    expect(replied!.wrong).toBe(0);
  });
});

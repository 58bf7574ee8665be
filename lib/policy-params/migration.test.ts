import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { decisions, policyParamSets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { proposeDecision } from '@/lib/decisions';
import { creditTicket, newKey } from '@/lib/decisions/test-helpers';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';

const handle = setupTestDb();

/** The migration's backfill of `decisions.params_version`, as written in it. */
function backfillStatement(): string {
  const dir = join(process.cwd(), 'db/migrations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const statements = readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint');
    const found = statements.find((s) => s.includes('UPDATE "decisions"') && s.includes('"params_version"'));
    if (found) return found;
  }
  throw new Error('no migration backfills decisions.params_version');
}

describe('the migration that stores a decision’s parameter set version', () => {
  it('backfills each existing decision with the set that was in force when it was proposed', async () => {
    const agent = await createStaff(handle.db, { role: 'agent' });
    const admin = await createStaff(handle.db, { role: 'admin' });
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      const { ticket } = await creditTicket(handle.db);
      made.push(
        (await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() })).decision.id,
      );
    }
    const day = (n: number) => new Date(Date.UTC(2026, 5, n));
    // Two approved sets (in force from June 10 and June 20), a rejected one, and decisions around them.
    await handle.db.insert(policyParamSets).values([
      { version: 2, name: 'a', params: {}, effectiveAt: day(10), state: 'approved', inForceFrom: day(10), proposedBy: admin.id },
      { version: 3, name: 'b', params: {}, effectiveAt: day(20), state: 'approved', inForceFrom: day(20), proposedBy: admin.id },
      { version: 4, name: 'c', params: {}, effectiveAt: day(15), state: 'rejected', proposedBy: admin.id },
    ]);
    const times = [day(5), day(16), day(25)];
    for (const [i, id] of made.entries()) {
      await handle.db.update(decisions).set({ createdAt: times[i]!, paramsVersion: 1 }).where(eq(decisions.id, id));
    }
    await handle.db.execute(sql.raw(backfillStatement()));
    const rows = await handle.db.select({ id: decisions.id, v: decisions.paramsVersion }).from(decisions);
    const byId = new Map(rows.map((r) => [r.id, r.v]));
    expect(made.map((id) => byId.get(id))).toEqual([1, 2, 3]);
  });
});

import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { policyParamSets, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createBareTicket } from '@/lib/tickets/test-factories';
import { currentPolicyParams } from './index';
import { RECOMPUTE_BATCH, runDueRecompute } from './recompute';
import { getParamSet, proposeParamSet, reviewParamSet } from './sets';

const handle = setupTestDb();

let windowDays = 10;
/** Proposes and approves a set (a new review window each time), effective at `effectiveAt`. */
async function approvedSet(effectiveAt: Date) {
  const [a, b] = [await createStaff(handle.db, { role: 'admin' }), await createStaff(handle.db, { role: 'admin' })];
  const inForce = await currentPolicyParams();
  windowDays += 1;
  const { version } = await proposeParamSet(ctxFor(a), {
    name: `Review window ${windowDays}`,
    effectiveAt: effectiveAt.toISOString(),
    claimWindowDays: windowDays,
    minorVariancePercent: inForce.minorVariancePercent,
    serialRefundRequests: inForce.serialRefundRequests,
    approvalThreshold: inForce.approvalThreshold,
  });
  await reviewParamSet(ctxFor(b), { setId: version, approve: true });
  const { set } = await getParamSet(ctxFor(a), { setId: version });
  return { version, set, admin: a };
}

const setRow = async (version: number) => (await handle.db.select().from(policyParamSets).where(eq(policyParamSets.version, version)))[0]!;

/** The open tickets and the parameter set version their stored suggestion was computed with. */
const openVersions = async () =>
  (
    await handle.db
      .select({ v: tickets.suggestionParamsVersion })
      .from(tickets)
      .where(sql`${tickets.status} <> 'resolved'`)
  ).map((r) => r.v);

describe('the worker’s recompute of open tickets when a parameter set comes into force', () => {
  it('waits for the effective time, then runs exactly once however many workers look', async () => {
    for (let i = 0; i < RECOMPUTE_BATCH + 5; i += 1) await createBareTicket(handle.db);
    const { version, set } = await approvedSet(new Date(Date.now() + 3_600_000));
    // Approved, not yet in force: nothing is due, and the approval started nothing.
    expect(await runDueRecompute(handle.db)).toBeNull();
    expect(await setRow(version)).toMatchObject({ recomputeState: 'waiting', recomputeTotal: null });
    expect(set.recomputeState).toBe('waiting');

    // Its effective time comes (moved, rather than waited for).
    await handle.db
      .update(policyParamSets)
      .set({ inForceFrom: new Date(Date.now() - 1000), effectiveAt: new Date(Date.now() - 1000) })
      .where(eq(policyParamSets.version, version));
    const runs = await Promise.all(['w1', 'w2', 'w3'].map((workerId) => runDueRecompute(handle.db, { workerId })));
    const ran = runs.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    const open = (await openVersions()).length;
    expect(ran[0]).toMatchObject({ version, outcome: 'done', total: open, recomputed: open, superseded: [] });
    expect(await openVersions()).toEqual(Array.from({ length: open }, () => version));
    expect(await setRow(version)).toMatchObject({
      recomputeState: 'done',
      recomputeDone: open,
      recomputeTotal: open,
      recomputeClaimedBy: null,
      recomputeFinishedAt: expect.any(Date),
    });
    // Done is done: no later look runs it again.
    expect(await runDueRecompute(handle.db, { workerId: 'w4' })).toBeNull();
  });

  it('a stopping worker hands over after a batch, a dead one after its lease; the next resumes after the cursor', async () => {
    const { version } = await approvedSet(new Date());
    const open = (await openVersions()).length;
    expect(open).toBeGreaterThan(RECOMPUTE_BATCH);

    const first = await runDueRecompute(handle.db, { workerId: 'stopping', shouldStop: () => true });
    expect(first).toMatchObject({ version, outcome: 'stopped', recomputed: RECOMPUTE_BATCH });
    expect(await setRow(version)).toMatchObject({
      recomputeState: 'running',
      recomputeDone: RECOMPUTE_BATCH,
      recomputeClaimedBy: 'stopping',
    });

    // A worker that died mid-way: its claim holds until its lease runs out.
    await handle.db
      .update(policyParamSets)
      .set({ recomputeClaimedBy: 'dead', recomputeLeaseUntil: new Date(Date.now() + 60_000) })
      .where(eq(policyParamSets.version, version));
    expect(await runDueRecompute(handle.db, { workerId: 'next' })).toBeNull();
    const later = new Date(Date.now() + 120_000);
    const second = await runDueRecompute(handle.db, { workerId: 'next', now: later });
    expect(second).toMatchObject({ version, outcome: 'done', recomputed: open - RECOMPUTE_BATCH });
    expect(await setRow(version)).toMatchObject({ recomputeState: 'done', recomputeDone: open, recomputeTotal: open });
    expect(new Set(await openVersions())).toEqual(new Set([version]));
  });

  it('a newer set in force supersedes an older one not yet recomputed; the newest is recomputed once', async () => {
    const older = await approvedSet(new Date());
    const newer = await approvedSet(new Date());
    const run = await runDueRecompute(handle.db);
    expect(run).toMatchObject({ version: newer.version, outcome: 'done', superseded: [older.version] });
    const rows = await handle.db
      .select({ version: policyParamSets.version, state: policyParamSets.recomputeState })
      .from(policyParamSets)
      .where(inArray(policyParamSets.version, [older.version, newer.version]));
    expect(Object.fromEntries(rows.map((r) => [r.version, r.state]))).toEqual({ [older.version]: 'superseded', [newer.version]: 'done' });
    expect(await runDueRecompute(handle.db)).toBeNull();
  });
});

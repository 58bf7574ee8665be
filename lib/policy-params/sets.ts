/**
 * Versioned policy parameter sets: proposed by one admin with a name and an effective time,
 * approved by another (lib/command `reviewStep`: nobody approves their own), in force from the
 * effective time (or the approval, if later). The proposal stores a replay of the last 30 days under
 * the new set. Once a set is in force, the worker recomputes open tickets' stored suggestions
 * (./recompute.ts): neither the approval nor a page visit starts it.
 */
import { alias } from 'drizzle-orm/pg-core';
import { desc, eq, max, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { policyParamSets, staffUsers, type PolicyParamSet } from '@/db/schema';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { record } from '@/lib/audit';
import { reviewStep } from '@/lib/command';
import { AppError } from '@/lib/errors';
import { DEFAULT_POLICY_PARAMS, type PolicyParams } from '@/lib/policy/params';
import { parseInput } from '@/lib/validation/parse';
import { formatThresholds, paramSetIdSchema, proposeParamSetSchema, reviewParamSetSchema } from '@/lib/validation/policy-params';
import { BUILT_IN_NAME, BUILT_IN_VERSION, currentPolicyParams, paramsOfSet, paramsSetVersion } from './index';
import { replayParams, type Replay } from './replay';

/** The figures an admin sets, in the order the pages show them. */
export const PARAM_FIELDS = [
  {
    key: 'claimWindowDays',
    label: 'Review window',
    unit: 'days',
    hint: 'Days after the order’s status change (or the payment) to open a ticket.',
  },
  {
    key: 'minorVariancePercent',
    label: 'Minor variance',
    unit: '%',
    hint: 'A shortfall up to this share of the quantity is a minor variance.',
  },
  {
    key: 'serialRefundRequests',
    label: 'Serial refund requests',
    unit: 'in the window',
    hint: 'This many refund requests within the refund-request window is serial refund behaviour.',
  },
  {
    key: 'refundRequestWindowDays',
    label: 'Refund-request window',
    unit: 'days',
    hint: 'The customer’s other tickets opened this many days before a ticket count as its refund requests (90 in the policy).',
  },
  {
    key: 'approvalThreshold',
    label: 'Approval threshold',
    unit: 'other currencies',
    hint: 'A balance credit above this needs a supervisor; a manual credit above it, a second admin. For every currency not listed below.',
  },
  {
    key: 'approvalThresholds',
    label: 'Thresholds per currency',
    unit: 'e.g. EUR 45.00, GBP 40.00',
    hint: 'A currency’s own approval threshold, instead of the one above. Blank: every currency uses the one above.',
  },
] as const satisfies readonly { key: keyof PolicyParams; label: string; unit: string; hint: string }[];

export type ParamKey = (typeof PARAM_FIELDS)[number]['key'];

/** One figure of a set as the pages and the differences show it. */
export function formatParam(params: PolicyParams, key: ParamKey): string {
  if (key === 'approvalThresholds') return formatThresholds(params.approvalThresholds) || 'none';
  return String(params[key]);
}

/** One figure as the proposal form's field holds it (blank for no per-currency thresholds). */
export const formFieldValue = (params: PolicyParams, key: ParamKey): string =>
  key === 'approvalThresholds' ? formatThresholds(params.approvalThresholds) : String(params[key]);

export interface ParamDifference {
  key: ParamKey;
  label: string;
  before: string;
  after: string;
}

/** The figures that differ between two sets. */
export function diffParams(before: PolicyParams, after: PolicyParams): ParamDifference[] {
  return PARAM_FIELDS.filter((f) => formatParam(before, f.key) !== formatParam(after, f.key)).map((f) => ({
    key: f.key,
    label: f.label,
    before: formatParam(before, f.key),
    after: formatParam(after, f.key),
  }));
}

const proposer = alias(staffUsers, 'proposer');
const reviewer = alias(staffUsers, 'reviewer');

const SET_COLUMNS = {
  set: policyParamSets,
  proposedByName: proposer.name,
  proposedByEmail: proposer.email,
  reviewedByName: reviewer.name,
};

export type ParamSetView = Omit<PolicyParamSet, 'replay' | 'params'> & {
  params: PolicyParams;
  replay: Replay | null;
  proposedByName: string | null;
  reviewedByName: string | null;
  isBuiltIn: boolean;
  isInForce: boolean;
};

function view(
  row: { set: PolicyParamSet; proposedByName: string | null; reviewedByName: string | null },
  inForceVersion: number,
): ParamSetView {
  return {
    ...row.set,
    params: paramsOfSet(row.set),
    replay: row.set.replay as Replay | null,
    proposedByName: row.proposedByName,
    reviewedByName: row.reviewedByName,
    isBuiltIn: false,
    isInForce: row.set.version === inForceVersion,
  };
}

/** Version 1, which ships with the code, as a row of the history. */
function builtIn(inForceVersion: number): ParamSetView {
  const epoch = new Date(0);
  return {
    id: 0,
    version: BUILT_IN_VERSION,
    name: BUILT_IN_NAME,
    params: DEFAULT_POLICY_PARAMS,
    effectiveAt: epoch,
    state: 'approved',
    proposedBy: 0,
    createdAt: epoch,
    reviewedBy: null,
    reviewedAt: null,
    rejectReason: null,
    inForceFrom: epoch,
    replay: null,
    recomputeState: 'done',
    recomputeClaimedBy: null,
    recomputeLeaseUntil: null,
    recomputeCursor: null,
    recomputeTotal: null,
    recomputeDone: null,
    recomputeStartedAt: null,
    recomputeFinishedAt: null,
    proposedByName: null,
    reviewedByName: null,
    isBuiltIn: true,
    isInForce: inForceVersion === BUILT_IN_VERSION,
  };
}

/** The history of sets, newest first, with who proposed and who approved each, and which is in force. */
export async function listParamSets(ctx: Ctx) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'policy.manage');
  const inForce = await currentPolicyParams(db);
  const inForceVersion = paramsSetVersion(inForce) ?? BUILT_IN_VERSION;
  const rows = await db
    .select(SET_COLUMNS)
    .from(policyParamSets)
    .innerJoin(proposer, eq(proposer.id, policyParamSets.proposedBy))
    .leftJoin(reviewer, eq(reviewer.id, policyParamSets.reviewedBy))
    .orderBy(desc(policyParamSets.version));
  return { sets: [...rows.map((r) => view(r, inForceVersion)), builtIn(inForceVersion)], inForce, inForceVersion };
}

/** One set by version, with the set in force beside it for the differences. */
export async function getParamSet(ctx: Ctx, input: unknown) {
  const { setId: version } = parseInput(paramSetIdSchema, input);
  const db = await getDb();
  const actor = await authorizeStaff(db, ctx, 'policy.manage');
  const inForce = await currentPolicyParams(db);
  const inForceVersion = paramsSetVersion(inForce) ?? BUILT_IN_VERSION;
  if (version === BUILT_IN_VERSION) return { set: builtIn(inForceVersion), inForce, inForceVersion, actorId: actor.id };
  const [row] = await db
    .select(SET_COLUMNS)
    .from(policyParamSets)
    .innerJoin(proposer, eq(proposer.id, policyParamSets.proposedBy))
    .leftJoin(reviewer, eq(reviewer.id, policyParamSets.reviewedBy))
    .where(eq(policyParamSets.version, version));
  if (!row) throw new AppError('not_found', `There is no parameter set v${version}.`);
  return { set: view(row, inForceVersion), inForce, inForceVersion, actorId: actor.id };
}

/**
 * Proposes a new set: it waits for a second admin and never takes effect before. The replay of the
 * last 30 days against the set in force now is computed here and stored with it.
 */
export async function proposeParamSet(ctx: Ctx, input: unknown) {
  const { name, effectiveAt, ...figures } = parseInput(proposeParamSetSchema, input);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'policy.manage');
  const inForce = await currentPolicyParams(db);
  // Figures left out (the window, the per-currency thresholds) stay as in force.
  const params: PolicyParams = {
    ...inForce,
    ...Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)),
    version: inForce.version,
  };
  if (diffParams(inForce, params).length === 0)
    throw new AppError('invalid', 'These are the figures in force already; change at least one.');
  const replay = await replayParams(db, inForce, params);
  const created = await db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'policy.manage');
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('policy_param_sets:version', 0))`);
    const [top] = await tx.select({ version: max(policyParamSets.version) }).from(policyParamSets);
    const version = Math.max(top?.version ?? BUILT_IN_VERSION, BUILT_IN_VERSION) + 1;
    const [set] = await tx.insert(policyParamSets).values({ version, name, params, effectiveAt, proposedBy: actor.id, replay }).returning();
    await record(tx, {
      actor: auditActor(actor),
      action: 'policy_params.proposed',
      entityType: 'policy_param_set',
      entityId: version,
      before: { version: paramsSetVersion(inForce), params: inForce },
      after: { version, name, params, effectiveAt: effectiveAt.toISOString(), state: 'awaiting_approval' },
      origin: ctx.origin,
    });
    return set!;
  });
  return { version: created.version, name: created.name, replay };
}

/**
 * A second admin approves (or either admin rejects) a proposed set. Approval puts it in force from
 * its effective time (or now, if that has passed); the worker recomputes open tickets from then.
 */
export async function reviewParamSet(ctx: Ctx, input: unknown) {
  const { setId: version, approve, reason } = parseInput(reviewParamSetSchema, input);
  if (!approve && !reason)
    throw new AppError('invalid', 'reason: Say why the set is rejected.', { reason: ['Say why the set is rejected.'] });
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'policy.manage');
    const [set] = await tx.select().from(policyParamSets).where(eq(policyParamSets.version, version)).for('update');
    if (!set) throw new AppError('not_found', `There is no parameter set v${version} awaiting approval.`);
    const step = reviewStep(
      { state: set.state === 'approved' ? 'executed' : set.state, requestedBy: set.proposedBy, reviewedBy: set.reviewedBy },
      { actorId: actor.id, approve },
      { ownMayReject: true, replaysSameVerdict: true },
    );
    if (step === 'replay') return set;
    if (step === 'already_decided') throw new AppError('conflict', `Parameter set v${version} was already ${set.state}.`);
    if (step === 'own_request') throw new AppError('forbidden', 'You proposed this set; a second admin must approve it.');
    const now = new Date();
    const inForceFrom = approve ? new Date(Math.max(set.effectiveAt.getTime(), now.getTime())) : null;
    const [after] = await tx
      .update(policyParamSets)
      .set({ state: approve ? 'approved' : 'rejected', reviewedBy: actor.id, reviewedAt: now, rejectReason: reason ?? null, inForceFrom })
      .where(eq(policyParamSets.id, set.id))
      .returning();
    await record(tx, {
      actor: auditActor(actor),
      action: approve ? 'policy_params.approved' : 'policy_params.rejected',
      entityType: 'policy_param_set',
      entityId: version,
      before: { state: set.state },
      after: { state: after!.state, inForceFrom: inForceFrom?.toISOString() ?? null },
      reason: reason ?? null,
      origin: ctx.origin,
    });
    return after!;
  });
  return { version: result.version, state: result.state, inForceFrom: result.inForceFrom };
}

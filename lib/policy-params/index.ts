/**
 * The policy parameters in force (approval threshold, claim window, …): the one place the project
 * reads them. Every policy check, approval rule and label that names a figure takes them as an
 * argument from here. They are versioned sets (`policy_param_sets`, ./sets.ts): version 1 is the
 * built-in defaults of policy `2026-06-10`; a later set is in force from its effective time once a
 * second admin has approved it. Server-only (reads the database).
 */
import { and, desc, eq, lte } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db';
import { policyParamSets } from '@/db/schema';
import { DEFAULT_POLICY_PARAMS, policyParamsSchema, type PolicyParams } from '@/lib/policy/params';

export type { PolicyParams };

/** The version number of the built-in defaults (no row: they ship with the code). */
export const BUILT_IN_VERSION = 1;
export const BUILT_IN_NAME = `Built-in defaults of policy ${DEFAULT_POLICY_PARAMS.version}`;

/** Which set a parameter object came from: its version number. */
const versionOf = new WeakMap<PolicyParams, number>([[DEFAULT_POLICY_PARAMS, BUILT_IN_VERSION]]);
/** One frozen object per stored version, so it is checked once and compared by identity. */
const byVersion = new Map<number, PolicyParams>([[BUILT_IN_VERSION, DEFAULT_POLICY_PARAMS]]);

/** The parameters of a stored set (checked by the policy's own schema). */
export function paramsOfSet(row: { version: number; params: unknown }): PolicyParams {
  const known = byVersion.get(row.version);
  if (known) return known;
  const params: PolicyParams = Object.freeze(policyParamsSchema.parse(row.params));
  versionOf.set(params, row.version);
  byVersion.set(row.version, params);
  return params;
}

/** The version number of the set `params` came from (1 for the defaults), or null for an object made elsewhere. */
export const paramsSetVersion = (params: PolicyParams): number | null => versionOf.get(params) ?? null;

/** The approved set in force at `at` (its row), or undefined while the built-in defaults are. */
async function setInForce(db: Db | Tx, at: Date) {
  const [row] = await db
    .select({ version: policyParamSets.version, params: policyParamSets.params })
    .from(policyParamSets)
    .where(and(eq(policyParamSets.state, 'approved'), lte(policyParamSets.inForceFrom, at)))
    .orderBy(desc(policyParamSets.inForceFrom), desc(policyParamSets.version))
    .limit(1);
  return row;
}

/**
 * The parameters in force, read through `db` (the caller's transaction, so a check and the rules
 * applied after it see the same figures; pages without one omit it). One indexed read, no cache:
 * a new set counts from its effective time on every instance.
 */
export async function currentPolicyParams(db?: Db | Tx, at: Date = new Date()): Promise<PolicyParams> {
  const row = await setInForce(db ?? (await getDb()), at);
  return row ? paramsOfSet(row) : DEFAULT_POLICY_PARAMS;
}

/** The version number of the set that was in force at `at` (a decision's time: the version it was made under). */
export async function paramsVersionAt(db: Db | Tx, at: Date): Promise<number> {
  return (await setInForce(db, at))?.version ?? BUILT_IN_VERSION;
}

/**
 * The parameters for code that runs without a database to read them from: the demo, e2e and
 * benchmark seeds' `annotate` hooks. The built-in defaults (version 1).
 */
export function bootstrapPolicyParams(): PolicyParams {
  return DEFAULT_POLICY_PARAMS;
}

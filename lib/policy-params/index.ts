/**
 * The policy parameters in force (approval threshold, claim window, …): the one place the project
 * reads them. Every policy check, approval rule and label that names a figure takes them as an
 * argument from here. Today they are the defaults of policy `2026-06-10`; when they become versioned
 * data, only this module reads the table.
 */
import type { Db, Tx } from '@/db';
import { DEFAULT_POLICY_PARAMS, type PolicyParams } from '@/lib/policy/params';

export type { PolicyParams };

/**
 * The parameters in force, read through `db` (the caller's transaction, so a check and the rules
 * applied after it see the same figures; pages without one omit it).
 */
export async function currentPolicyParams(db?: Db | Tx): Promise<PolicyParams> {
  // Today the defaults of the policy version; versioned parameters are read here through `db ?? getDb()`.
  void db;
  return DEFAULT_POLICY_PARAMS;
}

/**
 * The parameters for code that runs without a database to read them from: the demo, e2e and
 * benchmark seeds' `annotate` hooks, and the approval labels of client components that are not yet
 * given the threshold in force. The same figures as `currentPolicyParams` today. Pure: safe in the
 * browser bundle (the `@/db` import above is types only).
 */
export function bootstrapPolicyParams(): PolicyParams {
  return DEFAULT_POLICY_PARAMS;
}

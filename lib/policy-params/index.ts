/**
 * The policy parameters in force (approval threshold, claim window, …): the one place the project
 * reads them. Every policy check, approval rule and label that names a figure takes them as an
 * argument from here. They are versioned sets (`policy_param_sets`, ./sets.ts): version 1 is the
 * built-in defaults of policy `2026-06-10`; a later set is in force from its effective time once a
 * second admin has approved it. Server-only (reads the database).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { cache } from 'react';
import { getDb, queryRows, type Db, type Tx } from '@/db';
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

/** The parameters of set `version` (1: the built-in defaults), e.g. a decision's; null when there is no such set. */
export async function paramsOfVersion(db: Db | Tx | undefined, version: number): Promise<PolicyParams | null> {
  const known = byVersion.get(version);
  if (known) return known;
  const [row] = await (db ?? (await getDb()))
    .select({ version: policyParamSets.version, params: policyParamSets.params })
    .from(policyParamSets)
    .where(eq(policyParamSets.version, version));
  return row ? paramsOfSet(row) : null;
}

/** The version number of the set `params` came from (1 for the defaults), or null for an object made elsewhere. */
export const paramsSetVersion = (params: PolicyParams): number | null => versionOf.get(params) ?? null;

/**
 * The set in force at `at` as one JSON value `{ version, params }` (null while the built-in defaults
 * are), for a caller that reads it within a statement of its own; `paramsOfInForce` turns it into
 * the parameters, as `currentPolicyParams` returns them.
 */
export function paramsInForceJson(at: Date): SQL {
  return sql`(select json_build_object('version', s.version, 'params', s.params) from policy_param_sets s
    where s.state = 'approved' and s.in_force_from <= ${at.toISOString()}::timestamptz
    order by s.in_force_from desc, s.version desc limit 1)`;
}

/** The parameters of `paramsInForceJson`'s value. */
export function paramsOfInForce(row: { version: number; params: unknown } | null): PolicyParams {
  return row ? paramsOfSet(row) : DEFAULT_POLICY_PARAMS;
}

/**
 * The parameters in force, read through `db` (the caller's transaction, so a check and the rules
 * applied after it see the same figures; pages without one omit it). One indexed read, no cache:
 * a new set counts from its effective time on every instance.
 */
export async function currentPolicyParams(db?: Db | Tx, at: Date = new Date()): Promise<PolicyParams> {
  const [row] = await queryRows<{ in_force: { version: number; params: unknown } | null }>(
    db ?? (await getDb()),
    sql`select ${paramsInForceJson(at)} as in_force`,
  );
  return paramsOfInForce(row?.in_force ?? null);
}

/**
 * `currentPolicyParams(db)` read once per page render and handle (React `cache`, as the session's
 * user is): the ticket page's detail and decision bar, read in parallel, share the one read.
 * Outside a render nothing is shared. For pages' reads; a command reads them in its transaction.
 */
export const policyParamsOfRender = cache((db: Db) => currentPolicyParams(db));

/**
 * The parameters for code that runs without a database to read them from: the demo, e2e and
 * benchmark seeds' `annotate` hooks. The built-in defaults (version 1).
 */
export function bootstrapPolicyParams(): PolicyParams {
  return DEFAULT_POLICY_PARAMS;
}

/**
 * The desk's own limits on who may move money alone (four-eyes against split credits). Not part of
 * the customer-facing policy document, but parameters of the same kind: read through
 * `currentCreditLimits(tx)` inside the command's transaction, never as constants in callers.
 */
export interface CreditLimits {
  /** The rolling window over which one person's credits are added up, in hours. */
  readonly windowHours: number;
  /**
   * Manual credits: what one admin may credit one customer within the window without a second
   * admin (the approval threshold by default: five credits of 50.00 are one credit of 250.00).
   */
  readonly manualPerCustomer: string;
  /** Manual credits: what one admin may credit all customers together within the window without a second admin. */
  readonly manualPerAdminTotal: string;
  /** Decisions: the balance credits one person's executed decisions may add up to within the window; above it, a supervisor approves. */
  readonly decisionDailyPerPerson: string;
}

const DECIMAL = /^\d{1,12}(?:\.\d{1,2})?$/;

/** A decimal from the environment, or the default (a malformed value is refused loudly, once read). */
function decimalFromEnv(name: string, fallback: string): string {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!DECIMAL.test(raw)) throw new TypeError(`${name} must be an amount such as 200.00; it is "${raw}".`);
  const [whole, cents = ''] = raw.split('.');
  return `${BigInt(whole!)}.${cents.padEnd(2, '0')}`;
}

function hoursFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 24 * 366)
    throw new TypeError(`${name} must be a whole number of hours from 1 to 8784; it is "${raw}".`);
  return n;
}

/**
 * The credit limits in force: defaults, each overridable by an environment variable
 * (`CREDIT_LIMIT_WINDOW_HOURS` 24, `MANUAL_CREDIT_PER_CUSTOMER_LIMIT` = the approval threshold,
 * `MANUAL_CREDIT_PER_ADMIN_LIMIT` 200.00, `DECISION_CREDIT_DAILY_LIMIT` 150.00).
 */
export async function currentCreditLimits(db?: Db | Tx): Promise<CreditLimits> {
  return creditLimitsOf(await currentPolicyParams(db));
}

/** `currentCreditLimits` for a caller that has already read the parameters in force (`params`). */
export function creditLimitsOf(params: PolicyParams): CreditLimits {
  return {
    windowHours: hoursFromEnv('CREDIT_LIMIT_WINDOW_HOURS', 24),
    manualPerCustomer: decimalFromEnv('MANUAL_CREDIT_PER_CUSTOMER_LIMIT', params.approvalThreshold),
    manualPerAdminTotal: decimalFromEnv('MANUAL_CREDIT_PER_ADMIN_LIMIT', '200.00'),
    decisionDailyPerPerson: decimalFromEnv('DECISION_CREDIT_DAILY_LIMIT', '150.00'),
  };
}

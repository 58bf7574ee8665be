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
  const params = await currentPolicyParams(db);
  return {
    windowHours: hoursFromEnv('CREDIT_LIMIT_WINDOW_HOURS', 24),
    manualPerCustomer: decimalFromEnv('MANUAL_CREDIT_PER_CUSTOMER_LIMIT', params.approvalThreshold),
    manualPerAdminTotal: decimalFromEnv('MANUAL_CREDIT_PER_ADMIN_LIMIT', '200.00'),
    decisionDailyPerPerson: decimalFromEnv('DECISION_CREDIT_DAILY_LIMIT', '150.00'),
  };
}

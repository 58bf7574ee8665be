/** What the intake's core functions share: the transaction with its caller, and panel-id lookups. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { eq } from 'drizzle-orm';
import { getDb, pgError, type Tx } from '@/db';
import { customers, payments } from '@/db/schema';
import { auditActor, authorize, type Actor, type Ctx } from '@/lib/auth/actor';
import type { Permission } from '@/lib/auth/permissions';
import type { AuditActor } from '@/lib/audit';
import { retryOnDeadlock } from '@/lib/command';
import { AppError } from '@/lib/errors';

export interface IntakeTx {
  tx: Tx;
  actor: Actor;
  audit: AuditActor;
}

/** The transaction of the request being answered (`requestTransaction`), which intake work joins. */
const requestTx = new AsyncLocalStorage<Tx>();

/**
 * Runs `work` in one transaction, run again after a deadlock or serialization failure, and after a
 * unique violation: a parallel request inserted the same panel id first, and the next run finds it
 * and updates it. Inside `work`, `intakeTransaction` joins this transaction instead of opening its
 * own: the route wrapper runs an Idempotency-Key's claim, the work and the stored answer as one
 * transaction (one commit). Whatever runs inside must not open a transaction of its own on the
 * pool (it would hold two connections at once).
 */
export async function requestTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await retryOnDeadlock(() => db.transaction((tx) => requestTx.run(tx, () => work(tx))));
    } catch (error) {
      if (pgError(error)?.code !== '23505' || attempt >= 3) throw error;
    }
  }
}

/**
 * Runs `work` in one transaction that begins by re-reading the caller and checking `permission`
 * (the request's own transaction when there is one, see `requestTransaction`, which then retries).
 */
export async function intakeTransaction<T>(ctx: Ctx, permission: Permission, work: (t: IntakeTx) => Promise<T>): Promise<T> {
  const run = async (tx: Tx) => {
    const actor = await authorize(tx, ctx, permission);
    return work({ tx, actor, audit: auditActor(actor) });
  };
  const joined = requestTx.getStore();
  return joined ? run(joined) : requestTransaction(run);
}

/** A 422 naming one field. */
export const fieldError = (field: string, message: string) => new AppError('invalid', `${field}: ${message}`, { [field]: [message] });

/** The 422 for a panel user id the desk does not know. */
export const unknownCustomer = (externalId: string, field = 'customer') =>
  fieldError(field, `There is no customer with user id "${externalId}": send it to POST /api/v1/customers first.`);

/** The 422 for a panel service id the desk does not know. */
export const unknownService = (externalId: string, field = 'service') =>
  fieldError(field, `There is no service with id "${externalId}": send it to POST /api/v1/services first.`);

/** The desk's id of the customer with this panel user id, or a 422 naming `field`. */
export async function customerIdOf(tx: Tx, externalId: string, field = 'customer'): Promise<number> {
  const [row] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId));
  if (!row) throw unknownCustomer(externalId, field);
  return row.id;
}

/** The desk's id of the payment with this panel id, or a 422 naming `field`. */
export async function paymentIdOf(tx: Tx, externalId: string, field = 'payment'): Promise<number> {
  const [row] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.externalId, externalId));
  if (!row) throw fieldError(field, `There is no payment with id "${externalId}": send it to POST /api/v1/payments first.`);
  return row.id;
}

/** `{ a, b }` of `row` whose values differ from `before` (for the audit row's after). */
export function changedFields<T extends Record<string, unknown>>(before: Record<string, unknown> | null, after: T): Partial<T> {
  if (!before) return after;
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(after) as [keyof T, T[keyof T]][]) {
    const b = before[k as string];
    const same = b instanceof Date && v instanceof Date ? b.getTime() === v.getTime() : b === v;
    if (!same) out[k] = v;
  }
  return out;
}

/** The panel's service catalogue and its customers, upserted by their panel ids. */
import { eq } from 'drizzle-orm';
import { customers, services } from '@/db/schema';
import { record } from '@/lib/audit';
import type { Ctx } from '@/lib/auth/actor';
import { parseInput } from '@/lib/validation/parse';
import { changedFields, intakeTransaction } from './common';
import { customerInputSchema, serviceInputSchema } from './schemas';

export interface UpsertResult {
  /** The panel's id. */
  id: string;
  /** True: new at the desk; false: an existing one updated (or unchanged). */
  created: boolean;
}

const INT_MAX = 2_147_483_647;

/** `POST /api/v1/services`: one service, upserted by its panel id; audited `service.imported`. */
export async function upsertService(ctx: Ctx, input: unknown): Promise<UpsertResult> {
  const s = parseInput(serviceInputSchema, input);
  const values = {
    externalId: s.id,
    name: s.name,
    category: s.category,
    platform: (s.platform ?? s.category.split(/\s+/)[0] ?? 'other').toLowerCase().slice(0, 100),
    ratePer1000: s.rate,
    currency: s.currency,
    minQuantity: s.min ?? 1,
    maxQuantity: s.max ?? INT_MAX,
    // null: no refill; 0: lifetime; n: days after completion.
    refillDays: s.refill ? (s.refillDays ?? 0) : null,
    isCancelAllowed: s.cancel,
  };
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    const [before] = await tx.select().from(services).where(eq(services.externalId, s.id)).for('update');
    // A new one is inserted plainly: a parallel insert of the same id fails and runs again as an update.
    const [row] = before
      ? await tx.update(services).set(values).where(eq(services.id, before.id)).returning({ id: services.id })
      : await tx.insert(services).values(values).returning({ id: services.id });
    const after = changedFields(before ?? null, { ...values, externalId: undefined });
    delete after.externalId;
    if (!before || Object.keys(after).length) {
      await record(tx, {
        actor: audit,
        action: 'service.imported',
        entityType: 'service',
        entityId: row!.id,
        before: before ? Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])) : null,
        after: { externalId: s.id, ...after },
        origin: ctx.origin,
      });
    }
    return { id: s.id, created: !before };
  });
}

/** `POST /api/v1/customers`: one panel user, upserted by its user id; audited `customer.imported`. */
export async function upsertCustomer(ctx: Ctx, input: unknown): Promise<UpsertResult> {
  const c = parseInput(customerInputSchema, input);
  const values = {
    externalId: c.id,
    username: c.username,
    email: c.email,
    ...(c.currency !== undefined && { currency: c.currency }),
    ...(c.isReseller !== undefined && { isReseller: c.isReseller }),
    ...(c.createdAt !== undefined && { createdAt: new Date(c.createdAt) }),
  };
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    const [before] = await tx.select().from(customers).where(eq(customers.externalId, c.id)).for('update');
    const [row] = before
      ? await tx.update(customers).set(values).where(eq(customers.id, before.id)).returning({ id: customers.id })
      : await tx.insert(customers).values(values).returning({ id: customers.id });
    const after = changedFields(before ?? null, { ...values, externalId: undefined });
    delete after.externalId;
    if (!before || Object.keys(after).length) {
      await record(tx, {
        actor: audit,
        action: 'customer.imported',
        entityType: 'customer',
        entityId: row!.id,
        before: before ? Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])) : null,
        after: { externalId: c.id, ...after },
        origin: ctx.origin,
      });
    }
    return { id: c.id, created: !before };
  });
}

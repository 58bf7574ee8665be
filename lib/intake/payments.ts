/** The panel's payments (top-ups) and their later changes: credited, duplicate, dispute, chargeback. */
import { and, eq, ne, or } from 'drizzle-orm';
import type { Tx } from '@/db';
import { customers, payments, tickets, type Payment } from '@/db/schema';
import { record } from '@/lib/audit';
import type { Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { parseInput } from '@/lib/validation/parse';
import { customerIdOf, fieldError, intakeTransaction, paymentIdOf } from './common';
import type { UpsertResult } from './catalog';
import { paymentsBodySchema, type PaymentChange, type PaymentInput } from './schemas';

export interface PaymentResult extends UpsertResult {
  /** What was applied: `payment` (the payment itself) or the change. */
  kind: PaymentInput['kind'] | PaymentChange['kind'];
}

const facts = (p: Payment) => ({
  customerId: p.customerId,
  method: p.method,
  processor: p.processor,
  transactionId: p.transactionId,
  amount: p.amount,
  currency: p.currency,
  paidAt: p.paidAt,
  isCredited: p.isCredited,
  duplicateOf: p.duplicateOf,
  isOvercharged: p.isOvercharged,
  processorAllowsRefund: p.processorAllowsRefund,
  isBalanceSpent: p.isBalanceSpent,
});

/** Re-checks every ticket whose suggestion reads this payment (or, with `customerId`, all the customer's open tickets). */
async function refreshTickets(tx: Tx, paymentId: number, customerId: number | null): Promise<number[]> {
  const rows = await tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      customerId === null
        ? eq(tickets.paymentId, paymentId)
        : or(eq(tickets.paymentId, paymentId), and(eq(tickets.customerId, customerId), ne(tickets.status, 'resolved'))),
    );
  const now = new Date();
  for (const { id } of rows) {
    await refreshSuggestion(tx, id, now);
    await notifyTicketChanged(tx, { id, kind: 'updated' });
  }
  return rows.map((r) => r.id);
}

/**
 * `POST /api/v1/payments`: a payment (`kind: "payment"`, upserted by its panel id; audited
 * `payment.imported`) or a later change of one (audited `payment.changed`): `credited` (the
 * balance was credited), `duplicate` (it duplicates `duplicateOf`), `dispute_opened` and
 * `chargeback` (the customer disputed it: their account carries an open chargeback). Tickets
 * about the payment (and, for a dispute, the customer's open tickets) get their suggestion
 * recomputed in the same transaction.
 */
export async function recordPayment(ctx: Ctx, input: unknown): Promise<PaymentResult> {
  const body = parseInput(paymentsBodySchema, input);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    if (body.kind === 'payment') {
      const customerId = await customerIdOf(tx, body.customer);
      const duplicateOf = body.duplicateOf ? await paymentIdOf(tx, body.duplicateOf, 'duplicateOf') : null;
      const [before] = await tx.select().from(payments).where(eq(payments.externalId, body.id)).for('update');
      const values = {
        externalId: body.id,
        customerId,
        method: body.method,
        processor: body.processor,
        transactionId: body.transactionId,
        amount: body.amount,
        currency: body.currency,
        paidAt: new Date(body.paidAt),
        isCredited: body.credited ?? before?.isCredited ?? true,
        duplicateOf: body.duplicateOf === undefined ? (before?.duplicateOf ?? null) : duplicateOf,
        isOvercharged: body.overcharged ?? before?.isOvercharged ?? false,
        processorAllowsRefund: body.refundable === undefined ? (before?.processorAllowsRefund ?? null) : body.refundable,
        isBalanceSpent: body.balanceSpent ?? before?.isBalanceSpent ?? false,
      };
      const [row] = before
        ? await tx.update(payments).set(values).where(eq(payments.id, before.id)).returning()
        : await tx.insert(payments).values(values).returning();
      if (duplicateOf === row!.id) throw fieldError('duplicateOf', 'A payment cannot duplicate itself.');
      const changed = !before || JSON.stringify(facts(before)) !== JSON.stringify(facts(row!));
      if (changed) {
        const refreshed = before ? await refreshTickets(tx, row!.id, null) : [];
        await record(tx, {
          actor: audit,
          action: 'payment.imported',
          entityType: 'payment',
          entityId: row!.id,
          before: before ? facts(before) : null,
          after: { externalId: body.id, ...facts(row!), ticketsRefreshed: refreshed },
          origin: ctx.origin,
        });
      }
      return { id: body.id, created: !before, kind: 'payment' };
    }

    const [payment] = await tx.select().from(payments).where(eq(payments.externalId, body.id)).for('update');
    if (!payment) throw new AppError('not_found', `There is no payment with id "${body.id}": send the payment itself first.`);
    let before: Record<string, unknown>;
    let after: Record<string, unknown>;
    let customerWide = false;
    switch (body.kind) {
      case 'credited':
        before = { isCredited: payment.isCredited };
        after = { isCredited: true };
        await tx.update(payments).set({ isCredited: true }).where(eq(payments.id, payment.id));
        break;
      case 'duplicate': {
        const original = await paymentIdOf(tx, body.duplicateOf!, 'duplicateOf');
        if (original === payment.id) throw fieldError('duplicateOf', 'A payment cannot duplicate itself.');
        before = { duplicateOf: payment.duplicateOf };
        after = { duplicateOf: original };
        await tx.update(payments).set({ duplicateOf: original }).where(eq(payments.id, payment.id));
        break;
      }
      case 'dispute_opened':
      case 'chargeback': {
        const [customer] = await tx
          .select({ hasChargebackOpen: customers.hasChargebackOpen })
          .from(customers)
          .where(eq(customers.id, payment.customerId))
          .for('update');
        before = { hasChargebackOpen: customer!.hasChargebackOpen };
        after = { hasChargebackOpen: true };
        await tx.update(customers).set({ hasChargebackOpen: true }).where(eq(customers.id, payment.customerId));
        customerWide = true;
        break;
      }
    }
    const refreshed = await refreshTickets(tx, payment.id, customerWide ? payment.customerId : null);
    await record(tx, {
      actor: audit,
      action: 'payment.changed',
      entityType: 'payment',
      entityId: payment.id,
      before,
      after: { ...after, change: body.kind, at: body.at, externalId: body.id, ticketsRefreshed: refreshed },
      origin: ctx.origin,
    });
    return { id: body.id, created: false, kind: body.kind };
  });
}

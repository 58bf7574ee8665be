/**
 * How much may still be paid for a ticket's order (or payment): its charge (or amount) minus the
 * decision credits already in the ledger and the cash refunds already executed for tickets about
 * the same order (or payment).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db';
import { isPaymentClaim, type Claim } from '@/lib/policy';
import { formatCents } from '@/lib/policy/money';
import { amountCents } from '@/lib/validation/decisions';

export interface CreditBasis {
  kind: 'order' | 'payment';
  id: number;
  /** The panel's order number or payment id. */
  reference: string;
  /** The order's charge or the payment's amount. */
  total: string;
  currency: string;
}

export interface CreditRoom extends CreditBasis {
  /**
   * Already paid for it: decision credits in the ledger, executed cash refunds, cancels sent to the
   * panel and not yet answered, and what the panel refunded itself (`panelRefunded`).
   */
  alreadyPaid: string;
  /** What the panel refunded for the order itself (its cancel and partial refunds: `refunded` on its order events). */
  panelRefunded: string;
  /** What may still be paid (never below 0). */
  remaining: string;
}

interface TicketMoneyFacts {
  claim: Claim;
  orderId: number | null;
  orderNumber: string | null;
  orderCharge: string | null;
  orderCurrency: string | null;
  paymentId: number | null;
  paymentExternalId: string | null;
  paymentAmount: string | null;
  paymentCurrency: string | null;
}

/** An order or a payment as what money is measured against, when it is there and has a total. */
function basis(
  kind: CreditBasis['kind'],
  id: number | null,
  reference: string | null,
  total: string | null,
  currency: string | null,
): CreditBasis | null {
  return id !== null && total !== null ? { kind, id, reference: reference ?? String(id), total, currency: currency ?? '' } : null;
}

/** What a ticket's money is measured against: the payment for payment claims, else the order (else the payment). */
export function creditBasis(t: TicketMoneyFacts): CreditBasis | null {
  const order = basis('order', t.orderId, t.orderNumber, t.orderCharge, t.orderCurrency);
  const payment = basis('payment', t.paymentId, t.paymentExternalId, t.paymentAmount, t.paymentCurrency);
  return isPaymentClaim(t.claim) ? (payment ?? order) : (order ?? payment);
}

/** The statement that locks the basis's row (the order or the payment) until the transaction ends. */
export function lockBasisSql(basis: CreditBasis): SQL {
  const table = basis.kind === 'order' ? sql.raw('orders') : sql.raw('payments');
  return sql`select id from ${table} where id = ${basis.id} for update`;
}

/** The columns `paid` and `panel` (decimal text) of what has been paid on the basis, for `roomOf`. */
export function paidOnSql(basis: CreditBasis): SQL {
  const column = basis.kind === 'order' ? sql.raw('order_id') : sql.raw('payment_id');
  // The panel's own refunds: each order event that carries `refunded` (a decimal) reports one.
  const panel =
    basis.kind === 'order'
      ? sql`(select coalesce(sum(round((oe.data ->> 'refunded')::numeric, 2)), 0) from order_events oe
            where oe.order_id = ${basis.id} and oe.data ->> 'refunded' ~ '^[0-9]{1,12}(\.[0-9]+)?$')`
      : sql`0`;
  return sql`(
        (select coalesce(sum(le.amount), 0) from ledger_entries le join tickets t on t.id = le.ticket_id
          where le.kind = 'decision_credit' and t.${column} = ${basis.id})
      + (select coalesce(sum(d.amount), 0) from decisions d join tickets t on t.id = d.ticket_id
          where (d.state = 'executed' and d.chosen_outcome = 'original_method_refund' or d.state = 'awaiting_panel') and t.${column} = ${basis.id})
      )::numeric(14,2)::text as paid, ${panel}::numeric(14,2)::text as panel`;
}

/** The room left on the basis, from `paidOnSql`'s columns. */
export function roomOf(basis: CreditBasis, row: { paid: string; panel: string } | undefined): CreditRoom {
  const panelRefunded = amountCents(row?.panel ?? '0');
  const paid = amountCents(row?.paid ?? '0') + panelRefunded;
  const left = amountCents(basis.total) - paid;
  return {
    ...basis,
    alreadyPaid: formatCents(paid),
    panelRefunded: formatCents(panelRefunded),
    remaining: formatCents(left > 0n ? left : 0n),
  };
}

/**
 * The room left on a ticket's order or payment. With `lock`, the order (or payment) row is locked
 * first, so two credits for tickets about the same order run one after the other and can never
 * together exceed its charge.
 */
export async function creditRoom(db: Db | Tx, ticket: TicketMoneyFacts, { lock }: { lock: boolean }): Promise<CreditRoom | null> {
  const basis = creditBasis(ticket);
  if (!basis) return null;
  if (lock) await db.execute(lockBasisSql(basis));
  const [row] = await queryRows<{ paid: string; panel: string }>(db, sql`select ${paidOnSql(basis)}`);
  return roomOf(basis, row);
}

/** "12.50 USD". */
export const money = (amount: string, currency: string | null) => `${amount}${currency ? ` ${currency}` : ''}`;

/** Why the room is what it is, in words: "order 88412's charge of 12.50 USD minus 5.00 USD already paid for it". */
export function describeRoom(room: CreditRoom): string {
  const what =
    room.kind === 'order'
      ? `order ${room.reference}’s charge of ${money(room.total, room.currency)}`
      : `payment ${room.reference}’s amount of ${money(room.total, room.currency)}`;
  if (amountCents(room.alreadyPaid) === 0n) return what;
  const panel = amountCents(room.panelRefunded);
  const desk = amountCents(room.alreadyPaid) - panel;
  const parts = [
    ...(desk > 0n ? [`${money(formatCents(desk), room.currency)} already paid for it`] : []),
    ...(panel > 0n ? [`${money(room.panelRefunded, room.currency)} the panel already refunded`] : []),
  ];
  return `${what} minus ${parts.join(' and ')}`;
}

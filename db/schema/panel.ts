import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, currency, id, panelMoney, ref } from './_columns';

/** At most 8 decimals (and 12 digits before the point) in a panel amount. */
const eightDecimals = (name: string, column: string) => check(name, sql.raw(`${column} = round(${column}, 8) and abs(${column}) < 1e12`));

export const customers = pgTable(
  'customers',
  {
    id: id(),
    externalId: text('external_id').notNull().unique(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    isReseller: boolean('is_reseller').notNull().default(false),
    isSuspended: boolean('is_suspended').notNull().default(false),
    hasChargebackOpen: boolean('has_chargeback_open').notNull().default(false),
    isFraudFlagged: boolean('is_fraud_flagged').notNull().default(false),
    /** The currency of the customer's panel balance, when the panel told us. */
    currency: currency(),
    createdAt: createdAt(),
  },
  (t) => [
    index('customers_username_trgm_idx').using('gin', sql`${t.username} gin_trgm_ops`),
    index('customers_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
  ],
);

export const services = pgTable(
  'services',
  {
    id: id(),
    externalId: text('external_id').notNull().unique(),
    name: text('name').notNull(),
    platform: text('platform').notNull(),
    category: text('category').notNull(),
    /** Price per 1000, as the panel lists it (up to 8 decimals). */
    ratePer1000: panelMoney('rate_per_1000').notNull(),
    currency: currency().notNull(),
    minQuantity: integer('min_quantity').notNull(),
    maxQuantity: integer('max_quantity').notNull(),
    /** null: no refill; 0: lifetime; n: days after completion. */
    refillDays: integer('refill_days'),
    reviewWindowDays: integer('review_window_days'),
    isCancelAllowed: boolean('is_cancel_allowed').notNull().default(false),
  },
  () => [eightDecimals('services_rate_scale', 'rate_per_1000')],
);

export const orderStatus = pgEnum('order_status', ['submitted', 'processing', 'partial', 'completed', 'canceled']);

export const orders = pgTable(
  'orders',
  {
    id: id(),
    /** The panel's order number. */
    externalId: text('external_id').notNull().unique(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    serviceId: ref('service_id')
      .notNull()
      .references(() => services.id),
    /** The target link exactly as submitted, white space included. */
    link: text('link').notNull(),
    quantity: integer('quantity').notNull(),
    startCount: integer('start_count'),
    delivered: integer('delivered').notNull().default(0),
    charge: panelMoney('charge').notNull(),
    currency: currency().notNull(),
    status: orderStatus('status').notNull(),
    statusChangedAt: at('status_changed_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('orders_customer_idx').on(t.customerId),
    index('orders_link_idx').on(t.link),
    eightDecimals('orders_charge_scale', 'charge'),
  ],
);

export const orderEventKind = pgEnum('order_event_kind', [
  'created',
  'status_changed',
  'partial_delivery',
  'provider_error',
  'refill_requested',
  'refill_result',
  'cancel_requested',
  'cancel_result',
  'drop_noticed',
  'reprocess_sent',
]);

export const orderEvents = pgTable(
  'order_events',
  {
    id: id(),
    orderId: ref('order_id')
      .notNull()
      .references(() => orders.id),
    kind: orderEventKind('kind').notNull(),
    at: at('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('order_events_order_at_idx').on(t.orderId, t.at)],
);

export const paymentMethod = pgEnum('payment_method', ['crypto', 'card', 'bank', 'wallet']);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    externalId: text('external_id').notNull().unique(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    method: paymentMethod('method').notNull(),
    processor: text('processor').notNull(),
    transactionId: text('transaction_id').notNull(),
    amount: panelMoney('amount').notNull(),
    currency: currency().notNull(),
    paidAt: at('paid_at').notNull(),
    isCredited: boolean('is_credited').notNull().default(true),
    duplicateOf: ref('duplicate_of'),
    isOvercharged: boolean('is_overcharged').notNull().default(false),
    /** Whether the processor allows a refund to the original method; null while unknown. */
    processorAllowsRefund: boolean('processor_allows_refund'),
    /** Whether any of the balance from this payment has been spent. */
    isBalanceSpent: boolean('is_balance_spent').notNull().default(false),
  },
  (t) => [index('payments_customer_idx').on(t.customerId), eightDecimals('payments_amount_scale', 'amount')],
);

export type Customer = typeof customers.$inferSelect;
export type Service = typeof services.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderEvent = typeof orderEvents.$inferSelect;
export type Payment = typeof payments.$inferSelect;

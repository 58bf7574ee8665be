/**
 * Small factories for ticket tests: every call makes new, unique rows, so no test depends on
 * another's data. Defaults describe a complete, timely `not_delivered` claim on a completed-looking
 * Instagram order with nothing delivered.
 */
import { slaDueDates } from './sla';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import {
  customers,
  evidence,
  ledgerEntries,
  orderEvents,
  orders,
  payments,
  services,
  ticketMessages,
  tickets,
  type Customer,
  type Order,
  type Payment,
  type Service,
  type Ticket,
} from '@/db/schema';
import { refreshSuggestion } from './suggestion';

const uid = () => randomUUID().slice(0, 12);
const HOUR_MS = 3_600_000;

export async function createCustomer(db: Db, overrides: Partial<typeof customers.$inferInsert> = {}): Promise<Customer> {
  const id = uid();
  const [row] = await db
    .insert(customers)
    .values({ externalId: `c-${id}`, username: `user_${id}`, email: `user_${id}@customer.example`, ...overrides })
    .returning();
  return row!;
}

export async function createService(db: Db, overrides: Partial<typeof services.$inferInsert> = {}): Promise<Service> {
  const [row] = await db
    .insert(services)
    .values({
      externalId: `s-${uid()}`,
      name: 'Instagram Followers [R30]',
      platform: 'instagram',
      category: 'followers',
      ratePer1000: '2.0000',
      currency: 'USD',
      minQuantity: 10,
      maxQuantity: 100_000,
      refillDays: 30,
      reviewWindowDays: null,
      ...overrides,
    })
    .returning();
  return row!;
}

export async function createOrder(
  db: Db,
  customerId: number,
  overrides: Partial<typeof orders.$inferInsert> & { service?: Partial<typeof services.$inferInsert> } = {},
): Promise<Order & { service: Service }> {
  const { service: serviceOverrides, ...orderOverrides } = overrides;
  const service = await createService(db, serviceOverrides);
  const statusChangedAt = orderOverrides.statusChangedAt ?? new Date(Date.now() - 48 * HOUR_MS);
  const [row] = await db
    .insert(orders)
    .values({
      externalId: `${Math.floor(Math.random() * 1e9)}-${uid()}`,
      customerId,
      serviceId: service.id,
      link: 'https://instagram.com/acme',
      quantity: 1000,
      startCount: 3572,
      delivered: 0,
      charge: '12.50',
      currency: 'USD',
      status: 'processing',
      statusChangedAt,
      createdAt: new Date(statusChangedAt.getTime() - 2 * HOUR_MS),
      ...orderOverrides,
    })
    .returning();
  return { ...row!, service };
}

export async function createOrderEvent(
  db: Db,
  orderId: number,
  kind: typeof orderEvents.$inferInsert.kind,
  at: Date,
  data: Record<string, unknown> = {},
) {
  const [row] = await db.insert(orderEvents).values({ orderId, kind, at, data }).returning();
  return row!;
}

export async function createPayment(db: Db, customerId: number, overrides: Partial<typeof payments.$inferInsert> = {}): Promise<Payment> {
  const [row] = await db
    .insert(payments)
    .values({
      externalId: `p-${uid()}`,
      customerId,
      method: 'card',
      processor: 'Stripe',
      transactionId: `ch_${uid()}`,
      amount: '25.00',
      currency: 'USD',
      paidAt: new Date(Date.now() - 24 * HOUR_MS),
      ...overrides,
    })
    .returning();
  return row!;
}

export async function createEvidenceRow(db: Db, ticketId: number, overrides: Partial<typeof evidence.$inferInsert> = {}) {
  const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const [row] = await db
    .insert(evidence)
    .values({
      ticketId,
      sha256: sha,
      mimeType: 'image/png',
      sizeBytes: 48_213,
      width: 1080,
      height: 1920,
      storageKey: sha,
      originalName: 'screenshot.png',
      uploadedAt: new Date(),
      ...overrides,
    })
    .returning();
  return row!;
}

export async function createLedgerEntry(db: Db, customerId: number, createdBy: number, amount: string, currency = 'USD') {
  const [row] = await db
    .insert(ledgerEntries)
    .values({ customerId, amount, currency, kind: 'manual_credit', idempotencyKey: `test-${uid()}`, createdBy })
    .returning();
  return row!;
}

export async function createMessage(db: Db, ticketId: number, body: string, overrides: Partial<typeof ticketMessages.$inferInsert> = {}) {
  const [row] = await db
    .insert(ticketMessages)
    .values({ ticketId, body, ...overrides })
    .returning();
  return row!;
}

export interface OrderTicketOptions {
  ticket?: Partial<typeof tickets.$inferInsert>;
  order?: Parameters<typeof createOrder>[2];
  evidenceFiles?: number;
}

/**
 * A customer, an order and a ticket about it: by default a complete `not_delivered` claim opened a
 * day after the order's last status change, the link as submitted, one evidence file, the policy
 * suggestion stored (verify: companyFault unknown).
 */
export async function createOrderTicket(db: Db, options: OrderTicketOptions = {}) {
  const customer = await createCustomer(db);
  const order = await createOrder(db, customer.id, options.order);
  const [ticket] = await db
    .insert(tickets)
    .values({
      customerId: customer.id,
      orderId: order.id,
      claim: 'not_delivered',
      requestedRemedy: 'balance_credit',
      orderNumberGiven: order.externalId,
      targetLinkGiven: order.link,
      explanation: 'Nothing arrived after two days',
      openedAt: new Date(order.statusChangedAt.getTime() + 24 * HOUR_MS),
      ...slaDueDates(
        options.ticket?.claim ?? 'not_delivered',
        options.ticket?.openedAt ?? new Date(order.statusChangedAt.getTime() + 24 * HOUR_MS),
      ),
      ...options.ticket,
    })
    .returning();
  for (let i = 0; i < (options.evidenceFiles ?? 1); i += 1) await createEvidenceRow(db, ticket!.id);
  await db.transaction((tx) => refreshSuggestion(tx, ticket!.id));
  return { customer, order, ticket: ticket! as Ticket };
}

/** A ticket with no order, no payment, no evidence, no findings and no messages. */
export async function createBareTicket(db: Db, overrides: Partial<typeof tickets.$inferInsert> = {}) {
  const customer = await createCustomer(db);
  const [ticket] = await db
    .insert(tickets)
    .values({
      customerId: customer.id,
      claim: 'other',
      openedAt: new Date(),
      ...slaDueDates(overrides.claim ?? 'other', overrides.openedAt ?? new Date()),
      ...overrides,
    })
    .returning();
  return { customer, ticket: ticket! };
}

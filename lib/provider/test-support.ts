/** Shared helpers for the delivery tests. */
import type { Db } from '@/db';
import { createOrderTicket, type OrderTicketOptions } from '@/lib/tickets/test-factories';
import type { DeliveryConfig } from './config';
import { enqueueProviderJob, type ProviderJobKind } from './outbox';

export const TEST_SECRET = 'test-webhook-secret-0123456789abcdef';

export const testConfig = (url: string | null, overrides: Partial<DeliveryConfig> = {}): DeliveryConfig => ({
  url,
  secret: TEST_SECRET,
  pollMs: 50,
  timeoutMs: 2_000,
  maxAttempts: 12,
  baseBackoffMs: 10_000,
  maxBackoffMs: 3_600_000,
  leaseMs: 60_000,
  batchSize: 10,
  ...overrides,
});

/** A ticket about an order, and an outbox job for it, enqueued as a decision would. */
export async function enqueueTestJob(db: Db, kind: ProviderJobKind = 'credit_granted', options: OrderTicketOptions = {}) {
  const { ticket, order, customer } = await createOrderTicket(db, options);
  const job = await db.transaction((tx) =>
    enqueueProviderJob(tx, {
      kind,
      ticketId: ticket.id,
      payload: {
        ticketId: ticket.id,
        customerExternalId: customer.externalId,
        orderNumber: order.externalId,
        amount: '1.25',
        currency: 'USD',
        message: `test ${kind}`,
      },
    }),
  );
  return { job, ticket, order, customer };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A clock the test moves by hand (for leases and backoff), starting just after `dueAt` (a job's
 * `nextAttemptAt`: read back in whole milliseconds, while the database may keep microseconds).
 */
export function testClock(dueAt: Date) {
  let at = dueAt.getTime() + 1;
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
}

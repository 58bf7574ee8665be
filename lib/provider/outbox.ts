import { randomUUID } from 'node:crypto';
import type { Tx } from '@/db';
import { providerJobs } from '@/db/schema';

export type ProviderJobKind = (typeof providerJobs.kind.enumValues)[number];

/** What the panel receives for each outbox job (the webhook body, besides `eventId`, `kind` and `occurredAt`). */
export interface ProviderJobPayload {
  ticketId?: number;
  decisionId?: number;
  /** The panel's customer and order ids. */
  customerExternalId: string;
  orderNumber?: string | null;
  amount?: string | null;
  currency?: string | null;
  /** For customer_reply: the text; for others, a short note. */
  message?: string | null;
}

/**
 * Puts a call to the panel in the outbox, in the caller's transaction: it is delivered if and only
 * if the change that caused it commits. `eventId` is the panel's de-duplication key.
 */
export async function enqueueProviderJob(
  tx: Tx,
  job: { kind: ProviderJobKind; ticketId?: number | null; decisionId?: number | null; payload: ProviderJobPayload },
) {
  const [row] = await tx
    .insert(providerJobs)
    .values({ eventId: randomUUID(), kind: job.kind, ticketId: job.ticketId ?? null, decisionId: job.decisionId ?? null, payload: job.payload })
    .returning();
  return row!;
}

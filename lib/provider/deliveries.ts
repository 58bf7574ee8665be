import { asc, desc, eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db';
import { providerJobAttempts, providerJobs } from '@/db/schema';
import { authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { parseInput } from '@/lib/validation/parse';
import { ticketIdSchema } from '@/lib/validation/tickets';

export interface TicketDelivery {
  id: number;
  eventId: string;
  kind: (typeof providerJobs.kind.enumValues)[number];
  state: (typeof providerJobs.state.enumValues)[number];
  attempts: number;
  lastError: string | null;
  /** When the worker tries again (pending jobs only). */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** The panel's HTTP status at the last attempt; null when unreachable or never tried. */
  lastHttpStatus: number | null;
  lastAttemptAt: Date | null;
}

/** The ticket's calls to the panel (outbox jobs), oldest first, with their delivery state. Anyone who works tickets. */
export async function listTicketDeliveries(ctx: Ctx, ticketId: unknown): Promise<TicketDelivery[]> {
  const id = parseInput(ticketIdSchema, ticketId);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');
  const jobs = await db
    .select()
    .from(providerJobs)
    .where(eq(providerJobs.ticketId, id))
    .orderBy(asc(providerJobs.createdAt), asc(providerJobs.id));
  if (jobs.length === 0) return [];
  const attempts = await db
    .selectDistinctOn([providerJobAttempts.jobId], {
      jobId: providerJobAttempts.jobId,
      httpStatus: providerJobAttempts.httpStatus,
      attemptedAt: providerJobAttempts.attemptedAt,
    })
    .from(providerJobAttempts)
    .where(
      inArray(
        providerJobAttempts.jobId,
        jobs.map((j) => j.id),
      ),
    )
    .orderBy(providerJobAttempts.jobId, desc(providerJobAttempts.attemptedAt), desc(providerJobAttempts.id));
  const last = new Map(attempts.map((a) => [a.jobId, a]));
  return jobs.map((job) => ({
    id: job.id,
    eventId: job.eventId,
    kind: job.kind,
    state: job.state,
    attempts: job.attempts,
    lastError: job.lastError,
    nextAttemptAt: job.state === 'pending' ? job.nextAttemptAt : null,
    deliveredAt: job.deliveredAt,
    createdAt: job.createdAt,
    lastHttpStatus: last.get(job.id)?.httpStatus ?? null,
    lastAttemptAt: last.get(job.id)?.attemptedAt ?? null,
  }));
}

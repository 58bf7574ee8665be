import { and, asc, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db';
import { providerJobAttempts, providerJobs } from '@/db/schema';
import { record } from '@/lib/audit';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { retryProviderJobSchema } from '@/lib/validation/deliveries';
import { parseInput } from '@/lib/validation/parse';
import { ticketIdSchema } from '@/lib/validation/tickets';
import { PROVIDER_JOBS_CHANNEL } from './config';

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

/** A pending job due this long ago and still not sent (no worker running, or its lease long gone) is stuck. */
export const STUCK_AFTER_MS = 5 * 60_000;

/** Why a job is on the deliveries page. */
export type DeliveryTrouble = 'refused' | 'failed' | 'stuck';

/** Failed jobs, pending ones the panel refused (a configuration problem), and pending ones stuck past their time. */
const troubled = (): SQL =>
  or(
    eq(providerJobs.state, 'failed'),
    and(
      eq(providerJobs.state, 'pending'),
      or(isNotNull(providerJobs.problem), lt(providerJobs.nextAttemptAt, sql`now() - make_interval(secs => ${STUCK_AFTER_MS / 1000})`)),
    ),
  )!;

export interface TroubledDelivery {
  id: number;
  eventId: string;
  kind: (typeof providerJobs.kind.enumValues)[number];
  state: (typeof providerJobs.state.enumValues)[number];
  trouble: DeliveryTrouble;
  attempts: number;
  lastError: string | null;
  /** What the panel answered when it refused the webhook itself. */
  problem: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  /** The ticket it belongs to; null for a manual credit's call. */
  ticketId: number | null;
  /** The panel's customer id, from the payload. */
  customerExternalId: string | null;
  lastAttemptAt: Date | null;
}

export interface DeliveryTroubles {
  jobs: TroubledDelivery[];
  /** Configuration problems: each distinct answer of the panel that refused webhooks, with how many jobs got it. */
  refusals: { answer: string; jobs: number }[];
  /** More troubled jobs exist than listed. */
  isTruncated: boolean;
}

export const TROUBLED_LIST_LIMIT = 200;

/**
 * The deliveries page: jobs across tickets and manual credits that failed for good, that the panel
 * refused (a configuration problem), or that are stuck, newest first, with their last error.
 */
export async function listTroubledDeliveries(ctx: Ctx): Promise<DeliveryTroubles> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'deliveries.manage');
  const rows = await db
    .select({
      job: providerJobs,
      lastAttemptAt: sql<
        string | null
      >`(select max(${providerJobAttempts.attemptedAt}) from ${providerJobAttempts} where ${providerJobAttempts.jobId} = ${providerJobs.id})`,
    })
    .from(providerJobs)
    .where(troubled())
    .orderBy(desc(providerJobs.createdAt), desc(providerJobs.id))
    .limit(TROUBLED_LIST_LIMIT + 1);
  const refusals = await db
    .select({ answer: providerJobs.problem, jobs: sql<number>`count(*)::int` })
    .from(providerJobs)
    .where(and(eq(providerJobs.state, 'pending'), isNotNull(providerJobs.problem)))
    .groupBy(providerJobs.problem)
    .orderBy(desc(sql`count(*)`))
    .limit(5);
  return {
    jobs: rows.slice(0, TROUBLED_LIST_LIMIT).map(({ job, lastAttemptAt }) => ({
      id: job.id,
      eventId: job.eventId,
      kind: job.kind,
      state: job.state,
      trouble: job.state === 'failed' ? 'failed' : job.problem ? 'refused' : 'stuck',
      attempts: job.attempts,
      lastError: job.lastError,
      problem: job.problem,
      nextAttemptAt: job.state === 'pending' ? job.nextAttemptAt : null,
      createdAt: job.createdAt,
      ticketId: job.ticketId,
      customerExternalId: ((job.payload ?? {}) as { customerExternalId?: unknown }).customerExternalId?.toString() ?? null,
      lastAttemptAt: lastAttemptAt ? new Date(lastAttemptAt) : null,
    })),
    refusals: refusals.map((r) => ({ answer: r.answer ?? '', jobs: r.jobs })),
    isTruncated: rows.length > TROUBLED_LIST_LIMIT,
  };
}

/** How many jobs are on the deliveries page (the navigation's badge). */
export async function countTroubledDeliveries(ctx: Ctx): Promise<number> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'deliveries.manage');
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(providerJobs)
    .where(troubled());
  return row?.n ?? 0;
}

/**
 * An admin sends a troubled job again now: a failed one gets a fresh run of attempts, a stuck or
 * refused one is made due at once. Audited as `provider_job.retried`; the workers are woken.
 */
export async function retryProviderJob(ctx: Ctx, input: unknown) {
  const { jobId } = parseInput(retryProviderJobSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeStaff(tx, ctx, 'deliveries.manage');
    const [before] = await tx
      .select({
        job: providerJobs,
        isTroubled: sql<boolean>`${troubled()}`,
      })
      .from(providerJobs)
      .where(eq(providerJobs.id, jobId))
      .for('update');
    if (!before) throw new AppError('not_found', `There is no delivery #${jobId}.`);
    const { job } = before;
    if (job.state === 'delivered') throw new AppError('conflict', `Delivery #${jobId} has already reached the panel.`);
    if (job.state === 'withdrawn')
      throw new AppError('conflict', `Delivery #${jobId} was withdrawn (a cancel that never reached the panel); it is not sent again.`);
    if (!before.isTroubled)
      throw new AppError('conflict', `Delivery #${jobId} is already on its way: the worker sends it at its next attempt.`);
    const [after] = await tx
      .update(providerJobs)
      .set({ state: 'pending', nextAttemptAt: sql`now()`, attemptsAtRetry: job.attempts })
      .where(eq(providerJobs.id, jobId))
      .returning();
    await record(tx, {
      actor: auditActor(actor),
      action: 'provider_job.retried',
      entityType: 'provider_job',
      entityId: jobId,
      before: { state: job.state, attempts: job.attempts, lastError: job.lastError, problem: job.problem },
      after: { state: after!.state, nextAttemptAt: after!.nextAttemptAt },
      origin: ctx.origin,
    });
    await tx.execute(sql`select pg_notify(${PROVIDER_JOBS_CHANNEL}, ${String(jobId)})`);
    return { id: jobId, kind: job.kind, ticketId: job.ticketId };
  });
}

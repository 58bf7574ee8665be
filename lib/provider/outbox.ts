import { randomUUID } from 'node:crypto';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { builtOnce, type Tx } from '@/db';
import { providerJobs } from '@/db/schema';
import { PROVIDER_JOBS_CHANNEL } from './config';

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
  /** credit_granted / credit_reversed: the desk's ledger entry (the panel's key for the balance movement). */
  ledgerEntryId?: number | null;
  /** credit_reversed: the ledger entry it takes back. */
  reversesLedgerEntryId?: number | null;
}

/**
 * Puts a call to the panel in the outbox, in the caller's transaction: it is delivered if and only
 * if the change that caused it commits. `eventId` is the panel's de-duplication key. The workers
 * are woken at commit (NOTIFY is dropped on rollback); they also poll, so a missed wake-up only
 * delays delivery by one poll interval.
 */
export async function enqueueProviderJob(tx: Tx, job: NewProviderJob) {
  const [row] = await tx.insert(providerJobs).values(jobRow(job)).returning();
  await tx.execute(sql`select pg_notify(${PROVIDER_JOBS_CHANNEL}, ${String(row!.id)})`);
  return row!;
}

/**
 * The statement that inserts the jobs given as one jsonb value (`jobsJson`), for a `with` clause:
 * `returning id, kind`. Select `pg_notify(PROVIDER_JOBS_CHANNEL, id::text)` from it to wake the workers.
 */
export const insertJobsSql = (jobs: SQLWrapper) =>
  sql`insert into provider_jobs (event_id, kind, ticket_id, decision_id, ledger_entry_id, payload)
      select event_id, kind, ticket_id, decision_id, ledger_entry_id, payload from jsonb_populate_recordset(null::provider_jobs, ${jobs}::jsonb)
      returning id, kind`;

/** The rows of `jobs` (fresh event ids) as the one jsonb value `insertJobsSql` takes. */
export const jobsJson = (jobs: NewProviderJob[]) =>
  JSON.stringify(
    jobs.map(jobRow).map((r) => ({
      event_id: r.eventId,
      kind: r.kind,
      ticket_id: r.ticketId,
      decision_id: r.decisionId,
      ledger_entry_id: r.ledgerEntryId,
      payload: r.payload,
    })),
  );

const enqueueJobs = builtOnce<{ id: string | number; kind: ProviderJobKind }, { jobs: string }>(
  () =>
    sql`with j as (${insertJobsSql(sql.placeholder('jobs'))}) select id, kind, pg_notify(${PROVIDER_JOBS_CHANNEL}, id::text) from j order by id`,
);

/** `enqueueProviderJob` for several jobs: one statement (the insert and the workers' wake-up per job); their ids, in the order given. */
export async function enqueueProviderJobs(tx: Tx, jobs: NewProviderJob[]): Promise<{ id: number; kind: ProviderJobKind }[]> {
  if (jobs.length === 0) return [];
  const rows = await enqueueJobs(tx, { jobs: jobsJson(jobs) });
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind }));
}

export interface NewProviderJob {
  kind: ProviderJobKind;
  ticketId?: number | null;
  decisionId?: number | null;
  ledgerEntryId?: number | null;
  payload: ProviderJobPayload;
}

/** A job's row as the outbox stores it (a fresh `eventId`). */
const jobRow = (job: NewProviderJob) => ({
  eventId: randomUUID(),
  kind: job.kind,
  ticketId: job.ticketId ?? null,
  decisionId: job.decisionId ?? null,
  ledgerEntryId: job.ledgerEntryId ?? null,
  payload: job.payload,
});

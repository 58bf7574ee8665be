/**
 * The outbox worker: delivers `provider_jobs` to the panel as signed webhooks.
 *
 * Delivery is at-least-once, made exactly-once by the panel:
 * - a worker claims due jobs with `select … for update skip locked` in a short transaction and
 *   reserves them (a lease: `next_attempt_at` moved `leaseMs` ahead), so other workers skip them
 *   while it sends; no transaction is open during the HTTP request;
 * - in that same transaction it counts the attempt and writes its attempt row `in_flight`, before
 *   sending, so an attempt cut off by a dying worker is still on record (it becomes `abandoned`
 *   when the job is claimed again) and every attempt carries its own number;
 * - it records the answer (the attempt row answered, the job delivered / retried / failed, and an
 *   audit row) in one transaction, only if its lease is still the job's (`next_attempt_at` unchanged);
 * - a worker that dies after sending and before recording leaves the job pending: once the lease
 *   runs out another worker (or the restarted one) sends it again, with the same event id; a worker
 *   that survives a lost database connection hands its unrecorded jobs back at once;
 * - a 4xx answer other than 408 and 429 is the panel refusing the webhook itself (wrong secret,
 *   clock skew): a configuration problem, kept on the job (`problem`) for the deliveries page and
 *   retried slowly, without ever giving up on it;
 * - the panel de-duplicates by `X-Refund-Desk-Event-Id` / `eventId` and answers a repeat with 2xx
 *   without acting again. So every event is acted on once, even across crashes and restarts.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { isConnectionError, type Db, type DbHandle } from '@/db';
import { providerJobAttempts, providerJobs } from '@/db/schema';
import { record, type AuditActor } from '@/lib/audit';
import { PROVIDER_JOBS_CHANNEL, type DeliveryConfig } from './config';
import { HEARTBEAT_EVERY_MS, newWorkerId, recordHeartbeat } from './heartbeat';
import { HEADER_ATTEMPT, signatureHeaders } from './signature';

export type ProviderJob = typeof providerJobs.$inferSelect;
/** A job claimed by this worker: `attempts` already counts the attempt under way, written as `attemptId`. */
export type ClaimedJob = ProviderJob & { attemptId: number };

/** The retry delay after a configuration problem (a 4xx refusal): slow, whatever the attempt count. */
export const PROBLEM_RETRY_MS = 15 * 60_000;

/** Whether an answer is the panel refusing the webhook itself (4xx but 408 Request Timeout and 429 Too Many Requests). */
export const isConfigurationProblem = (httpStatus: number | null): boolean =>
  httpStatus !== null && httpStatus >= 400 && httpStatus < 500 && httpStatus !== 408 && httpStatus !== 429;

export const ABANDONED_ATTEMPT =
  'No answer recorded: the worker stopped, or lost its lease or its database connection, before recording one.';

export const WORKER_ACTOR: AuditActor = { id: null, label: 'worker', role: null };

/** The webhook body: `{ eventId, kind, occurredAt, ...payload }`, the same bytes on every attempt. */
export function webhookBody(job: Pick<ProviderJob, 'eventId' | 'kind' | 'createdAt' | 'payload'>): string {
  const payload = { ...((job.payload ?? {}) as Record<string, unknown>) };
  // The envelope's fields are ours; a payload cannot override them.
  delete payload.eventId;
  delete payload.kind;
  delete payload.occurredAt;
  return JSON.stringify({ eventId: job.eventId, kind: job.kind, occurredAt: job.createdAt.toISOString(), ...payload });
}

/** The delay before the next attempt after `failedAttempts` failures: base × 2^(n−1), capped, ±20 % jitter. */
export function backoffMs(
  failedAttempts: number,
  config: Pick<DeliveryConfig, 'baseBackoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(config.maxBackoffMs, config.baseBackoffMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(Math.min(config.maxBackoffMs, exponential * (0.8 + 0.4 * random())));
}

/**
 * The clock of the lease and backoff arithmetic. Unset (always, outside tests): the database's
 * `now()`, the one clock every worker shares. Tests pass one to drive leases without sleeping.
 */
export type Clock = () => Date;
const nowSql = (now?: Clock) => (now ? sql`${now().toISOString()}::timestamptz` : sql`now()`);

/**
 * Claims up to `batchSize` due jobs for this worker: locks them (skipping rows another worker holds),
 * moves `next_attempt_at` to the end of the lease, counts the attempt and writes its attempt row
 * `in_flight` (an earlier attempt still in flight was cut off: it becomes `abandoned`), and commits.
 * The returned `nextAttemptAt` is the lease stamp `recordAttempt` checks.
 */
export async function claimDueJobs(db: Db, config: Pick<DeliveryConfig, 'batchSize' | 'leaseMs'>, now?: Clock): Promise<ClaimedJob[]> {
  const at = nowSql(now);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: providerJobs.id })
      .from(providerJobs)
      .where(and(eq(providerJobs.state, 'pending'), lte(providerJobs.nextAttemptAt, at)))
      .orderBy(asc(providerJobs.nextAttemptAt), asc(providerJobs.id))
      .limit(config.batchSize)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await tx
      .update(providerJobAttempts)
      .set({ state: 'abandoned', error: ABANDONED_ATTEMPT })
      .where(and(inArray(providerJobAttempts.jobId, ids), eq(providerJobAttempts.state, 'in_flight')));
    const jobs = await tx
      .update(providerJobs)
      // Whole milliseconds, so the stamp survives the round trip through a JavaScript Date.
      .set({
        attempts: sql`${providerJobs.attempts} + 1`,
        nextAttemptAt: sql`date_trunc('milliseconds', ${at} + make_interval(secs => ${config.leaseMs}::double precision / 1000))`,
      })
      .where(inArray(providerJobs.id, ids))
      .returning();
    const attempts = await tx
      .insert(providerJobAttempts)
      .values(jobs.map((job) => ({ jobId: job.id, number: job.attempts, state: 'in_flight' as const, attemptedAt: at })))
      .returning({ id: providerJobAttempts.id, jobId: providerJobAttempts.jobId });
    const attemptOf = new Map(attempts.map((a) => [a.jobId, a.id]));
    return jobs.map((job) => ({ ...job, attemptId: attemptOf.get(job.id)! }));
  });
}

/**
 * Hands jobs this worker claimed but could not record (its database connection was lost) back at
 * once instead of at the end of their lease: only where the lease is still this worker's, so a job
 * whose answer did get recorded (the commit went through, its reply was lost) is left alone.
 */
export async function releaseClaims(db: Db, jobs: readonly Pick<ProviderJob, 'id' | 'nextAttemptAt'>[], now?: Clock): Promise<void> {
  const at = nowSql(now);
  for (const job of jobs) {
    await db
      .update(providerJobs)
      .set({ nextAttemptAt: at })
      .where(and(eq(providerJobs.id, job.id), eq(providerJobs.state, 'pending'), eq(providerJobs.nextAttemptAt, job.nextAttemptAt)));
  }
}

export interface SendResult {
  ok: boolean;
  /** The panel's HTTP status; null when it could not be reached or did not answer in time. */
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  startedAt: Date;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: { message?: string }[] } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `Timed out after ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}: ${cause.message || cause.errors?.[0]?.message || 'network error'}`.slice(0, 500);
  return (cause?.message || e?.message || String(error)).slice(0, 500);
}

/**
 * One signed POST of the job to the panel; never throws. 2xx is delivered, anything else is a
 * failure. `attempts` is the number of this attempt (a claimed job has it counted already).
 */
export async function sendWebhook(
  config: Pick<DeliveryConfig, 'url' | 'secret' | 'timeoutMs'>,
  job: Pick<ProviderJob, 'eventId' | 'kind' | 'createdAt' | 'payload' | 'attempts'>,
  fetchImpl: typeof fetch = fetch,
): Promise<SendResult> {
  const body = webhookBody(job);
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  if (!config.url) return { ok: false, httpStatus: null, error: 'PANEL_WEBHOOK_URL is not set', durationMs: 0, startedAt };
  try {
    const response = await fetchImpl(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'RefundDesk-Webhook/1',
        [HEADER_ATTEMPT]: String(job.attempts),
        ...signatureHeaders(config.secret, job.eventId, body),
      },
      body,
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const text = await response.text().catch(() => '');
    const durationMs = elapsed();
    if (response.status >= 200 && response.status < 300)
      return { ok: true, httpStatus: response.status, error: null, durationMs, startedAt };
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 300);
    return {
      ok: false,
      httpStatus: response.status,
      error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
      durationMs,
      startedAt,
    };
  } catch (error) {
    return { ok: false, httpStatus: null, error: describeFetchError(error, config.timeoutMs), durationMs: elapsed(), startedAt };
  }
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'lease_lost';

/**
 * Records the answer of one attempt in one transaction: the attempt row answered, the job's new
 * state (delivered; pending with the next attempt after the backoff, or after PROBLEM_RETRY_MS for a
 * configuration problem; failed after `maxAttempts` since the last retry) and the audit row. When
 * the job is no longer under this worker's lease (it ran out and another worker took over), only
 * the attempt row is answered and the job is left to the worker that holds it.
 */
export async function recordAttempt(
  db: Db,
  job: ClaimedJob,
  result: SendResult,
  config: Pick<DeliveryConfig, 'maxAttempts' | 'baseBackoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
  now?: Clock,
): Promise<{ outcome: AttemptOutcome; job: ProviderJob | null; retryInMs: number | null }> {
  const at = nowSql(now);
  return db.transaction(async (tx) => {
    await tx
      .update(providerJobAttempts)
      .set({
        state: result.ok ? 'delivered' : 'failed',
        httpStatus: result.httpStatus,
        error: result.error,
        durationMs: result.durationMs,
      })
      .where(eq(providerJobAttempts.id, job.attemptId));
    const attempts = job.attempts;
    const problem = !result.ok && isConfigurationProblem(result.httpStatus) ? result.error : null;
    let outcome: AttemptOutcome;
    let retryInMs: number | null = null;
    let changes: PgUpdateSetSource<typeof providerJobs>;
    if (result.ok) {
      outcome = 'delivered';
      changes = { state: 'delivered', lastError: null, problem: null, deliveredAt: at };
    } else if (!problem && attempts - job.attemptsAtRetry >= config.maxAttempts) {
      outcome = 'failed';
      changes = { state: 'failed', lastError: result.error, problem: null };
    } else {
      outcome = 'retry';
      retryInMs = problem
        ? Math.max(PROBLEM_RETRY_MS, backoffMs(attempts - job.attemptsAtRetry, config, random))
        : backoffMs(attempts - job.attemptsAtRetry, config, random);
      changes = {
        lastError: result.error,
        problem,
        nextAttemptAt: sql`date_trunc('milliseconds', ${at} + make_interval(secs => ${retryInMs}::double precision / 1000))`,
      };
    }
    const [updated] = await tx
      .update(providerJobs)
      .set(changes)
      .where(and(eq(providerJobs.id, job.id), eq(providerJobs.state, 'pending'), eq(providerJobs.nextAttemptAt, job.nextAttemptAt)))
      .returning();
    if (!updated) outcome = 'lease_lost';
    const attempt = { attempt: attempts, httpStatus: result.httpStatus, error: result.error, durationMs: result.durationMs };
    await record(tx, {
      actor: WORKER_ACTOR,
      action: `provider_job.${outcome === 'retry' ? 'attempt_failed' : outcome === 'lease_lost' ? 'attempt_recorded' : outcome}`,
      entityType: 'provider_job',
      entityId: job.id,
      before: { state: job.state, attempts: attempts - 1 },
      after: updated
        ? {
            state: updated.state,
            attempts: updated.attempts,
            nextAttemptAt: outcome === 'retry' ? updated.nextAttemptAt : null,
            ...(updated.problem ? { problem: updated.problem } : {}),
            ...attempt,
          }
        : attempt,
      reason:
        outcome === 'lease_lost'
          ? 'The answer came after this worker’s lease ran out; the job is left to the worker that holds it now.'
          : problem
            ? 'The panel refused the webhook itself (a configuration problem): retried slowly until it is fixed.'
            : null,
      origin: { via: 'system' },
    });
    return { outcome, job: updated ?? null, retryInMs: outcome === 'retry' ? retryInMs : null };
  });
}

export interface WorkerHooks {
  /** Called after the panel answered and before the answer is recorded; a throw here simulates a crash. */
  afterSend?: (job: ClaimedJob, result: SendResult) => void | Promise<void>;
}

export interface RunOptions {
  hooks?: WorkerHooks;
  random?: () => number;
  /** Drives the lease and backoff clock (tests); unset: the database's now(). */
  now?: Clock;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  /** Told of the claimed jobs whose answer could not be recorded (the round then rejects). */
  onUnrecorded?: (jobs: ClaimedJob[]) => void;
}

export interface RoundResult {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  leaseLost: number;
}

/**
 * One round: claim due jobs, send them (in parallel: one slow panel answer must not eat the
 * others' lease), record each answer. Returns what happened; with no URL nothing is claimed.
 */
export async function runWorkerOnce(db: Db, config: DeliveryConfig, options: RunOptions = {}): Promise<RoundResult> {
  const round: RoundResult = { claimed: 0, delivered: 0, retried: 0, failed: 0, leaseLost: 0 };
  if (!config.url) return round;
  const jobs = await claimDueJobs(db, config, options.now);
  round.claimed = jobs.length;
  const log = options.log ?? (() => {});
  const unrecorded: ClaimedJob[] = [];
  const settled = await Promise.allSettled(
    jobs.map(async (job) => {
      const result = await sendWebhook(config, job, options.fetch);
      await options.hooks?.afterSend?.(job, result);
      const { outcome, retryInMs } = await recordAttempt(db, job, result, config, options.random, options.now).catch((error: unknown) => {
        unrecorded.push(job);
        throw error;
      });
      const what = `${job.kind} ${job.eventId} (job ${job.id}, attempt ${job.attempts})`;
      if (outcome === 'delivered') {
        round.delivered += 1;
        log(`[worker] delivered ${what}: HTTP ${result.httpStatus}, ${result.durationMs} ms`);
      } else if (outcome === 'retry') {
        round.retried += 1;
        log(
          `[worker] ${what} failed: ${result.error}; ${isConfigurationProblem(result.httpStatus) ? 'the panel refused it (a configuration problem); ' : ''}next attempt in ${Math.round((retryInMs ?? 0) / 1000)} s`,
        );
      } else if (outcome === 'failed') {
        round.failed += 1;
        log(`[worker] ${what} failed: ${result.error}; giving up after ${config.maxAttempts} attempts`);
      } else {
        round.leaseLost += 1;
        log(`[worker] ${what}: answer came after the lease ran out; left to the worker that holds the job`);
      }
    }),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (unrecorded.length) options.onUnrecorded?.(unrecorded);
  if (failure) throw failure.reason;
  return round;
}

export interface RunningWorker {
  /** Stops after the current round; resolves when it has. */
  stop: () => Promise<void>;
  /** Resolves when the loop has ended. */
  done: Promise<void>;
}

/**
 * Runs rounds until stopped: immediately again after a full batch, otherwise after `pollMs` or as
 * soon as a new job is announced on the `provider_jobs` channel (when `listen` is given).
 * Without PANEL_WEBHOOK_URL it logs once that delivery is off and does nothing (jobs stay pending).
 */
export function startWorker(options: {
  db: Db;
  config: DeliveryConfig;
  listen?: DbHandle['listen'];
  /**
   * Replaces the connection pool under `db` (DbHandle.renew): called when a round fails because
   * the connection was lost, or does not end within `roundTimeoutMs`.
   */
  renew?: DbHandle['renew'];
  /** How long one round may take before its pool is replaced (default: the lease plus the request timeout). */
  roundTimeoutMs?: number;
  log?: (line: string) => void;
  hooks?: WorkerHooks;
  random?: () => number;
}): RunningWorker {
  const { db, config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  // Staff pages read these heartbeats: no worker seen lately, or none with a panel URL, shows a banner.
  const startedAt = new Date();
  const workerId = newWorkerId(startedAt);
  let lastBeat = 0;
  const beat = async () => {
    if (Date.now() - lastBeat < HEARTBEAT_EVERY_MS) return;
    lastBeat = Date.now();
    await recordHeartbeat(db, { workerId, startedAt, hasPanelUrl: Boolean(config.url) }).catch((error: unknown) =>
      log(`[worker] could not record its heartbeat: ${(error as Error).message}`),
    );
  };
  if (!config.url) {
    log('[worker] PANEL_WEBHOOK_URL is not set: delivery to the panel is off. Jobs stay pending and go out once it is set.');
    // Still say that it runs (without a URL), so the desk can tell staff what is wrong.
    void beat();
    const interval = setInterval(() => void beat(), HEARTBEAT_EVERY_MS);
    interval.unref?.();
    return { stop: async () => clearInterval(interval), done: Promise.resolve() };
  }
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      wake = null;
    });
  const unlisten = options.listen
    ? options
        .listen(PROVIDER_JOBS_CHANNEL, () => wake?.())
        .catch((error: unknown) => {
          log(`[worker] LISTEN ${PROVIDER_JOBS_CHANNEL} failed, polling only: ${(error as Error).message}`);
          return null;
        })
    : Promise.resolve(null);

  log(`[worker] delivering to ${new URL(config.url).origin} every ${config.pollMs} ms`);
  const done = (async () => {
    let failures = 0;
    let unrecorded: ClaimedJob[] = [];
    const roundTimeoutMs = options.roundTimeoutMs ?? config.leaseMs + config.timeoutMs;
    while (!stopped) {
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      try {
        // A round that never ends is a pool stalled on a dead connection: replacing the pool ends
        // its connections, which rejects the queries the round waits for.
        watchdog = setTimeout(() => {
          log(`[worker] round still running after ${roundTimeoutMs} ms: replacing the database connections`);
          options.renew?.('worker round stalled');
        }, roundTimeoutMs);
        if (unrecorded.length) {
          await releaseClaims(db, unrecorded);
          log(`[worker] handed back ${unrecorded.length} job(s) whose answer could not be recorded; they are sent again`);
          unrecorded = [];
        }
        await beat();
        const round = await runWorkerOnce(db, config, {
          log,
          hooks: options.hooks,
          random: options.random,
          onUnrecorded: (jobs) => unrecorded.push(...jobs),
        });
        failures = 0;
        if (round.claimed === config.batchSize) continue;
      } catch (error) {
        failures += 1;
        log(`[worker] round failed: ${(error as Error).message ?? String(error)}`);
        if (isConnectionError(error)) options.renew?.('worker lost its database connection');
      } finally {
        clearTimeout(watchdog);
      }
      if (stopped) break;
      // After errors (database down) wait longer: the poll interval doubled per failure, up to 5 s.
      await nap(Math.min(5_000, config.pollMs * 2 ** Math.min(failures, 6)));
    }
    const stopListening = await unlisten;
    await stopListening?.().catch(() => {});
  })();
  return {
    done,
    stop: async () => {
      stopped = true;
      wake?.();
      await done;
    },
  };
}

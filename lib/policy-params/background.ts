/**
 * The recompute of open tickets' suggestions as a background loop of the worker (beside the outbox
 * and the audit sealer): every POLICY_RECOMPUTE_POLL_MS (default 5000) it runs the due recompute,
 * if any (./recompute.ts: claimed exactly once across workers).
 */
import type { Db } from '@/db';
import { recomputeWorkerId, runDueRecompute } from './recompute';

export interface RunningRecomputer {
  /** Stops the timer after the round in hand (a claim left unfinished is resumed by the next worker). */
  stop: () => Promise<void>;
  /** One round now (`worker --once`, tests). */
  runOnce: () => Promise<void>;
}

export function startPolicyRecomputer(options: {
  db: Db;
  log?: (line: string) => void;
  intervalMs?: number;
  /** false: no timer, rounds only through runOnce. */
  timer?: boolean;
}): RunningRecomputer {
  const { db } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const intervalMs = options.intervalMs ?? Number(process.env.POLICY_RECOMPUTE_POLL_MS || 5000);
  const workerId = recomputeWorkerId();
  let lastError = '';
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const round = () =>
    (running = running.then(async () => {
      try {
        const run = await runDueRecompute(db, { workerId, shouldStop: () => stopped });
        if (run) {
          const superseded = run.superseded.length ? ` (superseding ${run.superseded.map((v) => `v${v}`).join(', ')})` : '';
          log(`[policy] parameters v${run.version}: ${run.recomputed} open tickets recomputed, ${run.outcome}${superseded}`);
        }
        lastError = '';
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        if (message !== lastError) log(`[policy] recompute failed: ${message}`);
        lastError = message;
      }
    }));
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = () => {
    if (stopped) return;
    void round().then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  if (options.timer !== false) timer = setTimeout(tick, 0);
  return {
    runOnce: () => round(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

const globalForRecomputer = globalThis as unknown as { refundDeskPolicyRecomputer?: Promise<RunningRecomputer | null> };

/** The recompute loop inside this process, once (beside the in-process outbox worker); problems are logged, not thrown. */
export function startPolicyRecomputerInProcess(
  log: (line: string) => void = (line) => console.log(line),
): Promise<RunningRecomputer | null> {
  globalForRecomputer.refundDeskPolicyRecomputer ??= (async () => {
    const { getDbHandle } = await import('@/db');
    const handle = await getDbHandle();
    return startPolicyRecomputer({ db: handle.db, log });
  })().catch((error: unknown) => {
    log(`[policy] recompute loop could not start: ${(error as Error).message}`);
    return null;
  });
  return globalForRecomputer.refundDeskPolicyRecomputer;
}

/**
 * The audit sequencer and checkpoints, run beside the outbox worker (inside the server on the
 * embedded database, in `npm run worker` on PostgreSQL): every AUDIT_SEAL_INTERVAL_MS (default
 * 250) it seals the committed events and writes a signed checkpoint when one is due.
 */
import type { KeyObject } from 'node:crypto';
import type { Db } from '@/db';
import { Checkpointer, readCheckpointConfig, type CheckpointConfig } from './checkpoints';
import { sealAuditEvents } from './sealer';
import { loadAuditSigningKey } from './signing';

export interface RunningSealer {
  /** Stops the timer, seals what is left and checkpoints the final head. */
  stop: () => Promise<void>;
  /** One round now (tests, `worker --once`). */
  runOnce: () => Promise<void>;
}

export function startAuditSealer(options: {
  db: Db;
  log?: (line: string) => void;
  intervalMs?: number;
  key?: KeyObject;
  checkpoints?: CheckpointConfig;
  /** false: no timer, rounds only through runOnce / stop. */
  timer?: boolean;
}): RunningSealer {
  const { db } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const intervalMs = options.intervalMs ?? Number(process.env.AUDIT_SEAL_INTERVAL_MS || 250);
  const config = options.checkpoints ?? readCheckpointConfig();
  const checkpointer = new Checkpointer(db, options.key ?? loadAuditSigningKey(), config);
  let lastError = '';
  let running: Promise<void> = Promise.resolve();

  const round = (force = false) =>
    (running = running.then(async () => {
      try {
        const { sealed, head } = await sealAuditEvents(db, { wait: force });
        const checkpoint = await checkpointer.maybeCheckpoint(head, force);
        if (checkpoint) log(`[audit] checkpoint seq ${checkpoint.seq} ${checkpoint.hash} signed into ${config.file}`);
        else if (sealed >= 5_000) log(`[audit] sealed ${sealed} events`);
        lastError = '';
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        if (message !== lastError) log(`[audit] sealing or checkpoint failed: ${message}`);
        lastError = message;
      }
    }));

  let stopped = false;
  const tick = () => {
    if (stopped) return;
    void round().then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  let timer: ReturnType<typeof setTimeout> | null = options.timer === false ? null : setTimeout(tick, 0);
  if (timer)
    log(
      `[audit] sealing every ${intervalMs} ms; checkpoints every ${config.everyEvents} events or ${config.everyMs / 1000} s into ${config.file}`,
    );
  return {
    runOnce: () => round(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round(true);
    },
  };
}

const globalForSealer = globalThis as unknown as { refundDeskAuditSealer?: Promise<RunningSealer | null> };

/** The sealer inside this process, once (beside the in-process outbox worker); problems are logged, not thrown. */
export function startAuditSealerInProcess(log: (line: string) => void = (line) => console.log(line)): Promise<RunningSealer | null> {
  globalForSealer.refundDeskAuditSealer ??= (async () => {
    const { getDbHandle } = await import('@/db');
    const handle = await getDbHandle();
    return startAuditSealer({ db: handle.db, log });
  })().catch((error: unknown) => {
    log(`[audit] sealer not started: ${(error as Error).message}`);
    return null;
  });
  return globalForSealer.refundDeskAuditSealer;
}

/** The outbox worker inside the Next server: for the embedded database, which serves one process only. */
import { readDeliveryConfig } from './config';
import { startWorker, type RunningWorker } from './worker';

const globalForWorker = globalThis as unknown as { refundDeskWorker?: Promise<RunningWorker | null> };

/**
 * Starts the outbox worker inside this process, once (the embedded database is single-process, so
 * the worker runs in the Next server there). A configuration problem is logged, not thrown: the app
 * keeps serving and jobs stay pending.
 */
export function startInProcessWorker(log: (line: string) => void = (line) => console.log(line)): Promise<RunningWorker | null> {
  globalForWorker.refundDeskWorker ??= (async () => {
    void import('@/lib/audit/background').then(({ startAuditSealerInProcess }) => startAuditSealerInProcess(log));
    void import('@/lib/policy-params/background').then(({ startPolicyRecomputerInProcess }) => startPolicyRecomputerInProcess(log));
    let config;
    try {
      config = readDeliveryConfig();
    } catch (error) {
      log(`[worker] not started: ${(error as Error).message}`);
      return null;
    }
    const { getDbHandle } = await import('@/db');
    const handle = await getDbHandle();
    return startWorker({ db: handle.db, listen: handle.listen, renew: handle.renew, config, log });
  })().catch((error: unknown) => {
    log(`[worker] could not start: ${(error as Error).message}`);
    return null;
  });
  return globalForWorker.refundDeskWorker;
}

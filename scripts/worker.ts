/**
 * npm run worker — delivers the outbox (provider_jobs) to the panel as signed webhooks, until
 * SIGINT / SIGTERM (it finishes the round in hand first). Run one or more next to the app on
 * PostgreSQL; they never send the same job at the same time. `--once`: one round, then exit.
 * Beside the deliveries it seals the audit chain and recomputes open tickets' suggestions when a
 * policy parameter set comes into force (one worker per set; POLICY_RECOMPUTE_POLL_MS, default 5000).
 *
 * Env: DATABASE_URL (required: the embedded database runs its worker inside the demo server),
 * PANEL_WEBHOOK_URL (unset: delivery is off, jobs stay pending), PANEL_WEBHOOK_SECRET (required
 * with a URL), WORKER_POLL_MS (default 1000), PANEL_WEBHOOK_TIMEOUT_MS (default 10000).
 */
import { openConfiguredDb, serviceStatementTimeoutMs } from '@/db';
import { startAuditSealer } from '@/lib/audit/background';
import { loadAuditSigningKey } from '@/lib/audit/signing';
import { readDeliveryConfig, type DeliveryConfig } from '@/lib/provider/config';
import { startPolicyRecomputer } from '@/lib/policy-params/background';
import { runWorkerOnce, startWorker } from '@/lib/provider/worker';

async function main() {
  if (!process.env.DATABASE_URL) {
    console.error(
      '\nDATABASE_URL is not set. The embedded database serves one process only, so without DATABASE_URL the worker runs inside the demo server (`npm run demo`). Set DATABASE_URL to run it as its own process.\n',
    );
    process.exit(1);
  }
  let config: DeliveryConfig;
  let auditKey;
  try {
    config = readDeliveryConfig();
    auditKey = loadAuditSigningKey();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  const handle = await openConfiguredDb({ max: 4, statementTimeoutMs: serviceStatementTimeoutMs() });
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  // The audit sequencer and signed checkpoints run beside the delivery loop (lib/audit/background.ts).
  const sealer = startAuditSealer({ db: handle.db, log, key: auditKey, timer: !process.argv.includes('--once') });
  // So does the recompute of open tickets' suggestions when a policy parameter set comes into force (lib/policy-params).
  const recomputer = startPolicyRecomputer({ db: handle.db, log, timer: !process.argv.includes('--once') });

  if (process.argv.includes('--once')) {
    const round = await runWorkerOnce(handle.db, config, { log });
    log(`[worker] one round: ${JSON.stringify(round)}`);
    await recomputer.runOnce();
    await recomputer.stop();
    await sealer.stop();
    await handle.close();
    return;
  }

  const worker = startWorker({ db: handle.db, listen: handle.listen, renew: handle.renew, config, log });
  // Without a URL the worker does nothing; stay up (quietly) so a process manager does not restart it in a loop.
  const keepAlive = config.url ? null : setInterval(() => {}, 1 << 30);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[worker] ${signal}: finishing the current round…`);
    if (keepAlive) clearInterval(keepAlive);
    await worker.stop();
    await recomputer.stop();
    await sealer.stop();
    await handle.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
  await worker.done;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

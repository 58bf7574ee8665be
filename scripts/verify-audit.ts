/**
 * npm run --silent audit:verify [-- --checkpoints FILE] [--no-seal] — walks the audit hash chain;
 * exit 0 when intact, 1 naming the first bad event or checkpoint.
 *
 * First seals the events committed but not sealed yet (unless --no-seal), so the check covers
 * everything committed. Then checks the chain against every checkpoint of FILE (default:
 * AUDIT_CHECKPOINT_FILE or .data/audit-checkpoints.jsonl, when it exists): signatures with
 * AUDIT_VERIFY_KEY or the public half of AUDIT_SIGNING_KEY, and that the database still holds
 * every checkpointed head. Without checkpoints, deleting the newest events cannot be detected.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openConfiguredDb } from '@/db';
import { defaultCheckpointFile, readCheckpointFile } from '@/lib/audit/checkpoints';
import { sealAuditEvents } from '@/lib/audit/sealer';
import { loadAuditVerifyKey } from '@/lib/audit/signing';
import { verifyAuditChain } from '@/lib/audit/verify';

async function main() {
  const { values } = parseArgs({ options: { checkpoints: { type: 'string' }, 'no-seal': { type: 'boolean', default: false } } });
  const file = values.checkpoints ?? (existsSync(defaultCheckpointFile()) ? defaultCheckpointFile() : null);
  if (values.checkpoints && !existsSync(values.checkpoints)) {
    console.log(`no checkpoint file ${values.checkpoints}`);
    process.exitCode = 2;
    return;
  }
  const lines = file ? readCheckpointFile(file) : undefined;
  const publicKey = lines?.length ? loadAuditVerifyKey() : undefined;
  const handle = await openConfiguredDb();
  try {
    const sealed = values['no-seal'] ? 0 : (await sealAuditEvents(handle.db, { wait: true })).sealed;
    const started = performance.now();
    const result = await verifyAuditChain(handle.db, { checkpoints: lines, publicKey });
    const seconds = (performance.now() - started) / 1000;
    if (result.ok) {
      console.log(`ok ${result.count} events, head ${result.head}`);
      if (sealed) console.log(`sealed ${sealed} waiting events first`);
      console.log(`${result.unsealed} events waiting to be sealed`);
      console.log(
        result.checkpoints === null
          ? 'no checkpoints: deleting or rewriting the newest events cannot be detected from the chain alone (pass --checkpoints FILE)'
          : `matches all ${result.checkpoints} checkpoints of ${file}`,
      );
      console.log(`verified in ${seconds.toFixed(2)} s (${Math.round(result.count / Math.max(seconds, 1e-6))} events/s)`);
    } else {
      console.log(
        result.badSeq
          ? `broken at seq ${result.badSeq}: ${result.problem} (${result.count} events before it are intact)`
          : `refused: ${result.problem}`,
      );
      if (result.unsealed) console.log(`${result.unsealed} events waiting to be sealed`);
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * npm run evidence:gc -- [--grace-hours 24] [--dry-run]
 *
 * Removes stored evidence files (local folder or S3, as configured) that no evidence row names and
 * that are older than the grace period: orphans of uploads whose database commit failed.
 */
import { parseArgs } from 'node:util';
import { getDbHandle } from '@/db';
import { collectEvidenceGarbage } from '@/lib/evidence/gc';
import { evidenceStore } from '@/lib/evidence/storage';

async function main() {
  const { values } = parseArgs({
    options: { 'grace-hours': { type: 'string', default: '24' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const hours = Number(values['grace-hours']);
  if (!Number.isFinite(hours) || hours < 0) {
    console.error('--grace-hours must be a number of hours (0 or more).');
    process.exitCode = 2;
    return;
  }
  const handle = await getDbHandle();
  try {
    const store = evidenceStore();
    const result = await collectEvidenceGarbage(handle.db, { graceMs: hours * 3_600_000, dryRun: values['dry-run'], store });
    console.log(
      `${values['dry-run'] ? 'Would remove' : 'Removed'} ${result.removed.length} orphaned file(s) from the ${store.kind} store; ` +
        `${result.scanned} scanned, ${result.referenced} in use, ${result.young} younger than ${hours} h.`,
    );
    for (const key of result.removed) console.log(`  ${key}`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

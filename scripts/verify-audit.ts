/** npm run --silent audit:verify — walks the audit hash chain; exit 0 when intact, 1 naming the first bad event. */
import { openConfiguredDb } from '@/db';
import { verifyAuditChain } from '@/lib/audit/verify';

async function main() {
  const handle = await openConfiguredDb();
  try {
    const result = await verifyAuditChain(handle.db);
    if (result.ok) {
      console.log(`ok ${result.count} events, head ${result.head}`);
    } else {
      console.log(`broken at seq ${result.badSeq}: ${result.problem} (${result.count} events before it are intact)`);
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

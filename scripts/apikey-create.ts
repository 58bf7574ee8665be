/**
 * npm run apikey:create -- --name panel --scopes intake:write,tickets:read [--expires 2027-01-01]
 *
 * Creates an API key for deployments and scripts, as the system actor (audited as
 * `system:cli:apikey:create`), and prints it once. Unknown scopes, a past expiry or a missing name
 * are refused with a sentence naming them (exit 1); wrong arguments print the usage (exit 2).
 */
import { getDbHandle } from '@/db';
import { runApiKeyCreate } from '@/lib/api-keys/cli';

async function main() {
  const handle = await getDbHandle();
  try {
    process.exitCode = await runApiKeyCreate(process.argv.slice(2));
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

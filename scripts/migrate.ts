/** npm run db:migrate — applies db/migrations to DATABASE_URL, or to the embedded database. */
import { migrate, openConfiguredDb } from '@/db';

async function main() {
  const handle = await openConfiguredDb();
  try {
    await migrate(handle);
    console.log(`Migrations applied (${handle.kind}).`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

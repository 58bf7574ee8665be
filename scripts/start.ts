/**
 * npm start / npm run demo — starts the production server.
 * Without DATABASE_URL: embedded PostgreSQL in .data/pglite, migrated and filled with demo data on
 * first start. With DATABASE_URL: PostgreSQL, migrated beforehand by `npm run db:migrate`.
 */
import { spawn } from 'node:child_process';
import { count } from 'drizzle-orm';
import { migrate, openPglite, DEFAULT_PGLITE_DIR } from '@/db';
import { staffUsers } from '@/db/schema';
import { seedDatabase } from '@/db/seed';
import { ensureAuthSecretOrExit } from '@/lib/config';
import { suggestFor } from '@/lib/tickets/suggestion';

const port = process.env.PORT ?? '3000';

ensureAuthSecretOrExit();

async function prepareEmbeddedDatabase() {
  const handle = await openPglite(process.env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
  await migrate(handle);
  const [staff] = await handle.db.select({ n: count() }).from(staffUsers);
  if (!staff?.n) {
    console.log('First start: filling the embedded database with demo data…');
    await seedDatabase(handle, { tickets: Number(process.env.DEMO_TICKETS ?? 300), seed: 1, log: console.log, annotate: (facts, { now }) => suggestFor(facts, now) });
  }
  await handle.close();
}

async function main() {
  if (!process.env.DATABASE_URL) await prepareEmbeddedDatabase();
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port], { stdio: 'inherit', env: process.env });

  const password = process.env.DEMO_PASSWORD ?? 'demo-password';
  server.once('spawn', () => {
    console.log(`\nRefund Desk: ${process.env.NEXTAUTH_URL} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database in .data/'})`);
    if (!process.env.DATABASE_URL) {
      console.log(`Demo logins (password "${password}"): agent@demo.test, agent2@demo.test, supervisor@demo.test, admin@demo.test\n`);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

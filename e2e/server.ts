/**
 * Starts the production build for the end-to-end tests on a fresh, seeded database: PGlite in a
 * temporary folder, or (when DATABASE_URL is set, on this machine only) a new database `<name>_e2e`
 * on the same server. The records each test works on are made here too (e2e/fixtures.ts).
 * A fake panel (random port) receives the outbox webhooks and posts order events back, so e2e runs
 * exercise delivery: the worker runs inside the server on PGlite, and in this process on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate, openPglite, openPostgres, setDbHandle, type DbHandle } from '@/db';
import { assertLocalTestDatabase } from '@/db/local-test-database';
import { seedDemo } from '@/lib/demo';
import { createApiKey, ORDER_EVENTS_SCOPE } from '@/lib/api-keys';
import { readDeliveryConfig } from '@/lib/provider/config';
import { startFakePanel } from '@/lib/provider/fake-panel';
import { startPolicyRecomputer } from '@/lib/policy-params/background';
import { startWorker } from '@/lib/provider/worker';
import { suggestFor } from '@/lib/tickets/suggestion';
import { createE2eFixtures } from './fixtures';

async function freshDatabase(): Promise<{ handle: DbHandle; env: Record<string, string> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = mkdtempSync(path.join(tmpdir(), 'rd-e2e-'));
    return { handle: await openPglite(dir), env: { PGLITE_DIR: dir, DATABASE_URL: '' } };
  }
  assertLocalTestDatabase(base); // it drops and creates a database there
  const url = new URL(base);
  const name = `${url.pathname.slice(1) || 'postgres'}_e2e`;
  const admin = await openPostgres(base, 1);
  await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  await admin.close();
  url.pathname = `/${name}`;
  return { handle: await openPostgres(url.toString(), 2), env: { DATABASE_URL: url.toString() } };
}

async function main() {
  const port = process.env.PORT ?? '3100';
  const { handle, env } = await freshDatabase();
  await migrate(handle);
  await seedDemo(handle, {
    tickets: 120,
    seed: 7,
    log: () => {},
    annotate: (facts, { now }) => suggestFor(facts, now),
    // COPY must write to the fresh database, not to DATABASE_URL's.
    databaseUrl: env.DATABASE_URL || undefined,
  });
  // What each test works on, looked up by id (e2e/fixture-file.ts); the seeded queue is for browsing.
  // Some fixtures go through core functions (a real proposal), which use getDb(): this database.
  setDbHandle(handle);
  await createE2eFixtures(handle.db, port);
  const panelKey = await createApiKey(handle.db, { name: 'fake-panel-e2e', scopes: [ORDER_EVENTS_SCOPE] });
  await handle.close();

  const appUrl = `http://localhost:${port}`;
  const webhookSecret = randomBytes(32).toString('hex');
  const panel = await startFakePanel({
    secret: webhookSecret,
    appUrl,
    apiKey: panelKey.plaintext,
    followUpDelayMs: 500,
    log: (line) => console.log(line),
  });
  const deliveryEnv = {
    PANEL_WEBHOOK_URL: panel.url,
    PANEL_WEBHOOK_SECRET: webhookSecret,
    APP_URL: appUrl,
    PANEL_API_KEY: panelKey.plaintext,
    WORKER_POLL_MS: '250',
    POLICY_RECOMPUTE_POLL_MS: '500',
  };
  // PostgreSQL: the server does not run the worker (production runs `npm run worker`); run it here.
  if (env.DATABASE_URL) {
    const workerDb = await openPostgres(env.DATABASE_URL, 2);
    startWorker({
      db: workerDb.db,
      listen: workerDb.listen,
      renew: workerDb.renew,
      config: readDeliveryConfig(deliveryEnv),
      log: (line) => console.log(line),
    });
    startPolicyRecomputer({ db: workerDb.db, intervalMs: 500, log: (line) => console.log(line) });
  }
  const server = spawn(process.execPath, ['server.mjs'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      ...env,
      ...deliveryEnv,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

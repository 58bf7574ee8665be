/**
 * npm run demo / npm run demo:start — the demo launcher: starts the production build on the
 * embedded database. Without DATABASE_URL: embedded PostgreSQL in .data/pglite, migrated and
 * filled with demo data on first start; a fake panel on port 3001 (FAKE_PANEL_PORT) receives the
 * outbox webhooks, which the worker inside the server sends, unless PANEL_WEBHOOK_URL points elsewhere.
 * With DATABASE_URL it only starts the server (migrate first with `npm run db:migrate`).
 *
 * `npm run demo:live` (or DEMO_SIMULATE=1): the simulated panel (sim/, `npm run simulate`) also plays
 * into the server once it answers — orders, tickets, replies at DEMO_SIMULATE_RATE requests/s
 * (default 5), with a ticket for about one order in seven — so the queue fills while one watches. Its
 * API key is created by the system actor and kept in .data/simulator-api-key.
 *
 * It needs the devDependencies (the demo data draws PNG screenshots with pngjs). Production is
 * `npm start` (`next start`), which imports none of this.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { getDbHandle, migrate, openPglite, DEFAULT_PGLITE_DIR, type Db } from '@/db';
import { authenticateApiKey, createApiKey } from '@/lib/intake/api-keys';
import { simulate } from '@/sim/run';
import { staffUsers } from '@/db/schema';
import { seedDemo } from '@/lib/demo';
import { DATA_DIR, ensureAuthSecretOrExit } from '@/lib/config';
import { ensureEmbeddedWebhookSecret } from '@/lib/provider/config';
import { ensurePanelApiKey } from '@/lib/provider/embedded';
import { startFakePanel } from '@/lib/provider/fake-panel';
import { suggestFor } from '@/lib/tickets/suggestion';

const port = process.env.PORT ?? '3000';
const live = process.argv.includes('--live') || process.env.DEMO_SIMULATE === '1';
const SIMULATOR_KEY_FILE = path.join(DATA_DIR, 'simulator-api-key');

/** The simulator's API key (intake, order events, ticket reads), made by the system actor; kept in .data/. */
async function ensureSimulatorKey(db: Db): Promise<string> {
  if (existsSync(SIMULATOR_KEY_FILE)) {
    const kept = readFileSync(SIMULATOR_KEY_FILE, 'utf8').trim();
    try {
      await authenticateApiKey(db, `Bearer ${kept}`, 'intake.write', { via: 'system' });
      return kept;
    } catch {
      // Revoked, or a database made afresh: make a new one.
    }
  }
  const key = await createApiKey(db, { name: 'demo simulator', scopes: ['intake:write', 'order-events', 'tickets:read'] });
  mkdirSync(path.dirname(SIMULATOR_KEY_FILE), { recursive: true });
  writeFileSync(SIMULATOR_KEY_FILE, key.plaintext, { mode: 0o600 });
  return key.plaintext;
}

/** Waits for the server to answer its health check, then plays the simulated panel into it until the demo stops. */
async function startSimulator(key: string) {
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const rate = Number(process.env.DEMO_SIMULATE_RATE ?? 5) || 5;
  console.log(`Simulated panel: ${rate} requests/s into ${url} (new tickets appear in the queue).`);
  await simulate({
    url,
    key,
    rate,
    minutes: Infinity,
    seed: Date.now() % 2 ** 31,
    idPrefix: `demo${Date.now().toString(36)}-`,
    concurrency: 2,
    ticketShare: 1 / 7,
    log: (line) => console.log(`[simulator] ${line}`),
  });
}

ensureAuthSecretOrExit();

async function prepareEmbeddedDatabase() {
  const handle = await openPglite(process.env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
  await migrate(handle);
  const [staff] = await handle.db.select({ n: count() }).from(staffUsers);
  if (!staff?.n) {
    console.log('First start: filling the embedded database with demo data…');
    await seedDemo(handle, {
      tickets: Number(process.env.DEMO_TICKETS ?? 300),
      seed: 1,
      log: console.log,
      annotate: (facts, { now }) => suggestFor(facts, now),
    });
  }
  // The fake panel's key for posting order events back (plaintext kept in .data/, hash in api_keys).
  const panelApiKey = await ensurePanelApiKey(handle.db, path.join(DATA_DIR, 'panel-api-key'));
  const simulatorKey = live ? await ensureSimulatorKey(handle.db) : null;
  await handle.close();
  return { panelApiKey, simulatorKey };
}

/**
 * Delivery to the panel for the demo: the webhook secret (generated into .data/ when unset) and,
 * unless PANEL_WEBHOOK_URL is set, a fake panel in this process that answers the webhooks and posts
 * order events back to the app. The server's in-process worker reads these from its environment.
 */
async function prepareEmbeddedPanel(panelApiKey: string) {
  const secret = ensureEmbeddedWebhookSecret(DATA_DIR);
  process.env.APP_URL ??= `http://localhost:${port}`;
  process.env.PANEL_API_KEY ??= panelApiKey;
  if (process.env.PANEL_WEBHOOK_URL) {
    console.log(
      `Outbox webhooks go to ${process.env.PANEL_WEBHOOK_URL}${process.env.PANEL_WEBHOOK_SECRET === secret ? ' (secret in .data/panel-webhook-secret)' : ''}.`,
    );
    return;
  }
  const panelPort = Number(process.env.FAKE_PANEL_PORT ?? 3001);
  try {
    const panel = await startFakePanel({
      secret,
      port: panelPort,
      appUrl: process.env.APP_URL,
      apiKey: process.env.PANEL_API_KEY,
      failRate: Number(process.env.FAKE_PANEL_FAIL_RATE ?? 0) || 0,
      cancelRefuseRate: Number(process.env.FAKE_PANEL_CANCEL_REFUSE_RATE ?? 0.25) || 0,
      log: (line) => console.log(line),
    });
    process.env.PANEL_WEBHOOK_URL = panel.url;
    console.log(`Fake panel: receiving outbox webhooks at ${panel.url}.`);
  } catch (error) {
    console.warn(
      `The fake panel could not listen on port ${panelPort} (${(error as Error).message}); delivery to the panel is off. Set FAKE_PANEL_PORT to a free port, or PANEL_WEBHOOK_URL to a real panel.`,
    );
  }
}

async function main() {
  let simulatorKey: string | null = null;
  if (!process.env.DATABASE_URL) {
    const prepared = await prepareEmbeddedDatabase();
    simulatorKey = prepared.simulatorKey;
    await prepareEmbeddedPanel(prepared.panelApiKey);
  } else if (live) {
    const handle = await getDbHandle();
    simulatorKey = await ensureSimulatorKey(handle.db);
    await handle.close();
  }
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const server = spawn(process.execPath, ['server.mjs'], { stdio: 'inherit', env: { ...process.env, PORT: port } });

  const password = process.env.DEMO_PASSWORD ?? 'demo-password';
  server.once('spawn', () => {
    console.log(`\nRefund Desk: ${process.env.NEXTAUTH_URL} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database in .data/'})`);
    if (!process.env.DATABASE_URL) {
      console.log(`Demo logins (password "${password}"): agent@demo.test, agent2@demo.test, supervisor@demo.test, admin@demo.test\n`);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
  if (simulatorKey) {
    startSimulator(simulatorKey).catch((error: unknown) => console.error('The simulator stopped:', error));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

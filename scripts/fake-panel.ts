/**
 * npm run fake-panel — a stand-in for the panel's webhook receiver (see lib/provider/fake-panel.ts).
 *
 * Env: FAKE_PANEL_PORT (default 3001), FAKE_PANEL_HOST (default 127.0.0.1), PANEL_WEBHOOK_SECRET
 * (default: the embedded demo's .data/panel-webhook-secret), APP_URL (default http://localhost:3000)
 * and PANEL_API_KEY (default: .data/panel-api-key) to post order events back,
 * FAKE_PANEL_FAIL_RATE (0–1: share of webhooks answered 503), FAKE_PANEL_DELAY_MS (default 2000:
 * delay before the second follow-up event).
 * Point the worker at it with PANEL_WEBHOOK_URL=http://127.0.0.1:3001/webhook and the same secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '@/lib/config';
import { startFakePanel } from '@/lib/provider/fake-panel';

const fromFile = (name: string) => {
  const file = path.join(DATA_DIR, name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};

async function main() {
  const secret = process.env.PANEL_WEBHOOK_SECRET || fromFile('panel-webhook-secret');
  if (!secret) {
    console.error(
      '\nPANEL_WEBHOOK_SECRET is not set (and there is no .data/panel-webhook-secret): give the fake panel the secret the worker signs with.\n',
    );
    process.exit(1);
  }
  const failRate = Number(process.env.FAKE_PANEL_FAIL_RATE ?? 0);
  if (!(failRate >= 0 && failRate <= 1)) {
    console.error('\nFAKE_PANEL_FAIL_RATE must be a number from 0 to 1.\n');
    process.exit(1);
  }
  const appUrl = process.env.APP_URL ?? 'http://localhost:3000';
  const apiKey = process.env.PANEL_API_KEY || fromFile('panel-api-key') || null;
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const panel = await startFakePanel({
    secret,
    port: Number(process.env.FAKE_PANEL_PORT ?? 3001),
    host: process.env.FAKE_PANEL_HOST ?? '127.0.0.1',
    appUrl,
    apiKey,
    failRate,
    cancelRefuseRate: Number(process.env.FAKE_PANEL_CANCEL_REFUSE_RATE ?? 0.25) || 0,
    followUpDelayMs: Number(process.env.FAKE_PANEL_DELAY_MS ?? 2_000),
    log,
  });
  log(
    `[fake-panel] receiving webhooks at ${panel.url}; order events go to ${appUrl}${apiKey ? '' : ' (no PANEL_API_KEY: they are only logged)'}${failRate ? `; failing ${Math.round(failRate * 100)} %` : ''}`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void panel.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

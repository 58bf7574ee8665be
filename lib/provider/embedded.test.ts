import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { authenticateApiKey } from '@/lib/intake/api-keys';
import { ensureEmbeddedWebhookSecret } from './config';
import { ensurePanelApiKey } from './embedded';

const handle = setupTestDb();
let dir: string;
const previousSecret = process.env.PANEL_WEBHOOK_SECRET;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rd-embedded-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (previousSecret === undefined) delete process.env.PANEL_WEBHOOK_SECRET;
  else process.env.PANEL_WEBHOOK_SECRET = previousSecret;
});

describe('embedded demo wiring', () => {
  it('keeps the fake panel’s API key in a file and reuses it, making a new one once it is revoked', async () => {
    const file = path.join(dir, 'panel-api-key');
    const first = await ensurePanelApiKey(handle.db, file);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const keyCtx = await authenticateApiKey(handle.db, `Bearer ${first}`, 'orders.events.write');
    const [keyRow] = await handle.db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, keyCtx.apiKeyId));
    expect(keyRow).toEqual({ name: 'fake-panel' });
    expect(await ensurePanelApiKey(handle.db, file)).toBe(first);

    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.name, 'fake-panel'));
    const second = await ensurePanelApiKey(handle.db, file);
    expect(second).not.toBe(first);
    expect(readFileSync(file, 'utf8')).toBe(second);
  });

  it('generates the webhook secret once into the data folder, unless one is set', () => {
    delete process.env.PANEL_WEBHOOK_SECRET;
    const secret = ensureEmbeddedWebhookSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(dir, 'panel-webhook-secret'), 'utf8')).toBe(secret);
    delete process.env.PANEL_WEBHOOK_SECRET;
    expect(ensureEmbeddedWebhookSecret(dir)).toBe(secret);
    process.env.PANEL_WEBHOOK_SECRET = 'given-by-the-operator-0123456789';
    expect(ensureEmbeddedWebhookSecret(dir)).toBe('given-by-the-operator-0123456789');
  });
});

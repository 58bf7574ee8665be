/** Wiring for the embedded demo and end-to-end runs: the fake panel's API key. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '@/db';
import { authenticateApiKey, createApiKey, ORDER_EVENTS_SCOPE } from '@/lib/api-keys';

export const FAKE_PANEL_KEY_NAME = 'fake-panel';

/**
 * The fake panel's API key (scope order-events): the plaintext kept in `file` (mode 0600) when its
 * hash is still a valid key in this database, otherwise a new key, written to `file`.
 */
export async function ensurePanelApiKey(db: Db, file: string): Promise<string> {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    try {
      await authenticateApiKey(db, `Bearer ${kept}`, 'orders.events.write', { via: 'system' });
      return kept;
    } catch {
      // Revoked, or a database made afresh: make a new one.
    }
  }
  const key = await createApiKey(db, { name: FAKE_PANEL_KEY_NAME, scopes: [ORDER_EVENTS_SCOPE] });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, key.plaintext, { mode: 0o600 });
  return key.plaintext;
}

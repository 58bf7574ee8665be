import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { migrate, openPglite, openPostgres, setDbHandle, type DbHandle } from './index';
import { assertLocalTestDatabase } from './local-test-database';

export type TestDb = DbHandle & { readonly url?: string };

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
 * on the PostgreSQL server of DATABASE_URL (dropped again by `close`). A server other than this
 * machine is refused unless ALLOW_REMOTE_TEST_DATABASE=1.
 */
export async function createTestDb(): Promise<TestDb> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openPglite();
    await migrate(handle);
    return handle;
  }
  assertLocalTestDatabase(base);
  const name = `rd_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(base, 1);
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  await admin.close();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), 25);
  await migrate(handle);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = await openPostgres(base, 1);
      await dropper.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await dropper.close();
    },
  };
}

export const isPostgres = () => Boolean(process.env.DATABASE_URL);

/**
 * The test database of a file (or of a describe block): opened by a beforeAll hook, closed (and
 * dropped) by an afterAll hook, both registered here. The returned handle reads through to that
 * database, so `handle.db` works inside hooks and tests (and throws outside them).
 *
 * - `setDefault` (default true): also make it the database of `getDb()`, for the core functions.
 * - `when` (default true): false opens nothing (e.g. `when: isPostgres()` for PostgreSQL-only files).
 */
export function setupTestDb({ setDefault = true, when = true }: { setDefault?: boolean; when?: boolean } = {}): TestDb {
  let current: TestDb | undefined;
  const get = (): TestDb => {
    if (!current) throw new Error('setupTestDb: the test database exists only inside hooks and tests (opened in beforeAll).');
    return current;
  };
  beforeAll(async () => {
    if (!when) return;
    current = await createTestDb();
    if (setDefault) setDbHandle(current);
  });
  afterAll(async () => {
    const handle = current;
    current = undefined;
    await handle?.close();
  });
  return {
    get db() {
      return get().db;
    },
    get kind() {
      return get().kind;
    },
    get url() {
      return get().url;
    },
    listen: (channel, onPayload) => get().listen(channel, onPayload),
    renew: (reason) => get().renew(reason),
    close: async () => {
      const handle = get();
      current = undefined;
      await handle.close();
    },
  };
}

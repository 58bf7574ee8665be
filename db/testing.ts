import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate, openPglite, openPostgres, type DbHandle } from './index';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
 * on the PostgreSQL server of DATABASE_URL (dropped again by `close`).
 */
export async function createTestDb(): Promise<DbHandle & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openPglite();
    await migrate(handle);
    return handle;
  }
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

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export { schema };
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: core functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');
export const DEFAULT_PGLITE_DIR = path.join(process.cwd(), '.data', 'pglite');

/** Opens PostgreSQL through postgres.js. */
export async function openPostgres(url: string, max = Number(process.env.DATABASE_POOL_SIZE ?? 10)): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {} });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: 'postgres',
    close: () => client.end(),
    listen: async (channel, onPayload) => {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
  };
}

/** Opens embedded PostgreSQL (PGlite): in `dataDir` on disk, or in memory when it is undefined. */
export async function openPglite(dataDir?: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: 'pglite',
    close: () => client.close(),
    // PGlite delivers NOTIFY to listeners of the same (single) process.
    listen: (channel, onPayload) => client.listen(channel, onPayload),
  };
}

/** The app's database: PostgreSQL when DATABASE_URL is set, otherwise PGlite in `.data/pglite`. */
export function openConfiguredDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openPostgres(url) : openPglite(process.env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
}

const globalForDb = globalThis as unknown as { refundDeskDb?: Promise<DbHandle> };

/** The shared handle, opened lazily on first use (never at import: `next build` evaluates modules). */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.refundDeskDb ??= openConfiguredDb().catch((error: unknown) => {
    globalForDb.refundDeskDb = undefined;
    throw error;
  });
  return globalForDb.refundDeskDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** Applies the committed migrations in db/migrations. */
export async function migrate(handle: DbHandle): Promise<void> {
  if (handle.kind === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

/** Points `getDb()` at another handle (tests give each file its own database). */
export function setDbHandle(handle: DbHandle): void {
  globalForDb.refundDeskDb = Promise.resolve(handle);
}

/** The PostgreSQL error under a driver or drizzle wrapper: its SQLSTATE code and message. */
export function pgError(error: unknown): { code?: string; message: string } | null {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth += 1
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return { code: e.code, message: String(e.message) };
  }
  return null;
}

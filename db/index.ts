import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getTableColumns, sql, type Query, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTable } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { preparingClient } from './statement-cache';

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
  /** Replaces the connection pool under `db` (PostgreSQL; a no-op on PGlite). */
  renew: (reason: string) => void;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');
export const DEFAULT_PGLITE_DIR = path.join(process.cwd(), '.data', 'pglite');

export interface PostgresOptions {
  /** Connections in the pool (default DATABASE_POOL_SIZE or 10). */
  max?: number;
  /** `statement_timeout` of every connection; unset: the server's (none). */
  statementTimeoutMs?: number;
}

/**
 * Whether an uncaught exception is postgres.js 3.4.9 writing to the socket of a connection whose
 * backend died (porsager/postgres#1154, #1199, #1208, still open): `closed()` sets the socket to
 * null, and a query sent on that connection afterwards (a transaction's `rollback` after its
 * connection was terminated; any query on a reserved one) throws from a `setImmediate`, where no
 * caller can catch it. The connection is then left holding that query, and the pool stalls.
 */
export function isDeadSocketError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  return (
    /null/.test(error.message) &&
    /write/.test(error.message) &&
    (/nextWrite/.test(stack) || /postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(stack))
  );
}

interface DeadSocketGuard {
  installed: boolean;
  /** Every open postgres.js pool of this process: what replaces its connections. */
  pools: Set<(reason: string) => void>;
  log: (line: string) => void;
}
const globalForGuard = globalThis as unknown as { refundDeskDeadSocketGuard?: DeadSocketGuard };

/**
 * Survives postgres.js' dead-socket exception (see `isDeadSocketError`): instead of letting it kill
 * the process (a worker) or be logged while the pool stays stalled (Next logs uncaught exceptions
 * and goes on), every pool of the process is replaced: its connections are ended, which rejects
 * the queries they held, and new ones are opened. Any other uncaught exception keeps Node's
 * behaviour (printed, exit code 1) unless someone else (Next) also listens.
 */
function deadSocketGuard(): DeadSocketGuard {
  const guard = (globalForGuard.refundDeskDeadSocketGuard ??= {
    installed: false,
    pools: new Set(),
    log: (line) => console.error(line),
  });
  if (!guard.installed) {
    guard.installed = true;
    process.on('uncaughtException', (error) => {
      if (isDeadSocketError(error)) {
        guard.log(`[db] a database connection died under a query (postgres.js wrote to its closed socket); replacing the connection pool`);
        for (const renew of guard.pools) renew('dead socket');
        return;
      }
      if (process.listenerCount('uncaughtException') <= 1) {
        console.error(error);
        process.exit(1);
      }
    });
  }
  return guard;
}

/** The log line of the dead-socket guard (tests silence it). */
export function setDeadSocketLog(log: (line: string) => void): void {
  deadSocketGuard().log = log;
}

/**
 * libpq's way of naming a Unix socket in a URL, `postgres://user@localhost/db?host=/var/run/postgresql`,
 * which postgres.js does not read: the socket path for postgres.js, and the URL without the parameter.
 * Over a local socket each statement costs the app about a quarter less CPU than over loopback TCP.
 */
export function unixSocketOf(url: string): { url: string; socket: string | null } {
  const parsed = new URL(url);
  const dir = parsed.searchParams.get('host');
  if (!dir?.startsWith('/')) return { url, socket: null };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), socket: `${dir.replace(/\/$/, '')}/.s.PGSQL.${parsed.port || '5432'}` };
}

/**
 * Opens PostgreSQL through postgres.js. The returned `db` stays valid for the life of the handle
 * while the pool under it may be replaced (`renew`, or the dead-socket guard): a query on a dead
 * connection fails, and the next one gets a new connection. Dead connections are also dropped by
 * the pool's own timers (idle 30 s, lifetime 30 min) and connecting gives up after 10 s.
 */
export async function openPostgres(url: string, max?: number | PostgresOptions): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const options: PostgresOptions = typeof max === 'number' ? { max } : (max ?? {});
  const size = options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10);
  const { url: address, socket } = unixSocketOf(url);
  const make = () =>
    postgres(address, {
      ...(socket ? { path: socket } : {}),
      max: size,
      onnotice: () => {},
      idle_timeout: 30,
      max_lifetime: 30 * 60,
      connect_timeout: 10,
      ...(options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
    });
  let client = make();
  let inner = drizzle(preparingClient(client), { schema }) as unknown as Db;
  let closed = false;
  let renewedAt = 0;
  const subscriptions = new Set<{ channel: string; onPayload: (payload: string) => void; unlisten: (() => Promise<void>) | null }>();
  const guard = deadSocketGuard();

  const renew = (reason: string) => {
    // One burst of dead connections throws once per connection: replace the pool once for it.
    if (closed || performance.now() - renewedAt < 1_000) return;
    renewedAt = performance.now();
    const old = client;
    client = make();
    inner = drizzle(preparingClient(client), { schema }) as unknown as Db;
    guard.log(`[db] connection pool replaced (${reason})`);
    // Ends the old connections at once: the queries they still hold reject instead of hanging.
    old.end({ timeout: 0 }).catch(() => {});
    for (const sub of subscriptions) {
      sub.unlisten = null;
      client
        .listen(sub.channel, sub.onPayload)
        .then(({ unlisten }) => {
          if (subscriptions.has(sub)) sub.unlisten = unlisten;
          else void unlisten().catch(() => {});
        })
        .catch((error: unknown) => guard.log(`[db] LISTEN ${sub.channel} after replacing the pool failed: ${(error as Error).message}`));
    }
  };
  guard.pools.add(renew);

  const db = new Proxy({} as Db, {
    get(_, property) {
      const value = Reflect.get(inner, property, inner) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
    },
  });
  return {
    db,
    kind: 'postgres',
    renew,
    close: async () => {
      closed = true;
      guard.pools.delete(renew);
      subscriptions.clear();
      await client.end();
    },
    listen: async (channel, onPayload) => {
      const sub = { channel, onPayload, unlisten: null as (() => Promise<void>) | null };
      sub.unlisten = (await client.listen(channel, onPayload)).unlisten;
      subscriptions.add(sub);
      return async () => {
        subscriptions.delete(sub);
        await sub.unlisten?.();
      };
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
    renew: () => {},
    // PGlite delivers NOTIFY to listeners of the same (single) process.
    listen: (channel, onPayload) => client.listen(channel, onPayload),
  };
}

/** How long one statement of the app and the worker may run: DATABASE_STATEMENT_TIMEOUT_MS, default 30 s. */
export function serviceStatementTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.DATABASE_STATEMENT_TIMEOUT_MS ?? 30_000);
  return Number.isSafeInteger(n) && n > 0 ? n : 30_000;
}

/**
 * The configured database: PostgreSQL when DATABASE_URL is set, otherwise PGlite in `.data/pglite`.
 * `postgres` options apply to PostgreSQL only (the app and the worker pass a statement timeout;
 * migrations and the seed do not).
 */
export function openConfiguredDb(postgresOptions: PostgresOptions = {}): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openPostgres(url, postgresOptions) : openPglite(process.env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR);
}

const globalForDb = globalThis as unknown as { refundDeskDb?: Promise<DbHandle> };

/** The shared handle, opened lazily on first use (never at import: `next build` evaluates modules). */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.refundDeskDb ??= openConfiguredDb({ statementTimeoutMs: serviceStatementTimeoutMs() }).catch((error: unknown) => {
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

const dialect = new PgDialect();

/**
 * A statement whose text is built once, on its first call: `build` writes it with
 * `sql.placeholder(name)` where its values go, and each call fills them in from `values` and sends
 * it through `db` (a transaction included), on either driver, its rows as `queryRows` gives them.
 * For the hot paths: drizzle otherwise builds a query's text afresh on every call, the largest
 * part of the app's CPU per decision (bench/decisions/results.md). The values reach the driver as
 * they are (numbers, strings, booleans, null): write a Date as its ISO text with a cast in the SQL,
 * and JSON as its text with `::jsonb`.
 */
export function builtOnce<T, V extends Record<string, unknown> = Record<string, unknown>>(
  build: () => SQL,
): (db: Db | Tx, values: V) => Promise<T[]> {
  let query: Query | undefined;
  return async (db, values) => {
    query ??= dialect.sqlToQuery(build());
    const result = (await db._.session.prepareQuery(query, undefined, undefined, false).execute(values)) as unknown;
    return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
  };
}

/**
 * `insert into <table> (<columns>) select <columns> from jsonb_populate_recordset(null::<table>, $1)`:
 * the rows go as ONE jsonb parameter, typed by the table itself, so the statement's text is the
 * same whatever the number of rows (statement-cache.ts prepares it once it repeats) instead of one
 * placeholder per value. The columns are the keys of the first row (every row gives the same
 * keys; a column not given is NULL, not its default). Values travel as JSON, as exact as
 * drizzle's own parameters: a Date as its ISO text, numeric as its decimal string, a jsonb column
 * as the JSON itself, null as SQL NULL. Add `on conflict …` and `returning …` after it.
 */
export function insertAsJson<T extends PgTable>(table: T, rows: readonly T['$inferInsert'][]): SQL {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0] ?? {});
  const name = (key: string) => {
    const column = columns[key];
    if (!column) throw new Error(`insertAsJson: "${key}" is not a column of this table.`);
    return column.name;
  };
  const names = sql.raw(keys.map((k) => `"${name(k)}"`).join(', '));
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(keys.map((k) => [name(k), (row as Record<string, unknown>)[k] ?? null]))),
  );
  return sql`insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, ${json}::jsonb)`;
}

/**
 * Runs `work` in a read transaction whose prepared statements (db/statement-cache.ts) keep their
 * generic plan: PostgreSQL otherwise plans a statement with parameters afresh on each execution while
 * it finds the generic plan costlier, and for a join of many tables that planning can cost more than
 * running it. Only for statements whose best plan does not depend on the values (lookups by key, a
 * keyset page read off its index, with a constant LIMIT).
 */
export function withGenericPlans<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    return work(tx);
  });
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

/**
 * Whether an error says the connection to the database was lost (not that a statement failed):
 * postgres.js' CONNECTION_* codes, a refused or reset socket, or a backend terminated (57P0x, 08xxx).
 */
export function isConnectionError(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = e.cause as typeof e, depth += 1
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^(CONNECTION_|CONNECT_TIMEOUT|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)/.test(code) || /^(57P0|08)/.test(code)) return true;
  }
  return false;
}

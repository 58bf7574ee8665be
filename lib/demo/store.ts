/**
 * Where the seed's rows go: one transaction for everything (setup, every batch, the audit row), so
 * a failed run leaves nothing behind. PostgreSQL gets COPY on a connection of our own, PGlite
 * multi-row INSERTs. Batches are prepared (generated and encoded) while earlier ones are written,
 * so the database rarely waits for us.
 *
 * Not parallel connections on purpose: statement triggers keep per-status ticket counts in one
 * small table (migration 0007), so two transactions inserting tickets at once would queue on the
 * same counter rows until the first commits.
 */
import net from 'node:net';
import { sql, type Table } from 'drizzle-orm';
import type { Sql, TransactionSql } from 'postgres';
import { queryRows, schema, type DbHandle, type Tx } from '@/db';
import { BULK_TABLES, type BulkKey } from './tables';
import { copyEncoded, encodeForCopy, type CopyData } from './write-copy';
import { insertRows } from './write-insert';

/** One table's rows of a batch, ready for the store (COPY text, or the rows themselves). */
export interface PreparedTable {
  key: BulkKey;
  payload: CopyData | readonly object[] | null;
}

export interface SeedStore {
  /** Prepares a table's rows; encoding may take several steps (drive it with a time-slicing loop). */
  prepare(key: BulkKey, rows: readonly object[]): Generator<void, PreparedTable, void>;
  /** Hands over a prepared batch; resolves when the store can take the next one (back-pressure). */
  submit(batch: readonly PreparedTable[]): Promise<void>;
  /** Milliseconds spent writing each table, summed over batches (wall time). */
  readonly timings: Record<string, number>;
}

export interface SeedPhases {
  /** Checks and small inserts before the batches (first thing in the transaction). */
  setup: (tx: Tx) => Promise<void>;
  /** Makes and submits every batch. */
  produce: (store: SeedStore) => Promise<void>;
  /** After every batch is in: sequences, the audit row. */
  finish: (tx: Tx) => Promise<void>;
}

const tableOf = new Map<BulkKey, Table>(BULK_TABLES.map((t) => [t.key, t.table]));

/** Session settings for bulk loading inside a transaction. */
async function tuneForBulk(sql: TransactionSql): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`;
  // Trigram (GIN) indexes take new rows into a pending list; a bigger list is merged less often.
  await sql`SET LOCAL gin_pending_list_limit = '64MB'`;
  await sql`SET LOCAL work_mem = '128MB'`;
}

/** A drizzle view of a postgres.js transaction (drizzle needs `unsafe` and the client's options). */
function drizzleOn(sql: TransactionSql, client: Sql, drizzle: typeof import('drizzle-orm/postgres-js').drizzle): Tx {
  const txClient = { unsafe: sql.unsafe.bind(sql), options: client.options };
  return drizzle(txClient as unknown as Sql, { schema }) as unknown as Tx;
}

/**
 * A TCP connection with Nagle's algorithm off. A COPY ends with a 5-byte CopyDone written after
 * the data; with Nagle on it waits for the server's (delayed) ACK of the data: ~90 ms per COPY
 * statement here, most of a million-ticket run's time. Unix sockets are used as they are.
 */
function connectNoDelay(options: { host?: readonly string[]; port?: readonly number[]; path?: string }): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = options.path
      ? net.connect({ path: options.path })
      : net.connect({ host: options.host?.[0] ?? 'localhost', port: options.port?.[0] ?? 5432, noDelay: true });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Which database a connection is on: name, server port and server start time. */
const WHO = 'select current_database() as db, inet_server_port() as port, pg_postmaster_start_time()::text as started';

/**
 * Runs the phases against `handle`: COPY through `url` (PostgreSQL) when it reaches the same
 * database as the handle, INSERTs through the handle otherwise. Returns the write timings.
 */
export async function runSeedPhases(
  handle: DbHandle,
  url: string | undefined,
  phases: SeedPhases,
  log: (line: string) => void = () => {},
): Promise<Record<string, number>> {
  if (handle.kind !== 'postgres' || !url) return runInserts(handle, phases);
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // COPY needs the postgres.js client itself, which the handle does not expose: open our own.
  // (`socket` is a documented postgres.js option that its type definitions leave out.)
  const client = postgres(url, { max: 1, onnotice: () => {}, socket: connectNoDelay } as Parameters<typeof postgres>[1]);
  try {
    const [mine] = await client.unsafe(WHO);
    const [theirs] = await queryRows<Record<string, unknown>>(handle.db, sql.raw(WHO));
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      log(`  ${url.replace(/\/\/[^@/]*@/, '//…@')} is not the handle's database: writing with INSERTs instead of COPY.`);
      return await runInserts(handle, phases);
    }
    return await runCopy(client, drizzle, phases);
  } finally {
    await client.end();
  }
}

/** PGlite (or PostgreSQL without a URL): everything in one transaction, multi-row INSERTs. */
async function runInserts(handle: DbHandle, phases: SeedPhases): Promise<Record<string, number>> {
  return handle.db.transaction(async (tx) => {
    await phases.setup(tx);
    const store = sequentialStore(
      function* (key, rows) {
        return { key, payload: rows }; // nothing to encode ahead for INSERTs
      },
      (item) => insertRows(tx, tableOf.get(item.key)!, item.payload as readonly object[]),
    );
    await phases.produce(store);
    await store.drain();
    await phases.finish(tx);
    return store.timings;
  });
}

function* prepareCopy(key: BulkKey, rows: readonly object[]): Generator<void, PreparedTable, void> {
  return { key, payload: yield* encodeForCopy(tableOf.get(key)!, rows) };
}

/** PostgreSQL: one transaction, COPY. */
async function runCopy(
  client: Sql,
  drizzle: typeof import('drizzle-orm/postgres-js').drizzle,
  phases: SeedPhases,
): Promise<Record<string, number>> {
  return client.begin(async (sql) => {
    await tuneForBulk(sql);
    const tx = drizzleOn(sql, client, drizzle);
    await phases.setup(tx);
    const store = sequentialStore(prepareCopy, (item) => (item.payload ? copyEncoded(sql, item.payload as CopyData) : Promise.resolve()));
    await phases.produce(store);
    await store.drain();
    await phases.finish(tx);
    return store.timings;
  }) as Promise<Record<string, number>>;
}

/**
 * A store that writes batches one after the other, in order, while the producer runs up to
 * `depth` batches ahead (prepared batches are compact bytes, so a few in hand cost little and
 * smooth out the producer's slow moments).
 */
function sequentialStore(
  prepare: SeedStore['prepare'],
  write: (item: PreparedTable) => Promise<void>,
  depth = 3,
): SeedStore & { drain: () => Promise<void> } {
  const timings: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let tail: Promise<void> = Promise.resolve();
  return {
    prepare,
    timings,
    async submit(batch) {
      tail = tail.then(() => writeBatch(batch, write, timings));
      tail.catch(() => {}); // surfaced by a later submit or by drain
      pending.push(tail);
      while (pending.length > depth) await pending.shift();
    },
    drain: () => tail,
  };
}

async function writeBatch(batch: readonly PreparedTable[], write: (item: PreparedTable) => Promise<void>, timings: Record<string, number>) {
  for (const item of batch) {
    const t0 = performance.now();
    await write(item);
    timings[item.key] = (timings[item.key] ?? 0) + performance.now() - t0;
  }
}

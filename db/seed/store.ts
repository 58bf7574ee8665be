/**
 * Where the seed's rows go, and in which transactions.
 *
 * - One transaction (PGlite; PostgreSQL with one writer): setup, every batch and the audit row
 *   commit together; the next batch is prepared while the previous one is written.
 * - Parallel (PostgreSQL, several writers): the setup (staff, services) commits first, so every
 *   writer sees it; each writer connection then COPYs whole batches in its own transaction, and
 *   all of them commit only once every batch is in (a failing writer rolls them all back and the
 *   setup's services are removed again); a last transaction sets the sequences and writes the
 *   audit row. Foreign-key checks, most of the database's work here, then run on several cores.
 */
import type { Table } from 'drizzle-orm';
import type { Sql, TransactionSql } from 'postgres';
import { schema, type DbHandle, type Tx } from '@/db';
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
  /** Milliseconds spent writing each table, summed over batches (wall time, across writers). */
  readonly timings: Record<string, number>;
}

export interface SeedPhases {
  /** Checks and small inserts before the batches (runs first, in its own or the only transaction). */
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

/** Runs the phases against `handle`: COPY through `url` when given (PostgreSQL), INSERTs otherwise. Returns the write timings. */
export async function runSeedPhases(handle: DbHandle, url: string | undefined, writers: number, phases: SeedPhases): Promise<Record<string, number>> {
  if (handle.kind !== 'postgres' || !url) return runInserts(handle, phases);
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // COPY needs the postgres.js client itself, which the handle does not expose: open our own.
  const client = postgres(url, { max: Math.max(1, writers), onnotice: () => {} });
  try {
    return writers <= 1 ? await runCopySingle(client, drizzle, phases) : await runCopyParallel(client, drizzle, writers, phases);
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

/** PostgreSQL, one connection: one transaction, COPY. */
async function runCopySingle(client: Sql, drizzle: typeof import('drizzle-orm/postgres-js').drizzle, phases: SeedPhases): Promise<Record<string, number>> {
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

/** A store that writes one batch at a time, while the producer prepares the next. */
function sequentialStore(
  prepare: SeedStore['prepare'],
  write: (item: PreparedTable) => Promise<void>,
): SeedStore & { drain: () => Promise<void> } {
  const timings: Record<string, number> = {};
  let writing: Promise<void> = Promise.resolve();
  return {
    prepare,
    timings,
    async submit(batch) {
      await writing;
      writing = writeBatch(batch, write, timings);
      writing.catch(() => {}); // surfaced by the next submit or by drain
    },
    drain: () => writing,
  };
}

async function writeBatch(batch: readonly PreparedTable[], write: (item: PreparedTable) => Promise<void>, timings: Record<string, number>) {
  for (const item of batch) {
    const t0 = performance.now();
    await write(item);
    timings[item.key] = (timings[item.key] ?? 0) + performance.now() - t0;
  }
}

/** PostgreSQL, several connections: see the module comment. */
async function runCopyParallel(
  client: Sql,
  drizzle: typeof import('drizzle-orm/postgres-js').drizzle,
  writers: number,
  phases: SeedPhases,
): Promise<Record<string, number>> {
  await client.begin(async (sql) => phases.setup(drizzleOn(sql, client, drizzle)));

  const timings: Record<string, number> = {};
  const queue = new BatchQueue<readonly PreparedTable[]>(writers);
  // Each writer waits here before committing: all of them commit, or (on any failure) none does.
  let finishedWriters = 0;
  let release!: () => void;
  let abort!: (error: unknown) => void;
  const allWritten = new Promise<void>((resolve, reject) => {
    release = resolve;
    abort = reject;
  });
  allWritten.catch(() => {});

  const writerRuns = Array.from({ length: writers }, () =>
    client
      .begin(async (sql) => {
        await tuneForBulk(sql);
        const write = (item: PreparedTable) => (item.payload ? copyEncoded(sql, item.payload as CopyData) : Promise.resolve());
        for (let batch = await queue.take(); batch; batch = await queue.take()) await writeBatch(batch, write, timings);
        if (++finishedWriters === writers) release();
        await allWritten;
      })
      .catch((error: unknown) => {
        queue.fail(error);
        abort(error);
        throw error;
      }),
  );

  try {
    await phases.produce({ prepare: prepareCopy, timings, submit: (batch) => queue.push(batch) });
    queue.close();
  } catch (error) {
    queue.fail(error);
    abort(error);
  }
  const failure = (await Promise.allSettled(writerRuns)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    // No batch was committed: take the services out again so the database is as empty as before.
    await client`delete from services`.catch(() => {});
    throw failure.reason;
  }
  await client.begin(async (sql) => phases.finish(drizzleOn(sql, client, drizzle)));
  return timings;
}

/** A small bounded queue between the producer and the writers. */
class BatchQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T | null) => void)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private closed = false;
  private error: unknown = null;

  constructor(private readonly capacity: number) {}

  /** Adds an item, waiting while the queue is full; throws once a writer has failed. */
  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && this.error === null) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.error !== null) throw this.error;
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.items.push(item);
  }

  /** The next item; null once the queue is closed and empty, or has failed. */
  take(): Promise<T | null> {
    if (this.error !== null) return Promise.resolve(null);
    const item = this.items.shift();
    if (item !== undefined) {
      this.spaceWaiters.shift()?.();
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise<T | null>((resolve) => this.takers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker(null);
  }

  fail(error: unknown): void {
    this.error ??= error;
    for (const taker of this.takers.splice(0)) taker(null);
    for (const waiter of this.spaceWaiters.splice(0)) waiter();
  }
}

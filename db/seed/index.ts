/**
 * Fills an empty, migrated database with realistic, deterministic SMM-panel data: services,
 * customers, orders with their timelines, payments, tickets with messages, findings and
 * screenshots, and the demo staff. Same seed + same anchor + same ticket count → same data.
 *
 * Tickets are generated in blocks of BLOCK_TICKETS (customers never span blocks) and written in
 * batches: COPY on PostgreSQL, multi-row INSERTs on PGlite, all in one transaction, so memory stays
 * flat and a failed run leaves nothing behind. The next batch is generated while the previous one
 * is being written.
 */
import { sql, type Table } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { queryRows, schema, type DbHandle, type Tx } from '@/db';
import { services as servicesTable } from '@/db/schema';
import { record } from '@/lib/audit';
import type { TicketFacts } from '@/lib/tickets/policy-input';
import { CATALOG, categoryOf } from './catalog';
import { EvidencePool } from './evidence-pool';
import { BLOCK_TICKETS, blockSteps, customersForBlock, type GenEnv } from './generate';
import { rateToDecimal } from './money';
import { type Block, type IdCursor, type SeedService, type TicketRow } from './rows';
import { ensureDemoStaff } from './staff';
import { BULK_TABLES, tableName, type BulkKey, type ReadyBlock } from './tables';
import { copyEncoded, encodeForCopy } from './write-copy';
import { insertRows } from './write-insert';

export { DEMO_STAFF, demoPassword } from './staff';

/** What the policy check (or anything else) may fill in on a ticket while it is generated. */
export type TicketAnnotation = Partial<
  Pick<TicketRow, 'eligibilityDeadline' | 'suggestedOutcome' | 'suggestedAmount' | 'suggestion' | 'amountAtStake'>
>;
export type AnnotateHook = (facts: TicketFacts, context: { now: Date }) => TicketAnnotation | Promise<TicketAnnotation>;

export interface SeedOptions {
  /** Tickets to make (default 300). */
  tickets?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** The "today" the data is relative to, `YYYY-MM-DD` (default: today, UTC). Data ends at its 00:00 UTC. */
  anchor?: string | Date;
  log?: (line: string) => void;
  /** Called with each ticket's facts; what it returns is stored on the ticket. */
  annotate?: AnnotateHook;
  /** PostgreSQL URL for COPY; defaults to the handle's `url` (test databases) or DATABASE_URL. */
  databaseUrl?: string;
  /** Where screenshots go (default: EVIDENCE_DIR or .data/evidence). */
  evidenceDir?: string;
  /** At most this many distinct screenshots per run; later evidence rows reuse them (default 600). */
  maxDistinctImages?: number;
}

export interface SeedCounts {
  /** Demo staff accounts created by this run (existing ones are kept). */
  staffUsers: number;
  services: number;
  customers: number;
  payments: number;
  orders: number;
  orderEvents: number;
  tickets: number;
  ticketMessages: number;
  ticketFindings: number;
  evidence: number;
  /** Distinct screenshot files rendered and stored. */
  evidenceFiles: number;
}

export interface SeedResult {
  counts: SeedCounts;
  /** The anchor date used, `YYYY-MM-DD`. */
  anchor: string;
  seconds: number;
  peakRssMb: number;
}

/** The database is not empty: seeding refuses rather than mixing demo data into real data. */
export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

/** Blocks generated and written together (while one batch is written, the next is made). */
const BATCH_BLOCKS = 4;

export async function seedDatabase(handle: DbHandle, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const tickets = options.tickets ?? 300;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(tickets) || tickets < 0) throw new RangeError(`tickets must be a whole number ≥ 0, not ${tickets}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, not ${seed}`);
  const anchor = parseAnchor(options.anchor);
  const anchorMs = Date.parse(`${anchor}T00:00:00Z`);
  const log = options.log ?? (() => {});
  const url = handle.kind === 'postgres' ? (options.databaseUrl ?? (handle as { url?: string }).url ?? process.env.DATABASE_URL) : undefined;

  const counts: SeedCounts = {
    staffUsers: 0,
    services: 0,
    customers: 0,
    payments: 0,
    orders: 0,
    orderEvents: 0,
    tickets: 0,
    ticketMessages: 0,
    ticketFindings: 0,
    evidence: 0,
    evidenceFiles: 0,
  };

  log(`Seeding ${tickets.toLocaleString('en-US')} tickets (seed ${seed}, anchor ${anchor}) into ${handle.kind}${url ? ' with COPY' : ''}…`);

  await withSink(handle, url, async ({ tx, prepare }) => {
    await refuseUnlessEmpty(tx);

    const staff = await ensureDemoStaff(tx, new Date(Math.min(Date.now(), anchorMs) - 180 * 86_400_000));
    counts.staffUsers = staff.created;

    const services: SeedService[] = CATALOG.map((s, i) => ({ ...s, id: i + 1 }));
    const servicesJob = await runSliced(
      prepare(
        servicesTable,
        services.map((s) => ({
        id: s.id,
        externalId: s.externalId,
        name: s.name,
        platform: s.platform,
        category: categoryOf(s),
        ratePer1000: rateToDecimal(s.rateE4),
        currency: 'USD',
        minQuantity: s.min,
        maxQuantity: s.max,
        refillDays: s.refillDays,
        reviewWindowDays: s.reviewWindowDays,
        isCancelAllowed: s.isCancelAllowed,
        })),
      ),
    );
    await servicesJob();
    counts.services = services.length;

    const blocks = Math.ceil(tickets / BLOCK_TICKETS);
    const blockSize = (b: number) => Math.min(BLOCK_TICKETS, tickets - b * BLOCK_TICKETS);
    let totalCustomers = 0;
    for (let b = 0; b < blocks; b++) {
      const c = customersForBlock(blockSize(b));
      totalCustomers += c.withTickets + c.idle;
    }
    const env: GenEnv = { seed, anchorMs, services, staff: staff.ids, usernameDigits: Math.max(3, String(totalCustomers).length) };
    const ids: IdCursor = { customer: 0, order: 0, orderEvent: 0, payment: 0, ticket: 0, message: 0, evidence: 0, customerIndex: 0 };
    const pool = new EvidencePool(options.maxDistinctImages ?? 600, seed, options.evidenceDir);
    const servicesById = new Map(services.map((s) => [s.id, s]));
    const now = new Date(anchorMs);

    let writing: Promise<void> = Promise.resolve();
    let encodeMs = 0;
    let lastLog = 0;
    let generateMs = 0;
    const writeMs: Record<string, number> = {};
    for (let b = 0; b < blocks; b += BATCH_BLOCKS) {
      // Generate the next batch while the previous one is still being written.
      const generated: Block[] = [];
      for (let k = b; k < Math.min(blocks, b + BATCH_BLOCKS); k++) {
        const t0 = performance.now();
        generated.push(await runSliced(blockSteps(env, k, blockSize(k), ids)));
        generateMs += performance.now() - t0;
      }
      const merged = mergeBlocks(generated);
      const ready: ReadyBlock = { ...merged, evidence: await pool.resolve(merged.evidence) };
      if (options.annotate) await annotateBlock(ready, servicesById, options.annotate, now);

      // Encode while the database still works on the previous batch.
      const t0 = performance.now();
      const jobs: { key: BulkKey; job: Job }[] = [];
      for (const { key, table } of BULK_TABLES) jobs.push({ key, job: await runSliced(prepare(table, ready[key])) });
      encodeMs += performance.now() - t0;

      await writing;
      writing = runJobs(jobs, writeMs);
      writing.catch(() => {}); // awaited above on the next turn, or after the loop
      for (const { key } of BULK_TABLES) counts[key] += ready[key].length;
      counts.evidenceFiles = pool.size;

      const seconds = (performance.now() - started) / 1000;
      if (counts.tickets === tickets || seconds - lastLog >= 10 || tickets <= 50_000) {
        lastLog = seconds;
        const done = `${counts.tickets.toLocaleString('en-US')}/${tickets.toLocaleString('en-US')} tickets`;
        log(`  ${done} generated, ${rowTotal(counts).toLocaleString('en-US')} rows, ${seconds.toFixed(1)} s, rss ${rssMb()} MB`);
      }
    }
    await writing;
    if (tickets >= 10_000) {
      const parts = Object.entries(writeMs).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`);
      log(
        `  seconds generating ${(generateMs / 1000).toFixed(1)}, encoding ${(encodeMs / 1000).toFixed(1)}; ` +
          `writing (wall, overlaps the next batch) ${parts.join(', ')}`,
      );
    }

    for (const { table, hasId } of [{ table: servicesTable as Table, hasId: true }, ...BULK_TABLES]) {
      if (!hasId) continue;
      const name = tableName(table);
      await tx.execute(
        sql.raw(`select setval(pg_get_serial_sequence('"${name}"', 'id'), greatest(coalesce(max(id), 0), 1), max(id) is not null) from "${name}"`),
      );
    }

    await record(tx, {
      actor: { id: null, label: 'seed', role: null },
      action: 'seed.run',
      entityType: 'database',
      after: { counts, seed, anchor, tickets },
      origin: { via: 'seed' },
    });
  });

  const seconds = (performance.now() - started) / 1000;
  const result: SeedResult = { counts, anchor, seconds, peakRssMb: peakRssMb() };
  log(
    `Seeded in ${seconds.toFixed(1)} s (peak rss ${result.peakRssMb} MB): ` +
      Object.entries(counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', '),
  );
  return result;
}

/** Writes one table's rows of a batch. */
type Job = () => Promise<void>;
/** Turns rows into a write job; encoding may take several steps (see runSliced). */
type Prepare = (table: Table, rows: readonly object[]) => Generator<void, Job, void>;

/** Runs `fn` in one transaction, with a bulk writer for it: COPY on PostgreSQL (given a URL), INSERTs otherwise. */
async function withSink(handle: DbHandle, url: string | undefined, fn: (sink: { tx: Tx; prepare: Prepare }) => Promise<void>): Promise<void> {
  if (handle.kind === 'postgres' && url) {
    // COPY needs the postgres.js client itself, which the handle does not expose: open our own.
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await client.begin(async (sqlTx) => {
        await sqlTx`SET LOCAL synchronous_commit = off`;
        // Trigram (GIN) indexes take new rows into a pending list; a bigger list is merged less often.
        await sqlTx`SET LOCAL gin_pending_list_limit = '64MB'`;
        await sqlTx`SET LOCAL work_mem = '128MB'`;
        // The same transaction, seen through drizzle, for the staff, the checks and the audit row.
        // drizzle needs `unsafe` and the client's `options` (a transaction object has no options).
        const txClient = { unsafe: sqlTx.unsafe.bind(sqlTx), options: client.options };
        const tx = drizzle(txClient as unknown as Sql, { schema }) as unknown as Tx;
        await fn({
          tx,
          prepare: function* (table, rows) {
            const data = yield* encodeForCopy(table, rows);
            return () => (data ? copyEncoded(sqlTx, data) : Promise.resolve());
          },
        });
      });
    } finally {
      await client.end();
    }
    return;
  }
  await handle.db.transaction(async (tx) =>
    fn({
      tx,
      // Nothing to encode ahead for INSERTs.
      prepare: function* (table, rows) {
        return () => insertRows(tx, table, rows);
      },
    }),
  );
}

async function refuseUnlessEmpty(tx: Tx): Promise<void> {
  const [migrated] = await queryRows<{ ok: boolean }>(tx, sql`select to_regclass('public.tickets') is not null as ok`);
  if (!migrated?.ok) throw new SeedRefusedError('The database is not migrated yet: run `npm run db:migrate` first.');
  for (const table of ['tickets', 'customers', 'orders', 'payments', 'services']) {
    const [row] = await queryRows<{ found: boolean }>(tx, sql.raw(`select exists(select 1 from "${table}") as found`));
    if (row?.found) {
      throw new SeedRefusedError(
        `The database already has ${table}; the seed only fills an empty, migrated database. ` +
          'Use a fresh database (drop and re-create it, then migrate) to seed again.',
      );
    }
  }
}

/** Runs a batch's jobs table by table, adding the time each took to `timings` (ms by table). */
async function runJobs(jobs: readonly { key: BulkKey; job: Job }[], timings: Record<string, number>): Promise<void> {
  for (const { key, job } of jobs) {
    const t0 = performance.now();
    await job();
    timings[key] = (timings[key] ?? 0) + performance.now() - t0;
  }
}

function mergeBlocks(blocks: Block[]): Block {
  if (blocks.length === 1) return blocks[0]!;
  const out = {} as Block;
  for (const key of Object.keys(blocks[0]!) as (keyof Block)[]) {
    (out[key] as unknown[]) = blocks.flatMap((b) => b[key] as unknown[]);
  }
  return out;
}

/** Builds each ticket's facts (as lib/tickets/policy-input.ts defines them) and applies the hook. */
async function annotateBlock(block: ReadyBlock, services: Map<number, SeedService>, annotate: AnnotateHook, now: Date): Promise<void> {
  const orders = new Map(block.orders.map((o) => [o.id, o]));
  const payments = new Map(block.payments.map((p) => [p.id, p]));
  const customers = new Map(block.customers.map((c) => [c.id, c]));
  const findings = new Map(block.ticketFindings.map((f) => [f.ticketId, f]));
  const evidenceCount = new Map<number, number>();
  for (const e of block.evidence) evidenceCount.set(e.ticketId, (evidenceCount.get(e.ticketId) ?? 0) + 1);
  // Refund requests in the 90 days before each ticket (customers never span blocks).
  const openedByCustomer = new Map<number, number[]>();
  for (const t of block.tickets) openedByCustomer.set(t.customerId, [...(openedByCustomer.get(t.customerId) ?? []), t.openedAt.getTime()]);
  const window = 90 * 86_400_000;

  for (const ticket of block.tickets) {
    const order = ticket.orderId === null ? undefined : orders.get(ticket.orderId);
    const service = order ? services.get(order.serviceId) : undefined;
    const customer = customers.get(ticket.customerId)!;
    const opened = ticket.openedAt.getTime();
    const facts: TicketFacts = {
      ticket,
      order: order && service ? { ...order, service } : null,
      payment: (ticket.paymentId === null ? undefined : payments.get(ticket.paymentId)) ?? null,
      customer,
      refundRequests90d: (openedByCustomer.get(ticket.customerId) ?? []).filter((t) => t < opened && t >= opened - window).length,
      evidenceCount: evidenceCount.get(ticket.id) ?? 0,
      findings: findings.get(ticket.id) ?? null,
    };
    Object.assign(ticket, await annotate(facts, { now }));
  }
}

/** `YYYY-MM-DD` of the anchor; today (UTC) when none is given. */
export function parseAnchor(anchor: string | Date | undefined): string {
  if (anchor === undefined) return new Date().toISOString().slice(0, 10);
  if (anchor instanceof Date) {
    if (Number.isNaN(anchor.getTime())) throw new RangeError('anchor is an invalid date');
    return anchor.toISOString().slice(0, 10);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(anchor);
  const date = match ? new Date(`${anchor}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== anchor) {
    throw new RangeError(`anchor must be a date as YYYY-MM-DD, not "${anchor}"`);
  }
  return anchor;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a stepwise computation, letting I/O through every few milliseconds. */
async function runSliced<T>(steps: Generator<void, T, void>, sliceMs = 8): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= until) {
      await yieldToIo();
      until = performance.now() + sliceMs;
    }
  }
}
const rssMb = () => Math.round(process.memoryUsage.rss() / 1048576);
/** The highest resident set size of this process so far. */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rowTotal = (c: SeedCounts) =>
  c.customers + c.payments + c.orders + c.orderEvents + c.tickets + c.ticketMessages + c.ticketFindings + c.evidence;

/**
 * Fills an empty, migrated database with realistic, deterministic SMM-panel data: services,
 * customers, orders with their timelines, payments, tickets with messages, findings and
 * screenshots, and the demo staff. Same seed + same anchor + same ticket count → same data.
 *
 * Tickets are generated in blocks of BLOCK_TICKETS (customers never span blocks) and written in
 * batches, so memory stays flat: COPY on PostgreSQL, multi-row INSERTs on PGlite, all in one
 * transaction, so a failed run leaves nothing behind; the next batch is made while the previous one
 * is written (see store.ts).
 */
import { sql, type Table } from 'drizzle-orm';
import { queryRows, type DbHandle, type Tx } from '@/db';
import { services as servicesTable, staffUsers } from '@/db/schema';
import { record } from '@/lib/audit';
import type { TicketFacts } from '@/lib/tickets/policy-input';
import { CATALOG, categoryOf } from './catalog';
import { seedDecisionHistory } from './decision-history';
import { EvidencePool } from './evidence-pool';
import { BLOCK_TICKETS, blockSteps, customersForBlock, type GenEnv } from './generate';
import { rateToDecimal } from './money';
import type { Block, IdCursor, SeedService, StaffIds, TicketRow } from './rows';
import { ensureDemoStaff } from './staff';
import { runSeedPhases, type PreparedTable, type SeedStore } from './store';
import { BULK_TABLES, tableName, type ReadyBlock } from './tables';
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
  /**
   * PostgreSQL URL for COPY; defaults to the handle's `url` (test databases) or DATABASE_URL. When
   * it does not lead to the handle's database, the seed writes through the handle (INSERTs).
   */
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
const BATCH_BLOCKS = 2;
const DAY_MS = 86_400_000;

/** The service rows of the catalogue. */
const serviceRow = (s: SeedService) => ({
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
});

export async function seedDatabase(handle: DbHandle, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const tickets = options.tickets ?? 300;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(tickets) || tickets < 0) throw new RangeError(`tickets must be a whole number ≥ 0, not ${tickets}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, not ${seed}`);
  const anchor = parseAnchor(options.anchor);
  const anchorMs = Date.parse(`${anchor}T00:00:00Z`);
  const log = options.log ?? (() => {});
  const url =
    handle.kind === 'postgres' ? (options.databaseUrl ?? (handle as { url?: string }).url ?? process.env.DATABASE_URL) : undefined;

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

  const services: SeedService[] = CATALOG.map((s, i) => ({ ...s, id: i + 1 }));
  let staff: StaffIds = { agents: [], supervisors: [], admins: [], former: null };

  const setup = async (tx: Tx) => {
    await refuseUnlessEmpty(tx);
    const demo = await ensureDemoStaff(tx, new Date(Math.min(Date.now(), anchorMs) - 180 * DAY_MS));
    staff = demo.ids;
    counts.staffUsers = demo.created;
    await insertRows(tx, servicesTable, services.map(serviceRow));
    counts.services = services.length;
  };

  const produce = async (store: SeedStore) => {
    const blocks = Math.ceil(tickets / BLOCK_TICKETS);
    const blockSize = (b: number) => Math.min(BLOCK_TICKETS, tickets - b * BLOCK_TICKETS);
    let totalCustomers = 0;
    for (let b = 0; b < blocks; b++) {
      const c = customersForBlock(blockSize(b));
      totalCustomers += c.withTickets + c.idle;
    }
    const env: GenEnv = { seed, anchorMs, services, staff, usernameDigits: Math.max(3, String(totalCustomers).length) };
    const ids: IdCursor = { customer: 0, order: 0, orderEvent: 0, payment: 0, ticket: 0, message: 0, evidence: 0, customerIndex: 0 };
    const pool = new EvidencePool(options.maxDistinctImages ?? 600, seed, options.evidenceDir);
    const servicesById = new Map(services.map((s) => [s.id, s]));
    const now = new Date(anchorMs);
    let lastLog = 0;
    let generateMs = 0;
    let encodeMs = 0;

    for (let b = 0; b < blocks; b += BATCH_BLOCKS) {
      // Made while the store still writes earlier batches.
      let t0 = performance.now();
      const generated: Block[] = [];
      for (let k = b; k < Math.min(blocks, b + BATCH_BLOCKS); k++) generated.push(await runSliced(blockSteps(env, k, blockSize(k), ids)));
      generateMs += performance.now() - t0;
      const merged = mergeBlocks(generated);
      const ready: ReadyBlock = { ...merged, evidence: await pool.resolve(merged.evidence) };
      if (options.annotate) await annotateBlock(ready, servicesById, options.annotate, now);

      t0 = performance.now();
      const batch: PreparedTable[] = [];
      for (const { key } of BULK_TABLES) batch.push(await runSliced(store.prepare(key, ready[key])));
      encodeMs += performance.now() - t0;
      await store.submit(batch);

      for (const { key } of BULK_TABLES) counts[key] += ready[key].length;
      counts.evidenceFiles = pool.size;
      const seconds = (performance.now() - started) / 1000;
      if (counts.tickets === tickets || seconds - lastLog >= 10 || tickets <= 50_000) {
        lastLog = seconds;
        const done = `${counts.tickets.toLocaleString('en-US')}/${tickets.toLocaleString('en-US')} tickets`;
        log(`  ${done} generated, ${rowTotal(counts).toLocaleString('en-US')} rows, ${seconds.toFixed(1)} s, rss ${rssMb()} MB`);
      }
    }
    if (tickets >= 10_000) {
      log(`  seconds generating ${(generateMs / 1000).toFixed(1)}, encoding ${(encodeMs / 1000).toFixed(1)}`);
    }
  };

  const finish = async (tx: Tx) => {
    for (const { table, hasId } of [
      { table: staffUsers as Table, hasId: true },
      { table: servicesTable as Table, hasId: true },
      ...BULK_TABLES,
    ]) {
      if (!hasId) continue;
      const name = tableName(table);
      await tx.execute(
        sql.raw(
          `select setval(pg_get_serial_sequence('"${name}"', 'id'), greatest(coalesce(max(id), 0), 1), max(id) is not null) from "${name}"`,
        ),
      );
    }
    await record(tx, {
      actor: { id: null, label: 'seed', role: null },
      action: 'seed.completed',
      entityType: 'database',
      after: { counts, seed, anchor, tickets },
      origin: { via: 'seed' },
    });
  };

  const timings = await runSeedPhases(handle, url, { setup, produce, finish }, log);
  if (tickets >= 10_000) {
    const parts = Object.entries(timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`);
    log(`  seconds writing (wall, overlapping generation): ${parts.join(', ')}`);
  }

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
async function runSliced<T>(steps: Generator<void, T, void>, sliceMs = 4): Promise<T> {
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

/**
 * The demo data as `npm run db:seed`, the embedded demo and the end-to-end server make it: the seed,
 * then the decision history of its resolved tickets (`./decision-history`: executed decisions,
 * approvals, ledger credits and their audit events), so the quality page and the audit log have
 * something to show whichever way the data was made.
 */
export async function seedDemo(handle: DbHandle, options: SeedOptions = {}): Promise<SeedResult & { decisions: number }> {
  const result = await seedDatabase(handle, options);
  const decisions = await seedDecisionHistory(handle.db, { seed: options.seed ?? 1 });
  return { ...result, decisions };
}

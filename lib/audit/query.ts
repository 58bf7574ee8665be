/**
 * The audit log as supervisors question it: filters (all in the URL, the same names on the page,
 * `GET /api/v1/audit` and its export), keyset pages newest first, a streamed export, the chain's
 * status and "verify now". Every function authorizes itself.
 */
import { existsSync } from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, queryRows, type Db } from '@/db';
import { auditActor, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { ACTION_GROUPS, isActionGroup } from './actions';
import type { ChainedFields } from './canonical';
import { defaultCheckpointFile, lastCheckpoint, readCheckpointFile, type Checkpoint } from './checkpoints';
import { record } from './index';
import { commonFields, type RawAuditRow } from './rows';
import { chainHead, countUnsealed, sealAuditEvents } from './sealer';
import { loadAuditVerifyKey } from './signing';
import { verifyAuditChain, type VerifyResult } from './verify';

export { ACTION_GROUPS, type ActionGroup } from './actions';

export const AUDIT_ENTITIES = {
  ticket: 'Ticket',
  customer: 'Customer',
  decision: 'Decision',
  staff_user: 'Staff user',
  api_key: 'API key',
  manual_credit: 'Manual credit',
  order: 'Order',
  service: 'Service',
  payment: 'Payment',
  provider_job: 'Delivery',
  evidence: 'Evidence file',
} as const;

const STAFF_ROLE_FILTER = ['agent', 'supervisor', 'admin', 'none'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const day = (name: string) =>
  opt(
    z
      .string()
      .trim()
      .regex(DAY, `${name}: give a date as YYYY-MM-DD.`)
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `${name}: not a calendar date.`),
  );
const idText = (name: string) =>
  opt(
    z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,17}$/, `${name}: give a number such as 42.`),
  );

/** The filters, by their query-string names. */
export const auditFilterSchema = z.object({
  ticket: idText('ticket'),
  customer: idText('customer'),
  /** A staff user id, or an actor label such as `system:worker` or `api-key:panel`. */
  actor: opt(z.string().trim().min(1).max(200)),
  role: opt(z.enum(STAFF_ROLE_FILTER, { error: `role: one of ${STAFF_ROLE_FILTER.join(', ')}.` })),
  /** An action group (`decisions`) or one exact action (`decision.proposed`). */
  action: opt(
    z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'action: a group such as decisions, or an action such as decision.proposed.'),
  ),
  entity: opt(
    z.enum(Object.keys(AUDIT_ENTITIES) as [keyof typeof AUDIT_ENTITIES], {
      error: `entity: one of ${Object.keys(AUDIT_ENTITIES).join(', ')}.`,
    }),
  ),
  /** With `entity`: that one record. */
  id: opt(z.string().trim().max(50)),
  from: day('from'),
  to: day('to'),
  q: opt(z.string().trim().min(2, 'q: at least two characters.').max(200)),
});
export type AuditFilters = z.output<typeof auditFilterSchema>;

export const auditPageSchema = auditFilterSchema.extend({
  before: opt(z.coerce.number().int().positive()),
  // Names the first page used (kept so old links keep working).
  entityType: opt(z.string().trim().max(50)),
  entityId: opt(z.string().trim().max(50)),
});

export const AUDIT_PAGE_SIZE = 50;
/** The filter names, in the order the page and links write them. */
export const FILTER_KEYS = ['ticket', 'customer', 'actor', 'role', 'action', 'entity', 'id', 'from', 'to', 'q'] as const;

/** The query string of a filtered view (empty values left out). */
export function filterQuery(filters: Partial<Record<string, string | number | undefined | null>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value != null && value !== '') params.set(key, String(value));
  return params.toString();
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The WHERE clause of a filter set, without the ticket and customer filters (see `auditArms`). Each
 * part matches an index of migration `0016_audit_filter_indexes`, ending in id, so a filtered page
 * at 10 M events is an ordered index walk. An action group is `action in (its actions)`: a common
 * group walks the newest events by id and skips the others; a rare one reads its few rows off
 * `(action, id)` and sorts them (measured at 2 M events: 0.1 to 9 ms a page).
 */
export function auditWhere(f: AuditFilters & { entityType?: string; entityId?: string }): SQL[] {
  const where: SQL[] = [];
  // A staff id has at most 15 digits (a longer number is no id: it is looked for as a label and finds nothing).
  if (f.actor) where.push(/^[1-9]\d{0,14}$/.test(f.actor) ? sql`actor_id = ${Number(f.actor)}` : sql`actor_label = ${f.actor}`);
  if (f.role) where.push(f.role === 'none' ? sql`actor_role is null` : sql`actor_role = ${f.role}`);
  if (f.action) {
    if (isActionGroup(f.action)) {
      // The group's own actions (an ordered walk of the newest events for common groups, the
      // `(action, id)` index for rare ones).
      const actions = sql.join(
        ACTION_GROUPS[f.action].actions.map((a) => sql`${a}`),
        sql`, `,
      );
      where.push(sql`action in (${actions})`);
    } else where.push(sql`action = ${f.action}`);
  }
  const entity = f.entity ?? f.entityType;
  const entityId = f.id ?? f.entityId;
  if (entity) where.push(sql`entity_type = ${entity}`);
  if (entity && entityId) where.push(sql`entity_id = ${entityId}`);
  if (f.from) where.push(sql`at >= ${`${f.from}T00:00:00Z`}::timestamptz`);
  if (f.to) where.push(sql`at < ${`${f.to}T00:00:00Z`}::timestamptz + interval '1 day'`);
  if (f.q) where.push(sql`reason ilike ${`%${likeEscape(f.q)}%`}`);
  return where;
}

/**
 * The ticket and customer filters: an event concerns a ticket when it is the ticket's own (entity)
 * or names it in before/after (a decision's `ticketId`), and a customer likewise. Each way is its
 * own index; rather than one OR (which the planner may answer by walking every event newest first,
 * seconds at 10 M), each combination is its own ordered index walk and the walks are merged
 * (`readPage`). Empty: no such filter.
 */
export function auditArms(f: Pick<AuditFilters, 'ticket' | 'customer'>): SQL[] {
  const groups: SQL[][] = [];
  if (f.ticket)
    groups.push([
      sql`entity_type = 'ticket' and entity_id = ${f.ticket}`,
      sql`coalesce(after->>'ticketId', before->>'ticketId') = ${f.ticket}`,
    ]);
  if (f.customer)
    groups.push([
      sql`entity_type = 'customer' and entity_id = ${f.customer}`,
      sql`coalesce(after->>'customerId', before->>'customerId') = ${f.customer}`,
    ]);
  let arms: SQL[][] = [[]];
  for (const group of groups) arms = arms.flatMap((arm) => group.map((way) => [...arm, way]));
  return groups.length ? arms.map((arm) => sql.join(arm, sql` and `)) : [];
}

const whereSql = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

const COLUMNS = sql`id, seq, at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, reason, origin, prev_hash, hash`;

/**
 * The SQL of one keyset page: newest first, below the event `before`, at most `limit` rows.
 *
 * Newest first is by id (insertion order); with a date range, by time then id: the planner cannot
 * know that ids grow with `at`, and for a range long ago would walk every newer event by id, so a
 * dated view walks the `(at, id)` index instead, from the range's end (the cursor is still an id).
 */
export function auditPageSql(f: AuditFilters & { entityType?: string; entityId?: string }, before: number | undefined, limit: number): SQL {
  const parts = auditWhere(f);
  const arms = auditArms(f);
  if (arms.length === 0 && (f.from || f.to)) {
    if (before) parts.push(sql`(at, id) < (select b.at, b.id from audit_events b where b.id = ${before})`);
    return sql`select ${COLUMNS} from audit_events where ${whereSql(parts)} order by at desc, id desc limit ${limit}`;
  }
  if (before) parts.push(sql`id < ${before}`);
  if (arms.length === 0) return sql`select ${COLUMNS} from audit_events where ${whereSql(parts)} order by id desc limit ${limit}`;
  const walks = arms.map((arm) => sql`(select id from audit_events where ${whereSql([...parts, arm])} order by id desc limit ${limit})`);
  return sql`select ${COLUMNS} from audit_events where id in (select id from (${sql.join(walks, sql` union `)}) w)
             order by id desc limit ${limit}`;
}

/** An audit event as the log shows it: the hashed fields, its id, and its place in the chain once sealed. */
export interface AuditRow extends Omit<ChainedFields, 'seq'> {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
}

const toRow = (r: RawAuditRow): AuditRow => ({ ...commonFields(r), seq: r.seq == null ? null : Number(r.seq), at: new Date(r.at) });

async function readPage(db: Db, filters: AuditFilters, before: number | undefined, limit: number): Promise<AuditRow[]> {
  const rows = await queryRows<RawAuditRow>(db, auditPageSql(filters, before, limit));
  return rows.map(toRow);
}

function checkRange(f: AuditFilters) {
  if (f.from && f.to && f.from > f.to)
    throw new AppError('invalid', 'from: the range starts after it ends.', { from: ['Starts after "to".'] });
}

/**
 * The audit log, newest first, a page at a time (keyset on id, the insertion order, so events not
 * sealed yet show too), filtered, with the number waiting to be sealed. Supervisors and admins only.
 */
export async function listAuditEvents(ctx: Ctx, input: unknown) {
  const query = parseInput(auditPageSchema, input ?? {});
  checkRange(query);
  const db = await getDb();
  await authorizeStaff(db, ctx, 'audit.read');
  const rows = await readPage(db, query, query.before, AUDIT_PAGE_SIZE + 1);
  return {
    events: rows.slice(0, AUDIT_PAGE_SIZE),
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.id : null,
    unsealed: await countUnsealed(db),
  };
}

/** One event by id (the page opens it to its diff). */
export async function getAuditEvent(ctx: Ctx, id: number): Promise<AuditRow | null> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'audit.read');
  const [row] = await queryRows<RawAuditRow>(
    db,
    sql`select id, seq, at, actor_id, actor_label, actor_role, action, entity_type, entity_id, before, after, reason, origin, prev_hash, hash
        from audit_events where id = ${id}`,
  );
  return row ? toRow(row) : null;
}

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const CSV_COLUMNS = [
  'id',
  'seq',
  'at',
  'actor_id',
  'actor_label',
  'actor_role',
  'action',
  'entity_type',
  'entity_id',
  'reason',
  'before',
  'after',
  'origin',
  'hash',
] as const;

/** One CSV cell: quoted when needed; text a spreadsheet would run as a formula gets a leading quote. */
export function csvCell(value: unknown): string {
  if (value == null) return '';
  let text =
    typeof value === 'string'
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const exportRecord = (r: AuditRow) => ({
  id: r.id,
  seq: r.seq,
  at: r.at.toISOString(),
  actorId: r.actorId,
  actorLabel: r.actorLabel,
  actorRole: r.actorRole,
  action: r.action,
  entityType: r.entityType,
  entityId: r.entityId,
  reason: r.reason,
  before: r.before,
  after: r.after,
  origin: r.origin,
  hash: r.hash,
});

const csvLine = (r: AuditRow) =>
  [
    r.id,
    r.seq,
    r.at.toISOString(),
    r.actorId,
    r.actorLabel,
    r.actorRole,
    r.action,
    r.entityType,
    r.entityId,
    r.reason,
    r.before,
    r.after,
    r.origin,
    r.hash,
  ]
    .map(csvCell)
    .join(',') + '\r\n';

export interface AuditExport {
  format: ExportFormat;
  contentType: string;
  filename: string;
  /** The rows, a keyset batch at a time: read lazily, so memory stays flat however many rows match. */
  chunks: AsyncGenerator<string>;
}

/**
 * The filtered log as CSV or JSON Lines, newest first, read in keyset batches as the consumer pulls
 * (a streamed response reads the next batch only when the client has taken the last). The export
 * itself is recorded (`audit.exported`, with its filters) before the first row is read.
 */
export async function exportAuditEvents(ctx: Ctx, input: unknown, options: { batchSize?: number } = {}): Promise<AuditExport> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const format = raw.format ?? 'csv';
  if (!EXPORT_FORMATS.includes(format as ExportFormat))
    throw new AppError('invalid', 'format: csv or jsonl.', { format: ['Give csv or jsonl.'] });
  const { format: _ignored, ...rest } = raw;
  void _ignored;
  const filters = parseInput(auditFilterSchema, rest);
  checkRange(filters);
  const db = await getDb();
  const actor = await db.transaction(async (tx) => {
    const staff = await authorizeStaff(tx, ctx, 'audit.export');
    await record(tx, {
      actor: auditActor(staff),
      action: 'audit.exported',
      entityType: 'audit_log',
      after: { format, filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) },
      origin: ctx.origin,
    });
    return staff;
  });
  void actor;
  const batchSize = options.batchSize ?? 2_000;
  async function* chunks(): AsyncGenerator<string> {
    if (format === 'csv') yield CSV_COLUMNS.join(',') + '\r\n';
    let before: number | undefined;
    for (;;) {
      const rows = await readPage(db, filters, before, batchSize);
      if (rows.length === 0) return;
      yield format === 'csv' ? rows.map(csvLine).join('') : rows.map((r) => JSON.stringify(exportRecord(r)) + '\n').join('');
      if (rows.length < batchSize) return;
      before = rows[rows.length - 1]!.id;
    }
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return {
    format: format as ExportFormat,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    filename: `audit-${stamp}.${format}`,
    chunks: chunks(),
  };
}

/** A generator of text as a byte stream that reads on demand (backpressure from the client). */
export function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

export interface ChainStatus {
  /** Sealed events: the head's seq. */
  sealed: number;
  unsealed: number;
  head: { seq: number; hash: string } | null;
  checkpoint: (Checkpoint & { file: string }) | null;
  checkpointFile: string;
  /** The latest "verify now" (or none): when, by whom, what it found. */
  lastVerified: { at: Date; by: string; ok: boolean; count: number; badSeq: number | null } | null;
}

/** The chain's head, what waits to be sealed, the latest checkpoint and the latest verification. */
export async function getChainStatus(ctx: Ctx): Promise<ChainStatus> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'audit.read');
  const file = defaultCheckpointFile();
  const [head, unsealed, [verified]] = await Promise.all([
    chainHead(db),
    countUnsealed(db),
    queryRows<{ at: string | Date; actor_label: string; after: { ok?: boolean; count?: number; badSeq?: number | null } | null }>(
      db,
      sql`select at, actor_label, after from audit_events where action = 'audit.verified' order by id desc limit 1`,
    ),
  ]);
  const checkpoint = existsSync(file) ? lastCheckpoint(file) : null;
  return {
    sealed: head?.seq ?? 0,
    unsealed,
    head,
    checkpoint: checkpoint ? { ...checkpoint, file } : null,
    checkpointFile: file,
    lastVerified: verified
      ? {
          at: new Date(verified.at),
          by: verified.actor_label,
          ok: Boolean(verified.after?.ok),
          count: verified.after?.count ?? 0,
          badSeq: verified.after?.badSeq ?? null,
        }
      : null,
  };
}

/**
 * "Verify now": the check of `npm run audit:verify` — seal what waits, walk the chain against the
 * checkpoint file with the audit key — reporting progress, then recorded (`audit.verified`).
 */
export async function verifyAuditLog(ctx: Ctx, onProgress?: (verified: number, total: number) => void): Promise<VerifyResult> {
  return (await startAuditVerification(ctx))(onProgress);
}

/** `verifyAuditLog` in two steps for a streamed answer: the caller is authorized first, then the walk runs. */
export async function startAuditVerification(ctx: Ctx) {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'audit.read');
  return (onProgress?: (verified: number, total: number) => void) => runVerification(db, ctx, onProgress);
}

async function runVerification(db: Db, ctx: Ctx, onProgress?: (verified: number, total: number) => void): Promise<VerifyResult> {
  await sealAuditEvents(db, { wait: true });
  const file = defaultCheckpointFile();
  const lines = existsSync(file) ? readCheckpointFile(file) : undefined;
  let publicKey;
  try {
    publicKey = lines?.length ? loadAuditVerifyKey() : undefined;
  } catch {
    publicKey = undefined;
  }
  const total = (await chainHead(db))?.seq ?? 0;
  const result = await verifyAuditChain(db, { checkpoints: lines, publicKey, onProgress: (n) => onProgress?.(n, total) });
  await db.transaction(async (tx) => {
    const staff = await authorizeStaff(tx, ctx, 'audit.read');
    await record(tx, {
      actor: auditActor(staff),
      action: 'audit.verified',
      entityType: 'audit_log',
      after: {
        ok: result.ok,
        count: result.count,
        badSeq: result.ok ? null : (result.badSeq ?? null),
        checkpoints: result.ok ? result.checkpoints : null,
        ...(result.ok ? { head: result.head } : { problem: result.problem }),
      },
      origin: ctx.origin,
    });
  });
  return result;
}

/**
 * PostgreSQL bulk writer: COPY … FROM STDIN in text format through postgres.js, with explicit ids.
 * A batch is encoded ahead (in small steps, while the database works on the previous batch) and
 * then streamed, so the database never waits for the encoder.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Table } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { columnsOf, tableName, type ColumnInfo, type ValueKind } from './tables';

/** One value in COPY text format: `\N` for null, backslash escapes for \ TAB LF CR. */
export function encodeCopyValue(value: unknown, kind: ValueKind = 'text'): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'date':
      return isoTimestamp((value as Date).getTime());
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
    case 'plain':
      return String(value);
    case 'json':
      return escapeText(JSON.stringify(value));
    default:
      return typeof value === 'string' ? escapeText(value) : escapeText(JSON.stringify(value));
  }
}

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/** `Date#toISOString` for a time in ms, several times faster (the date part is cached by day). */
export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPES, (ch) => ESCAPE_MAP[ch] ?? ch) : text;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPE_MAP: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The columns the rows carry, in schema order (columns with database defaults may be left out). */
function presentColumns(table: Table, sample: object): ColumnInfo[] {
  return columnsOf(table).filter((c) => c.key in sample);
}

export function encodeRows(columns: readonly ColumnInfo[], rows: readonly object[], from: number, to: number): string {
  let out = '';
  for (let r = from; r < to; r++) {
    const row = rows[r] as Record<string, unknown>;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      if (c > 0) line += '\t';
      line += encodeCopyValue(row[col.key], col.kind);
    }
    out += line + '\n';
  }
  return out;
}

/** Rows of one table encoded for COPY, ready to send. */
export interface CopyData {
  table: Table;
  columns: ColumnInfo[];
  /**
   * The rows as UTF-8 bytes: compact, off the JS heap, and handed to the socket in one write, so
   * the kernel feeds the server while our thread works on the next batch.
   */
  bytes: Buffer;
}

const PIECE_ROWS = 2_000;

/**
 * Encodes rows for COPY in pieces of PIECE_ROWS rows, pausing after each piece (drive it with a
 * time-slicing loop, or drain it at once). Returns null when there is nothing to write.
 */
export function* encodeForCopy(table: Table, rows: readonly object[]): Generator<void, CopyData | null, void> {
  if (rows.length === 0) return null;
  const columns = presentColumns(table, rows[0]!);
  const pieces: Buffer[] = [];
  for (let from = 0; from < rows.length; from += PIECE_ROWS) {
    pieces.push(Buffer.from(encodeRows(columns, rows, from, Math.min(rows.length, from + PIECE_ROWS)), 'utf8'));
    yield;
  }
  return { table, columns, bytes: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces) };
}

/**
 * Sends encoded rows with COPY … FROM STDIN on `sql` (a client or a transaction).
 *
 * postgres.js 3.4 never settles a COPY writable that the server rejects after the last row was
 * sent (a foreign key checked at the end of the statement, for instance: porsager/postgres#1173,
 * fix pending in #1183), so waiting for 'finish' alone would hang. The connection still hands the
 * server's error to the query's `reject`; we listen there too and fail with the real error.
 */
export async function copyEncoded(sql: Pick<Sql, 'unsafe'>, data: CopyData): Promise<void> {
  const list = data.columns.map((c) => `"${c.name}"`).join(', ');
  const query = sql.unsafe(`COPY "${tableName(data.table)}" (${list}) FROM STDIN`);
  let onServerError: (error: unknown) => void = () => {};
  const serverError = new Promise<never>((_, reject) => (onServerError = reject));
  serverError.catch(() => {});
  const internals = query as unknown as { reject?: (error: unknown) => void };
  const originalReject = internals.reject;
  if (typeof originalReject === 'function') {
    internals.reject = (error: unknown) => {
      onServerError(error);
      originalReject.call(query, error);
    };
  }
  const stream: Writable = await query.writable();
  stream.once('error', onServerError);
  const finished = once(stream, 'finish');
  finished.catch(() => {});
  stream.end(data.bytes);
  await Promise.race([finished, serverError]);
}

/** Encodes and COPYs `rows` into `table` in one go. */
export async function copyRows(sql: Pick<Sql, 'unsafe'>, table: Table, rows: readonly object[]): Promise<void> {
  const steps = encodeForCopy(table, rows);
  let step = steps.next();
  while (!step.done) step = steps.next();
  if (step.value) await copyEncoded(sql, step.value);
}

/**
 * PostgreSQL bulk writer: COPY … FROM STDIN in text format through postgres.js, with explicit ids.
 * Rows are encoded in pieces of about a megabyte and written with back-pressure, so memory stays
 * flat however many rows a table gets.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Table } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { columnsOf, tableName, type ColumnInfo, type ValueKind } from './tables';

const PIECE_BYTES = 1 << 20;

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

/**
 * COPYs `rows` into `table` on `sql` (a client or a transaction).
 *
 * postgres.js 3.4 never settles a COPY writable that the server rejects after the last row was
 * sent (a foreign key checked at the end of the statement, for instance: porsager/postgres#1173,
 * fix pending in #1183), so waiting for 'finish' alone would hang. The connection still hands the
 * server's error to the query's `reject`; we listen there too and fail with the real error.
 */
export async function copyRows(sql: Pick<Sql, 'unsafe'>, table: Table, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = presentColumns(table, rows[0]!);
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const query = sql.unsafe(`COPY "${tableName(table)}" (${list}) FROM STDIN`);
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
  // Rows per piece from the first rows' encoded size.
  const probe = Math.min(rows.length, 64);
  const sampleBytes = encodeRows(columns, rows, 0, probe).length / probe;
  const step = Math.max(64, Math.floor(PIECE_BYTES / Math.max(1, sampleBytes)));
  for (let from = 0; from < rows.length; from += step) {
    const piece = encodeRows(columns, rows, from, Math.min(rows.length, from + step));
    if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), serverError]);
  }
  stream.end();
  await Promise.race([finished, serverError]);
}

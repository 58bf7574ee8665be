/** The bulk tables, in the order their rows must be written (parents before children). */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { customers, evidence, orderEvents, orders, payments, ticketFindings, ticketMessages, tickets } from '@/db/schema';
import type { Block, EvidenceRow } from './rows';

/** A block whose evidence rows have their stored image filled in: ready to write. */
export type ReadyBlock = Omit<Block, 'evidence'> & { evidence: EvidenceRow[] };

export type BulkKey = keyof ReadyBlock;

export const BULK_TABLES: readonly { key: BulkKey; table: Table; hasId: boolean }[] = [
  { key: 'customers', table: customers, hasId: true },
  { key: 'payments', table: payments, hasId: true },
  { key: 'orders', table: orders, hasId: true },
  { key: 'orderEvents', table: orderEvents, hasId: true },
  { key: 'tickets', table: tickets, hasId: true },
  { key: 'ticketMessages', table: ticketMessages, hasId: true },
  { key: 'ticketFindings', table: ticketFindings, hasId: false },
  { key: 'evidence', table: evidence, hasId: true },
];

/** How a column's values are written in COPY text: decides the fast path of the encoder. */
export type ValueKind = 'text' | 'plain' | 'json' | 'date' | 'boolean' | 'number';

export interface ColumnInfo {
  /** Property name on the row object. */
  key: string;
  /** SQL column name. */
  name: string;
  kind: ValueKind;
}

const cache = new WeakMap<Table, ColumnInfo[]>();

/** Values that never hold a tab, a newline or a backslash (enums, numerics, codes) need no escaping. */
const PLAIN_TYPES = new Set(['PgEnumColumn', 'PgNumeric', 'PgVarchar', 'PgUUID']);

function kindOf(column: { columnType: string; dataType: string }): ValueKind {
  if (column.columnType === 'PgJsonb' || column.columnType === 'PgJson') return 'json';
  if (column.dataType === 'date') return 'date';
  if (column.dataType === 'boolean') return 'boolean';
  if (column.dataType === 'number' || column.dataType === 'bigint') return 'number';
  return PLAIN_TYPES.has(column.columnType) ? 'plain' : 'text';
}

/** The table's columns (property and SQL names, value kind), in schema order. */
export function columnsOf(table: Table): ColumnInfo[] {
  let cols = cache.get(table);
  if (!cols) {
    // Generated columns (`generated always as …`) are computed by the database, never written.
    cols = Object.entries(getTableColumns(table))
      .filter(([, column]) => !(column as { generated?: unknown }).generated)
      .map(([key, column]) => ({ key, name: column.name, kind: kindOf(column) }));
    cache.set(table, cols);
  }
  return cols;
}

export const tableName = (table: Table) => getTableName(table);

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

export interface ColumnInfo {
  /** Property name on the row object. */
  key: string;
  /** SQL column name. */
  name: string;
  isJson: boolean;
}

const cache = new WeakMap<Table, ColumnInfo[]>();

/** The table's columns (property and SQL names), in schema order. */
export function columnsOf(table: Table): ColumnInfo[] {
  let cols = cache.get(table);
  if (!cols) {
    cols = Object.entries(getTableColumns(table)).map(([key, column]) => ({
      key,
      name: column.name,
      isJson: column.columnType === 'PgJsonb' || column.columnType === 'PgJson',
    }));
    cache.set(table, cols);
  }
  return cols;
}

export const tableName = (table: Table) => getTableName(table);

/**
 * Writer for PGlite (and for PostgreSQL when no connection URL is known): multi-row INSERTs
 * through drizzle, in batches that stay well below the 65 535 bind-parameter limit.
 */
import type { Table } from 'drizzle-orm';
import type { Tx } from '@/db';
import { columnsOf } from './tables';

const MAX_PARAMS = 30_000;

export async function insertRows(tx: Tx, table: Table, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const batch = Math.max(1, Math.floor(MAX_PARAMS / columnsOf(table).length));
  for (let from = 0; from < rows.length; from += batch) {
    // Rows carry every column of the table: drizzle's insert type is satisfied at run time.
    await tx.insert(table as never).values(rows.slice(from, from + batch) as never[]);
  }
}

import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { ledgerEntries } from '@/db/schema';

export type NewLedgerEntry = typeof ledgerEntries.$inferInsert;

/**
 * Appends one balance movement. The table is append-only (a trigger refuses UPDATE and DELETE);
 * unique keys stop a repeated request and a second credit for the same ticket.
 */
export async function appendLedgerEntry(tx: Tx, entry: NewLedgerEntry) {
  const [row] = await tx.insert(ledgerEntries).values(entry).returning();
  return row!;
}

/** A customer's balance per currency: the sum of their ledger, computed by PostgreSQL as a decimal. */
export async function customerBalances(db: Db | Tx, customerId: number): Promise<{ currency: string; balance: string }[]> {
  return db
    .select({ currency: ledgerEntries.currency, balance: sql<string>`sum(${ledgerEntries.amount})::numeric(14,2)::text` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, customerId))
    .groupBy(ledgerEntries.currency)
    .orderBy(ledgerEntries.currency);
}

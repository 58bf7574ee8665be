/** How every view reads a customer: the same columns, and the balance per currency summed in SQL. */
import { sql } from 'drizzle-orm';
import { customers } from '@/db/schema';

/** The customer as the desk shows them: panel id, names and the flags an agent weighs. */
export const CUSTOMER_COLUMNS = {
  id: customers.id,
  externalId: customers.externalId,
  username: customers.username,
  email: customers.email,
  isReseller: customers.isReseller,
  isSuspended: customers.isSuspended,
  hasChargebackOpen: customers.hasChargebackOpen,
  isFraudFlagged: customers.isFraudFlagged,
};

/** A customer's balance in one currency: the sum of their ledger entries, as a decimal string. */
export interface Balance {
  currency: string;
  amount: string;
}

/**
 * The customer's balance per currency, by currency, as a column of any query that reads
 * `customers`: summed in SQL over their ledger (ledger_entries_customer_idx), read back exactly.
 */
export const CUSTOMER_BALANCES = sql<string>`(
  select coalesce(json_agg(json_build_object('currency', b.currency, 'amount', b.total::text) order by b.currency), '[]'::json)::text
  from (
    select le.currency, sum(le.amount) as total
    from ledger_entries le
    where le.customer_id = ${customers.id}
    group by le.currency
  ) b
)`.mapWith((text: string) => JSON.parse(text) as Balance[]);

import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

export const TICKET_CHANNEL = 'ticket_changes';
export const PRESENCE_CHANNEL = 'ticket_presence';

export interface TicketChange {
  id: number;
  kind: 'created' | 'updated';
}

/** Tells every app instance, at commit, that tickets changed (PostgreSQL NOTIFY; dropped on rollback). */
export async function notifyTicketChanged(tx: Tx, change: TicketChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${TICKET_CHANNEL}, ${JSON.stringify(change)})`);
}

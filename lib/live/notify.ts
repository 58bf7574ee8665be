import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

export const TICKET_CHANNEL = 'ticket_changes';
export const PRESENCE_CHANNEL = 'ticket_presence';
export const STAFF_NOTICE_CHANNEL = 'staff_notices';

export interface TicketChange {
  id: number;
  kind: 'created' | 'updated';
}

/** Tells every app instance, at commit, that tickets changed (PostgreSQL NOTIFY; dropped on rollback). */
export async function notifyTicketChanged(tx: Tx, change: TicketChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${TICKET_CHANNEL}, ${JSON.stringify(change)})`);
}

/** A sentence for one staff member (e.g. "Your proposal on T-12 was approved"), shown to them as a toast wherever they have the desk open. */
export interface StaffNotice {
  staffId: number;
  ticketId: number;
  text: string;
}

/** Tells one staff member something, at commit, on every app instance (their open live streams show it as a toast). */
export async function notifyStaff(tx: Tx, notice: StaffNotice): Promise<void> {
  await tx.execute(sql`select pg_notify(${STAFF_NOTICE_CHANNEL}, ${JSON.stringify(notice)})`);
}

/** The plain row objects the generator makes and the writers store: one type per table. */
import type { Customer, Order, OrderEvent, Payment, Ticket, evidence, ticketFindings, ticketMessages } from '@/db/schema';
import type { CatalogService } from './catalog';
import type { ScreenshotSpec } from './screenshots';
import type { BuiltOrder } from './timeline';

export type CustomerRow = Customer;
export type OrderRow = Order;
export type OrderEventRow = OrderEvent;
export type PaymentRow = Payment;
export type TicketRow = Ticket;
export type MessageRow = typeof ticketMessages.$inferSelect;
export type FindingsRow = typeof ticketFindings.$inferSelect;
export type EvidenceRow = typeof evidence.$inferSelect;
export type OrderStatus = Order['status'];
export type EventKind = OrderEvent['kind'];

/** An evidence row before its image is rendered and stored: what the screenshot should show. */
export type EvidenceDraft = Omit<
  EvidenceRow,
  'sha256' | 'mimeType' | 'sizeBytes' | 'width' | 'height' | 'perceptualHash' | 'storageKey'
> & {
  spec: ScreenshotSpec;
};

/** A catalogue service with the id it got in the database. */
export interface SeedService extends CatalogService {
  id: number;
}

export interface StaffIds {
  /** Active agents. */
  agents: number[];
  supervisors: number[];
  admins: number[];
  /** The deactivated agent, still the assignee of a few old tickets. */
  former: number | null;
}

/** Everything one block of tickets brings with it. */
export interface Block {
  customers: CustomerRow[];
  orders: OrderRow[];
  orderEvents: OrderEventRow[];
  payments: PaymentRow[];
  tickets: TicketRow[];
  ticketMessages: MessageRow[];
  ticketFindings: FindingsRow[];
  evidence: EvidenceDraft[];
}

export const emptyBlock = (): Block => ({
  customers: [],
  orders: [],
  orderEvents: [],
  payments: [],
  tickets: [],
  ticketMessages: [],
  ticketFindings: [],
  evidence: [],
});

/** The last id used in each table; the generator takes the next ones, in order. */
export interface IdCursor {
  customer: number;
  order: number;
  orderEvent: number;
  payment: number;
  ticket: number;
  message: number;
  evidence: number;
  /** Customers made so far in this run (drives the unique digits of usernames). */
  customerIndex: number;
}

/** What a ticket is about: its order (with the order's service and target account) or its payment. */
export interface Subject {
  order: BuiltOrder | null;
  service: SeedService | null;
  account: string | null;
  payment: PaymentRow | null;
  /** For wrong_link: the link the customer meant. */
  intendedLink?: string;
}

import type { Claim, Outcome } from '@/lib/policy';
import type { TICKET_STATUS_LABEL } from '@/lib/labels';

/**
 * One queue row as the page shows it, worked out on the server (the service level depends on the
 * clock and the configured targets). Dates are UTC strings as shown.
 */
export interface QueueRowView {
  id: number;
  customer: string;
  email: string;
  claim: Claim;
  /** The end of the policy's claim window; null: the claim has none. */
  claimWindowEnd: string | null;
  /** Filed after the claim window. */
  isLate: boolean;
  orderNumber: string | null;
  orderStatus: string | null;
  serviceName: string | null;
  paymentMethod: string | null;
  amount: string;
  outcome: Outcome | null;
  slaKind: string;
  slaLabel: string;
  slaTone: 'breached' | 'soon' | 'quiet' | 'normal';
  /** When the service level is due, if its clock runs. */
  slaDue: string | null;
  /** "waiting 5 h"; null once resolved. */
  waiting: string | null;
  openedAt: string;
  status: keyof typeof TICKET_STATUS_LABEL;
  assigneeId: number | null;
  assigneeName: string | null;
}

const FIELDS = [
  'id',
  'customer',
  'email',
  'claim',
  'claimWindowEnd',
  'isLate',
  'orderNumber',
  'orderStatus',
  'serviceName',
  'paymentMethod',
  'amount',
  'outcome',
  'slaKind',
  'slaLabel',
  'slaTone',
  'slaDue',
  'waiting',
  'openedAt',
  'status',
  'assigneeId',
  'assigneeName',
] as const satisfies readonly (keyof QueueRowView)[];

/** A row as the page sends it to the table: its values in FIELDS order, without the field names repeated on each of 50 rows. */
export type PackedQueueRow = unknown[];

export const packQueueRow = (row: QueueRowView): PackedQueueRow => FIELDS.map((field) => row[field]);

export const unpackQueueRow = (values: PackedQueueRow): QueueRowView =>
  Object.fromEntries(FIELDS.map((field, i) => [field, values[i]])) as unknown as QueueRowView;

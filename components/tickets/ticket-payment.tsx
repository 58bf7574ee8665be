import { Badge } from '@/components/ui/badge';
import { formatUtc, relativeToNow } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import type { TicketDetail } from '@/lib/tickets/detail';

type Payment = NonNullable<TicketDetail['payment']>;

const METHOD_LABEL: Record<string, string> = { crypto: 'Crypto', card: 'Card', bank: 'Bank transfer', wallet: 'Wallet' };

function YesNo({ value, good, unknown = 'Unknown' }: { value: boolean | null; good: boolean; unknown?: string }) {
  if (value === null) return <Badge tone="info">{unknown}</Badge>;
  return <Badge tone={value === good ? 'success' : 'warning'}>{value ? 'Yes' : 'No'}</Badge>;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-b border-slate-100 py-1 last:border-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right font-medium tabular-nums">{children}</dd>
    </div>
  );
}

/** The payment a ticket is about: method, processor, ids, amount and the facts the policy reads. */
export function TicketPayment({ payment, now }: { payment: Payment; now: Date }) {
  return (
    <dl className="grid gap-x-6 sm:grid-cols-2">
      <div>
        <Row label="Method">
          {METHOD_LABEL[payment.method] ?? payment.method} · {payment.processor}
        </Row>
        <Row label="Transaction id">
          <span className="font-mono text-xs break-all">{payment.transactionId}</span>
        </Row>
        <Row label="Amount">{formatMoney(payment.amount, payment.currency)}</Row>
        <Row label="Paid">
          <time dateTime={payment.paidAt.toISOString()} title={formatUtc(payment.paidAt)}>
            {relativeToNow(payment.paidAt, now)}
          </time>
        </Row>
        <Row label="Payment id">
          <span className="font-mono text-xs">{payment.externalId}</span>
        </Row>
      </div>
      <div>
        <Row label="Credited to balance">
          <YesNo value={payment.isCredited} good />
        </Row>
        <Row label="Duplicate of">
          {payment.duplicateOf === null ? (
            <span className="font-normal text-slate-600">Not a duplicate</span>
          ) : (
            <Badge tone="warning">{payment.duplicateOfExternalId ?? `payment ${payment.duplicateOf}`}</Badge>
          )}
        </Row>
        <Row label="Overcharged">
          <YesNo value={payment.isOvercharged} good={false} />
        </Row>
        <Row label="Balance spent">
          <YesNo value={payment.isBalanceSpent} good={false} />
        </Row>
        <Row label="Processor allows refund">
          <YesNo value={payment.processorAllowsRefund} good unknown="Not known yet" />
        </Row>
      </div>
    </dl>
  );
}

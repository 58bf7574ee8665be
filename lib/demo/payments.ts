/** Deposits: method, processor, transaction id and amount as panels see them; duplicates. */
import { centsToDecimal, decimalToCents } from './money';
import { ALNUM, UPPER_ALNUM, type Rng, type Weighted } from './random';
import type { IdCursor, PaymentRow } from './rows';
import { clamp } from './timeline';

export type Method = PaymentRow['method'];

/** Who pays: the customer's id, and the list their payments are kept in. */
export interface PaymentOwner {
  id: number;
  payments: PaymentRow[];
}

const PROCESSORS: Record<Method, Weighted<string>> = {
  crypto: [
    ['Cryptomus', 40],
    ['NOWPayments', 25],
    ['Plisio', 20],
    ['CoinPayments', 15],
  ],
  wallet: [
    ['PIX', 26],
    ['Perfect Money', 20],
    ['Payeer', 18],
    ['Paytm', 16],
    ['JazzCash', 10],
    ['Papara', 10],
  ],
  card: [
    ['Stripe', 80],
    ['Stripe (PayPal)', 20],
  ],
  bank: [
    ['Bank transfer', 70],
    ['Wise', 30],
  ],
};

/** DOMAIN.md: crypto ~50%, wallets and local methods ~27%, card ~12%, bank the rest. */
export const METHOD_MIX: Weighted<Method> = [
  ['crypto', 50],
  ['wallet', 27],
  ['card', 12],
  ['bank', 11],
];

export const DUPLICATE_METHOD: Weighted<Method> = [
  ['card', 35],
  ['wallet', 35],
  ['bank', 10],
  ['crypto', 20],
];
export const NOT_CREDITED_METHOD: Weighted<Method> = [
  ['crypto', 55],
  ['wallet', 25],
  ['card', 10],
  ['bank', 10],
];
/** Whether a fiat processor lets us refund to the card/wallet: often not known yet. */
const PROCESSOR_REFUND: Weighted<boolean | null> = [
  [null, 40],
  [true, 35],
  [false, 25],
];

const UUID_VARIANT = ['8', '9', 'a', 'b'];
const BANK_PREFIXES = ['FT', 'TRF', 'REF'];

function transactionId(rng: Rng, processor: string, paidMs: number): string {
  const d = new Date(paidMs);
  const stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  switch (processor) {
    case 'Cryptomus':
      return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(UUID_VARIANT)}${rng.hex(3)}-${rng.hex(12)}`;
    case 'NOWPayments':
      return rng.digits(10);
    case 'Plisio':
      return rng.hex(24);
    case 'CoinPayments':
      return `CP${rng.token(24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
    case 'Stripe':
    case 'Stripe (PayPal)':
      return `pi_3${rng.token(23, ALNUM)}`;
    case 'PIX':
      return `E${rng.digits(8)}${stamp}${rng.token(11, ALNUM)}`;
    case 'Perfect Money':
      return rng.digits(9);
    case 'Payeer':
      return rng.digits(10);
    case 'Paytm':
      return `T${stamp.slice(2)}${rng.digits(9)}`;
    case 'JazzCash':
      return `T${stamp}${rng.digits(2)}`;
    case 'Papara':
      return rng.digits(10);
    default:
      return `${rng.pick(BANK_PREFIXES)}${stamp.slice(2, 8)}${rng.token(6, UPPER_ALNUM)}`;
  }
}

/** Deposit size: median ~10 USD, p90 ~60, a fatter tail to ~500 at p99. Crypto and wallets like round sums. */
function depositCents(rng: Rng, method: Method): number {
  const dollars = rng.chance(0.03) ? rng.logNormal(300, 1500) : rng.logNormal(10, 60);
  const clamped = clamp(dollars, 1, 5_000);
  if (method !== 'card' && rng.chance(0.55)) return Math.max(1, Math.round(clamped)) * 100;
  return Math.max(100, Math.round(clamped * 100));
}

export function makePayment(
  rng: Rng,
  ids: IdCursor,
  ctx: PaymentOwner,
  opts: { method: Method; paidMs: number; cents?: number },
): PaymentRow {
  const id = ++ids.payment;
  const processor = rng.weighted(PROCESSORS[opts.method]);
  const payment: PaymentRow = {
    id,
    externalId: String(500_000 + id * 3 + rng.int(0, 2)),
    customerId: ctx.id,
    method: opts.method,
    processor,
    transactionId: transactionId(rng, processor, opts.paidMs),
    amount: centsToDecimal(opts.cents ?? depositCents(rng, opts.method)),
    currency: 'USD',
    paidAt: new Date(opts.paidMs),
    isCredited: true,
    duplicateOf: null,
    isOvercharged: opts.method !== 'crypto' && rng.chance(0.003),
    processorAllowsRefund: opts.method === 'crypto' ? null : rng.weighted(PROCESSOR_REFUND),
    isBalanceSpent: false,
  };
  ctx.payments.push(payment);
  return payment;
}

/** The same payment made again minutes later (a double click, a retried checkout). */
export function duplicateOf(rng: Rng, ids: IdCursor, ctx: PaymentOwner, original: PaymentRow, credited: boolean): PaymentRow {
  const paidMs = original.paidAt.getTime() + rng.real(20, 900) * 1000;
  const dup = makePayment(rng, ids, ctx, { method: original.method, paidMs, cents: decimalToCents(original.amount) });
  dup.processor = original.processor;
  dup.duplicateOf = original.id;
  dup.isCredited = credited;
  dup.processorAllowsRefund = original.processorAllowsRefund;
  return dup;
}

/**
 * The simulated panel: a deterministic (seeded) generator of the requests an SMM panel sends to
 * Refund Desk's intake API — its catalogue, customers, orders moving Pending → In progress →
 * Completed / Partial / Canceled (one at a time or in reseller batches), payments and their later
 * changes, drops, tickets of every claim in the mix of shared/DOMAIN.md, and customer replies.
 *
 * `next()` gives a step: one or more requests to send in order (a customer before its first order,
 * a payment before the ticket about it); the sender reports each answer with `settle()`, and only
 * what the server accepted is referred to later. Pure: no I/O, the clock is passed in.
 */
import { CLAIM_MIX } from '@/lib/demo/generate';
import { Rng, type Weighted } from '@/lib/demo/random';

export type RequestKind =
  'service' | 'customer' | 'order' | 'order_batch' | 'order_progress' | 'event' | 'payment' | 'payment_change' | 'ticket' | 'message';

export interface SimRequest {
  seq: number;
  kind: RequestKind;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string;
}

/** The claims, with DOMAIN.md's mix: the demo data's table. */
export { CLAIM_MIX };
export const ORDER_CLAIMS = ['drop', 'not_started', 'not_delivered', 'partial_delivery', 'cancel_request', 'slow_delivery'];
export const PAYMENT_CLAIMS = ['payment_not_credited', 'duplicate_payment', 'crypto_payment_issue'];

const REMEDIES: Record<string, Weighted<string | null>> = {
  drop: [
    ['refill', 80],
    ['balance_credit', 10],
    [null, 10],
  ],
  not_started: [
    ['reprocess', 30],
    ['cancel', 30],
    ['balance_credit', 25],
    [null, 15],
  ],
  not_delivered: [
    ['reprocess', 30],
    ['balance_credit', 50],
    [null, 20],
  ],
  partial_delivery: [
    ['balance_credit', 70],
    ['reprocess', 20],
    [null, 10],
  ],
  cancel_request: [
    ['cancel', 85],
    ['balance_credit', 15],
  ],
  slow_delivery: [
    ['reprocess', 20],
    [null, 80],
  ],
  payment_not_credited: [
    ['balance_credit', 70],
    ['original_method_refund', 30],
  ],
  duplicate_payment: [
    ['original_method_refund', 60],
    ['balance_credit', 40],
  ],
  crypto_payment_issue: [
    ['balance_credit', 60],
    ['original_method_refund', 40],
  ],
};

const WORDS: Record<string, string[]> = {
  drop: ['hello my followers dropping please refill', 'it was 5k now 4.3k?? refill pls', 'drop again on this order, fix'],
  not_started: ['order not started since yesterday', 'still pending, why?', 'bro 0 delivered, start it or refund'],
  not_delivered: ['it says completed but nothing came', 'fake complete, count same as before', 'no delivery at all'],
  partial_delivery: ['partial but money not back', 'only half delivered, refund rest', 'partial refund missing'],
  cancel_request: ['please cancel this order', 'cancel and refund pls wrong service', 'i want cancel'],
  slow_delivery: ['very slow, speed up please', 'speed up pls 2 days only 100', 'too slow'],
  payment_not_credited: ['paid but balance not added', 'my deposit not showing, tx attached', 'payment done no balance'],
  duplicate_payment: ['charged two times', 'double payment please return one', 'paid twice by mistake'],
  crypto_payment_issue: ['sent usdt wrong network', 'crypto payment underpaid, what now', 'invoice expired but i paid'],
  quality: ['followers are bots', 'low quality, no profile pics', 'likes from fake accounts'],
  wrong_link: ['i put wrong link, change it', 'wrong username in order', 'link typo please fix'],
  unused_balance: ['refund my balance please', 'i dont use panel anymore, withdraw', 'want my balance back'],
  price_change: ['price went up after i ordered', 'why rate changed', 'service price different now'],
  change_of_mind: ['dont need it anymore', 'changed my mind, refund', 'client cancelled on me'],
  other: ['how to use api?', 'need invoice for my company', 'question about reseller prices'],
};
const REPLIES = ['any update?', 'i sent screenshot', 'please check again', 'ok thanks', 'still waiting', 'here is the link again'];

interface Service {
  id: string;
  platform: string;
  kind: string;
  rateE4: number;
  min: number;
  max: number;
  refill: boolean;
  cancel: boolean;
}
interface Customer {
  id: string;
  username: string;
  reseller: boolean;
}
type PanelStatus = 'Pending' | 'In progress' | 'Completed' | 'Partial' | 'Canceled' | 'Fail';
interface Order {
  number: string;
  customer: string;
  service: Service;
  link: string;
  quantity: number;
  charge: string;
  createdAt: string;
  status: PanelStatus;
  startCount: number | null;
  remains: number | 'Unknown';
  /** Where it ends up (a running order may stay running). */
  goal: PanelStatus;
  busy: boolean;
}
interface Payment {
  id: string;
  customer: string;
  method: string;
  credited: boolean;
  changed: boolean;
}

export interface WorldOptions {
  seed: number;
  /** Prefix of every panel id, so runs against the same database do not collide. */
  idPrefix?: string;
  /** Tickets per order placed (DOMAIN.md: ~1 per 35). */
  ticketShare?: number;
  /** Whether status changes and drops may go through `POST /orders/{n}/events` (needs the order-events scope). */
  events?: boolean;
  /** Share of status changes sent as order events rather than order updates (default 0.35). */
  eventShare?: number;
  /** Step weights, to change the mix (the benchmark does). */
  weights?: Partial<Record<StepKind, number>>;
  /** The catalogue size. */
  services?: number;
}

export type StepKind = 'order' | 'batch' | 'progress' | 'payment' | 'payment_change' | 'ticket' | 'message' | 'customer';

const SERVICE_KINDS: { platform: string; category: string; kind: string; median: number; p90: number }[] = [
  { platform: 'instagram', category: 'Instagram Followers', kind: 'Followers', median: 2.0, p90: 6 },
  { platform: 'instagram', category: 'Instagram Likes', kind: 'Likes', median: 0.3, p90: 1.2 },
  { platform: 'instagram', category: 'Instagram Views', kind: 'Views', median: 0.05, p90: 0.3 },
  { platform: 'youtube', category: 'YouTube Views', kind: 'Views', median: 2.5, p90: 6 },
  { platform: 'youtube', category: 'YouTube Subscribers', kind: 'Subscribers', median: 20, p90: 45 },
  { platform: 'telegram', category: 'Telegram Members', kind: 'Members', median: 1.5, p90: 5 },
  { platform: 'instagram', category: 'Instagram Comments', kind: 'Custom Comments', median: 10, p90: 30 },
  { platform: 'tiktok', category: 'TikTok Followers', kind: 'Followers', median: 2.2, p90: 7 },
];
const PROCESSORS: Record<string, string[]> = {
  crypto: ['Cryptomus', 'NOWPayments', 'Plisio', 'CoinPayments'],
  wallet: ['Perfect Money', 'Payeer', 'PIX', 'Paytm'],
  card: ['Stripe'],
  bank: ['Manual transfer'],
};

/** `units` × 10⁻ᵈ as a decimal string (exact). */
function decimal(units: number, digits: number): string {
  const s = String(Math.round(units)).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

export class World {
  private readonly rng: Rng;
  private readonly prefix: string;
  private readonly ticketShare: number;
  private readonly weights: Record<StepKind, number>;
  private seq = 0;
  private counter = 0;
  private readonly pending = new Map<number, () => void>();
  private readonly failed = new Map<number, () => void>();
  private bootstrapped = false;
  readonly services: Service[] = [];
  readonly customers: Customer[] = [];
  readonly open: Order[] = [];
  readonly finished: Record<'Completed' | 'Partial' | 'Canceled' | 'Fail', Order[]> = {
    Completed: [],
    Partial: [],
    Canceled: [],
    Fail: [],
  };
  readonly payments: Payment[] = [];
  readonly tickets: string[] = [];
  eventsEnabled: boolean;
  /** How many of each claim were generated. */
  readonly claims = new Map<string, number>();

  constructor(
    options: WorldOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.rng = new Rng(options.seed);
    this.prefix = options.idPrefix ?? '';
    this.ticketShare = options.ticketShare ?? 1 / 35;
    this.eventsEnabled = options.events ?? true;
    this.eventShare = options.eventShare ?? 0.35;
    this.servicesWanted = options.services ?? 24;
    this.weights = {
      order: 34,
      batch: 3,
      progress: 40,
      payment: 5,
      payment_change: 0.7,
      ticket: 0,
      message: 0,
      customer: 2,
      ...options.weights,
    };
    if (options.weights?.ticket === undefined) this.weights.ticket = 64 * this.ticketShare;
    if (options.weights?.message === undefined) this.weights.message = this.weights.ticket * 0.6;
  }
  private readonly servicesWanted: number;
  private readonly eventShare: number;

  // ------------------------------------------------------------------------------------------
  // The sender's side.

  /** The next step: requests to send in order (stop at the first refused one). */
  next(): SimRequest[] {
    if (!this.bootstrapped) {
      this.bootstrapped = true;
      const steps = [];
      for (let i = 0; i < this.servicesWanted; i++) steps.push(this.serviceRequest(i));
      return steps;
    }
    const hasCustomers = this.customers.length > 0;
    const table: [StepKind, number][] = [
      ['order', this.weights.order],
      ['batch', this.weights.batch],
      ['progress', this.open.some((o) => !o.busy) ? this.weights.progress : 0],
      ['payment', hasCustomers ? this.weights.payment : 0],
      ['payment_change', this.payments.some((p) => !p.changed) ? this.weights.payment_change : 0],
      ['ticket', hasCustomers ? this.weights.ticket : 0],
      ['message', this.tickets.length ? this.weights.message : 0],
      ['customer', this.weights.customer],
    ];
    // The catalogue is still on its way: customers do not need it.
    if (!this.services.length) return [this.customerRequest()];
    switch (this.rng.weighted(table.filter(([, w]) => w > 0))) {
      case 'order':
        return this.orderStep(1);
      case 'batch':
        return this.orderStep(this.rng.int(2, 20));
      case 'progress':
        return this.progressStep();
      case 'payment':
        return [this.paymentRequest(this.rng.pick(this.customers).id, {})];
      case 'payment_change':
        return this.paymentChangeStep();
      case 'ticket':
        return this.ticketStep();
      case 'message':
        return [this.messageRequest()];
      case 'customer':
        return [this.customerRequest()];
    }
  }

  /** The server's answer to a request: accepted (2xx) or not. */
  settle(request: SimRequest, accepted: boolean): void {
    const done = accepted ? this.pending.get(request.seq) : this.failed.get(request.seq);
    this.pending.delete(request.seq);
    this.failed.delete(request.seq);
    done?.();
  }

  // ------------------------------------------------------------------------------------------
  // Helpers.

  private id(n: number | string) {
    return `${this.prefix}${n}`;
  }

  private iso(msAgo = 0): string {
    return new Date(this.clock() - msAgo).toISOString();
  }

  private request(
    kind: RequestKind,
    path: string,
    body: Record<string, unknown>,
    onAccepted?: () => void,
    onRefused?: () => void,
  ): SimRequest {
    const seq = ++this.seq;
    if (onAccepted) this.pending.set(seq, onAccepted);
    if (onRefused) this.failed.set(seq, onRefused);
    return { seq, kind, method: 'POST', path, body, idempotencyKey: `sim-${this.prefix}${seq}-${this.rng.hex(12)}` };
  }

  /** Mixed case and spellings, as panels send them. */
  private statusWord(status: PanelStatus): string {
    const r = this.rng.next();
    if (status === 'Canceled' && r < 0.3) return 'Cancelled';
    if (r < 0.1) return status.toLowerCase();
    if (r < 0.13) return status.toUpperCase();
    return status;
  }

  // ------------------------------------------------------------------------------------------
  // Catalogue and customers.

  private serviceRequest(i: number): SimRequest {
    const k = SERVICE_KINDS[i % SERVICE_KINDS.length]!;
    const refillDays = this.rng.weighted<number | null>([
      [null, 35],
      [30, 35],
      [7, 8],
      [60, 7],
      [365, 10],
      [0, 5],
    ]);
    const refill = refillDays !== null;
    const tag = refillDays === null ? '[No Refill]' : refillDays === 0 ? '♻️ Lifetime' : `[R${refillDays}]`;
    const rate = Math.max(0.001, Math.min(200, this.rng.logNormal(k.median, k.p90)));
    const rateE4 = Math.max(10, Math.round(rate * 10_000));
    const service: Service = {
      id: this.id(1000 + i),
      platform: k.platform,
      kind: k.kind,
      rateE4,
      min: k.kind === 'Custom Comments' ? 5 : this.rng.pick([10, 50, 100]),
      max: this.rng.pick([10_000, 50_000, 100_000, 1_000_000]),
      refill,
      cancel: this.rng.chance(0.6),
    };
    return this.request(
      'service',
      '/services',
      {
        id: service.id,
        name: `${k.category} ${this.rng.pick(['HQ', 'Real', 'Fast', 'Max', 'Non Drop', 'Mixed'])} ${tag}`,
        category: k.category,
        platform: k.platform,
        rate: decimal(rateE4, 4),
        currency: 'USD',
        min: service.min,
        max: service.max,
        refill,
        refillDays: refill ? refillDays : null,
        cancel: service.cancel,
      },
      () => this.services.push(service),
    );
  }

  private customerRequest(): SimRequest {
    const n = ++this.counter;
    const customer: Customer = {
      id: this.id(50_000 + n),
      username: `${this.rng.pick(['smm', 'boost', 'grow', 'viral', 'insta', 'media', 'star'])}${this.rng.pick(['king', 'shop', 'hub', 'pro', 'lab', 'zone'])}${n}`,
      reseller: this.rng.chance(0.15),
    };
    return this.request(
      'customer',
      '/customers',
      {
        id: customer.id,
        username: customer.username,
        email: `${customer.username}@${this.rng.pick(['gmail.com', 'outlook.com', 'proton.me', 'mail.ru', 'yahoo.com'])}`,
        currency: 'USD',
        createdAt: this.iso(this.rng.int(1, 400) * 86_400_000),
        isReseller: customer.reseller,
      },
      () => this.customers.push(customer),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Orders.

  private linkFor(service: Service, customer: Customer): string {
    switch (service.platform) {
      case 'youtube':
        return `https://www.youtube.com/watch?v=${this.rng.hex(11)}`;
      case 'telegram':
        return `https://t.me/${customer.username}_channel`;
      case 'tiktok':
        return `https://www.tiktok.com/@${customer.username}`;
      default:
        return service.kind === 'Followers'
          ? `https://instagram.com/${customer.username}`
          : `https://www.instagram.com/p/${this.rng.hex(11)}/`;
    }
  }

  private newOrder(customer: Customer, history: boolean): Order {
    const service = this.rng.pick(this.services);
    const quantity = Math.min(service.max, Math.max(service.min, Math.round(this.rng.logNormal(1000, 10_000) / 10) * 10 || service.min));
    // rate per 1000 (10⁻⁴) × quantity / 1000 = charge in 10⁻⁷.
    const charge = decimal(service.rateE4 * quantity, 7);
    const goal = this.rng.weighted<PanelStatus>([
      ['Completed', 84],
      ['Partial', 5],
      ['Canceled', 8],
      ['Fail', 1],
      ['In progress', 2],
    ]);
    return {
      number: this.id(100_000 + ++this.counter),
      customer: customer.id,
      service,
      link: this.linkFor(service, customer),
      quantity,
      charge,
      createdAt: this.iso(history ? this.rng.int(1, 25) * 86_400_000 + this.rng.int(0, 86_400_000) : 0),
      status: 'Pending',
      startCount: null,
      remains: quantity,
      goal,
      busy: false,
    };
  }

  /** Moves an order to `status` (its counts follow). */
  private advance(order: Order, status: PanelStatus): Order {
    const next = { ...order, status };
    if (status === 'In progress') {
      next.startCount = this.rng.int(0, 50_000);
      next.remains = this.rng.chance(0.1) ? 'Unknown' : Math.round(order.quantity * this.rng.next());
    } else if (status === 'Completed') {
      next.startCount ??= this.rng.int(0, 50_000);
      next.remains = this.rng.chance(0.05) ? -this.rng.int(1, 20) : 0;
    } else if (status === 'Partial') {
      next.startCount ??= this.rng.int(0, 50_000);
      next.remains = Math.max(1, Math.round(order.quantity * this.rng.next() * 0.8));
    } else if (status === 'Canceled' || status === 'Fail') {
      next.remains = order.quantity;
    }
    return next;
  }

  private orderBody(o: Order, statusChangedAt?: string): Record<string, unknown> {
    return {
      number: o.number,
      customer: o.customer,
      service: o.service.id,
      link: o.link,
      quantity: this.rng.chance(0.3) ? String(o.quantity) : o.quantity,
      charge: this.rng.chance(0.2) ? Number(o.charge) : o.charge,
      currency: this.rng.chance(0.1) ? 'usd' : 'USD',
      ...(o.startCount !== null && { startCount: this.rng.chance(0.5) ? String(o.startCount) : o.startCount }),
      remains: typeof o.remains === 'number' && this.rng.chance(0.5) ? String(o.remains) : o.remains,
      status: this.statusWord(o.status),
      createdAt: o.createdAt,
      ...(statusChangedAt && { statusChangedAt }),
    };
  }

  private track(order: Order) {
    if (order.status === 'Pending' || order.status === 'In progress') {
      if (order.goal === 'In progress' && order.status === 'In progress') return; // stays running, never touched again
      this.open.push(order);
    } else this.finished[order.status].push(order);
  }

  private orderStep(count: number): SimRequest[] {
    const steps: SimRequest[] = [];
    let customer: Customer;
    if (!this.customers.length || this.rng.chance(0.25)) {
      const req = this.customerRequest();
      steps.push(req);
      // The order refers to it; it is known once accepted (settle runs before the next request of the step).
      customer = { id: (req.body.id as string) ?? '', username: req.body.username as string, reseller: req.body.isReseller as boolean };
    } else customer = this.rng.pick(this.customers);
    // A new customer often brings history: orders from the last weeks, already finished.
    const history = steps.length > 0 && this.rng.chance(0.6);
    const orders: Order[] = [];
    for (let i = 0; i < count; i++) {
      let order = this.newOrder(customer, history);
      if (history) {
        order = this.advance(order, 'In progress');
        order = this.advance(order, order.goal === 'Fail' ? 'Fail' : order.goal);
      }
      orders.push(order);
    }
    const stamp = (o: Order) => (o.status === 'Pending' ? undefined : this.iso(this.rng.int(3_600_000, 86_400_000)));
    if (count === 1) {
      const o = orders[0]!;
      steps.push(this.request('order', '/orders', this.orderBody(o, stamp(o)), () => this.track(o)));
    } else {
      steps.push(
        this.request('order_batch', '/orders', { orders: orders.map((o) => this.orderBody(o, stamp(o))) }, () => {
          for (const o of orders) this.track(o);
        }),
      );
    }
    return steps;
  }

  /** A batch of `count` new orders of existing customers (the benchmark's batches). */
  orderBatch(count: number): SimRequest {
    const orders = Array.from({ length: count }, () => this.newOrder(this.rng.pick(this.customers), false));
    return this.request('order_batch', '/orders', { orders: orders.map((o) => this.orderBody(o)) }, () => {
      for (const o of orders) this.track(o);
    });
  }

  private progressStep(): SimRequest[] {
    const candidates = this.open.filter((o) => !o.busy);
    const order = this.rng.pick(candidates);
    order.busy = true;
    const target: PanelStatus =
      order.status === 'Pending'
        ? order.goal === 'Canceled' && this.rng.chance(0.5)
          ? 'Canceled'
          : 'In progress'
        : order.goal === 'In progress'
          ? 'In progress'
          : order.goal;
    const next = this.advance(order, target);
    const at = this.iso();
    const apply = () => {
      const i = this.open.indexOf(order);
      if (i >= 0) this.open.splice(i, 1);
      this.track({ ...next, busy: false });
    };
    const release = () => {
      order.busy = false;
    };
    if (this.eventsEnabled && this.rng.chance(this.eventShare)) {
      const data: Record<string, unknown> = { to: this.statusWord(target) };
      if (typeof next.remains === 'number') data.remains = next.remains;
      if (next.startCount !== null) data.startCount = next.startCount;
      return [
        this.request(
          'event',
          `/orders/${encodeURIComponent(order.number)}/events`,
          { eventId: `ev-${order.number}-${target.replace(' ', '-').toLowerCase()}`, kind: 'status_changed', at, data },
          apply,
          release,
        ),
      ];
    }
    return [this.request('order_progress', '/orders', this.orderBody(next, at), apply, release)];
  }

  // ------------------------------------------------------------------------------------------
  // Payments.

  private paymentRequest(customer: string, extra: { credited?: boolean; duplicateOf?: string; method?: string }): SimRequest {
    const method =
      extra.method ??
      this.rng.weighted<string>([
        ['crypto', 55],
        ['wallet', 20],
        ['card', 20],
        ['bank', 5],
      ]);
    const amount = Math.min(500, Math.max(1, this.rng.logNormal(10, 60)));
    const payment: Payment = { id: this.id(`P${++this.counter}`), customer, method, credited: extra.credited ?? true, changed: false };
    return this.request(
      'payment',
      '/payments',
      {
        kind: 'payment',
        id: payment.id,
        customer,
        method,
        processor: this.rng.pick(PROCESSORS[method]!),
        transactionId: method === 'crypto' ? `0x${this.rng.hex(40)}` : `txn_${this.rng.hex(16)}`,
        amount: decimal(Math.round(amount * 100), 2),
        currency: 'USD',
        paidAt: this.iso(this.rng.int(60_000, 20 * 86_400_000)),
        credited: payment.credited,
        ...(extra.duplicateOf && { duplicateOf: extra.duplicateOf }),
        balanceSpent: this.rng.chance(0.5),
      },
      () => this.payments.push(payment),
    );
  }

  private paymentChangeStep(): SimRequest[] {
    const payment = this.rng.pick(this.payments.filter((p) => !p.changed));
    payment.changed = true;
    const kind = !payment.credited ? 'credited' : payment.method === 'card' ? this.rng.pick(['dispute_opened', 'chargeback']) : 'credited';
    return [
      this.request('payment_change', '/payments', { kind, id: payment.id, at: this.iso() }, () => {
        if (kind === 'credited') payment.credited = true;
      }),
    ];
  }

  // ------------------------------------------------------------------------------------------
  // Tickets.

  /** An order of the right kind for the claim, if there is one. */
  private orderFor(claim: string): Order | undefined {
    const pools: Record<string, Order[]> = {
      drop: this.finished.Completed,
      not_started: this.open.filter((o) => o.status === 'Pending'),
      not_delivered: [...this.finished.Completed, ...this.open.filter((o) => o.status === 'In progress')],
      partial_delivery: this.finished.Partial,
      cancel_request: this.open,
      slow_delivery: this.open.filter((o) => o.status === 'In progress'),
    };
    const pool = pools[claim]?.length ? pools[claim] : [...this.finished.Completed, ...this.open];
    return pool.length ? this.rng.pick(pool) : undefined;
  }

  /** The order number as customers write it. */
  private written(number: string): string {
    return this.rng.weighted<string>([
      [number, 70],
      [`#${number}`, 15],
      [`order ${number}`, 8],
      [` ${number} `, 4],
      [`${number}, ${number}`, 3],
    ]);
  }

  private ticketStep(): SimRequest[] {
    const claim = this.rng.weighted(CLAIM_MIX);
    this.claims.set(claim, (this.claims.get(claim) ?? 0) + 1);
    const steps: SimRequest[] = [];
    const panelId = this.id(`T${++this.counter}`);
    const body: Record<string, unknown> = {
      panelId,
      claim,
      requestedRemedy: REMEDIES[claim] ? this.rng.weighted(REMEDIES[claim]) : null,
      message: this.rng.pick(WORDS[claim]!),
      openedAt: this.iso(this.rng.int(0, 5_000)),
    };
    if (ORDER_CLAIMS.includes(claim) || claim === 'quality' || claim === 'wrong_link') {
      const order = this.orderFor(claim);
      if (order) {
        body.customer = order.customer;
        body.orderNumber = this.written(order.number);
        body.link = this.rng.chance(0.8) ? order.link : order.link.replace(/^https:\/\/(www\.)?/, '');
        if (claim === 'drop' && this.eventsEnabled && this.rng.chance(0.4))
          steps.push(
            this.request('event', `/orders/${encodeURIComponent(order.number)}/events`, {
              eventId: `ev-${order.number}-drop-${this.rng.hex(6)}`,
              kind: 'drop_noticed',
              at: this.iso(),
              data: { count: Math.max(0, (order.startCount ?? 0) + order.quantity - this.rng.int(10, Math.max(11, order.quantity))) },
            }),
          );
      } else body.customer = this.rng.pick(this.customers).id;
      if (claim === 'partial_delivery' || claim === 'drop')
        body.explanation = this.rng.pick(['see screenshot', 'count went down', 'check please', null]);
    } else if (PAYMENT_CLAIMS.includes(claim)) {
      const customer = this.rng.pick(this.customers).id;
      body.customer = customer;
      const original = this.payments.find((p) => p.customer === customer);
      const pay =
        claim === 'payment_not_credited'
          ? this.paymentRequest(customer, { credited: false })
          : claim === 'duplicate_payment' && original
            ? this.paymentRequest(customer, { duplicateOf: original.id, method: original.method })
            : this.paymentRequest(customer, { method: 'crypto', credited: this.rng.chance(0.5) });
      steps.push(pay);
      body.payment = pay.body.id;
    } else {
      body.customer = this.rng.pick(this.customers).id;
    }
    body.chargebackThreatened = this.rng.chance(PAYMENT_CLAIMS.includes(claim) ? 0.15 : 0.03);
    if (this.rng.chance(0.03)) body.mandatoryLawClaimed = true;
    if (this.rng.chance(0.04)) body.resellerDownstreamDispute = true;
    steps.push(this.request('ticket', '/tickets', body, () => this.tickets.push(panelId)));
    return steps;
  }

  private messageRequest(): SimRequest {
    const panelId = this.rng.pick(this.tickets);
    return this.request('message', `/tickets/${encodeURIComponent(`panel:${panelId}`)}/messages`, {
      body: this.rng.pick(REPLIES),
      at: this.iso(),
    });
  }
}

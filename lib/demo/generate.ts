/**
 * The pure generator: one block of tickets with the customers, orders (and their timelines),
 * payments, messages, findings and evidence drafts they bring. Same environment, block index and
 * id cursor → same rows; nothing here touches the database, the disk or the clock.
 */
import { slaDueDates } from '@/lib/tickets/sla';
import type { Ticket } from '@/db/schema';
import { isProfileMetric, metricLabel } from './catalog';
import { makeEvidence } from './evidence-drafts';
import { email, handle, orderLink, profileLink, username } from './people';
import { DUPLICATE_METHOD, METHOD_MIX, NOT_CREDITED_METHOD, duplicateOf, makePayment, type Method } from './payments';
import {
  casualCount,
  customerFollowUp,
  customerOpening,
  internalNote,
  staffAsk,
  staffReply,
  staffResolution,
  type Claim,
  type PhraseContext,
} from './phrases';
import { Rng, type Weighted } from './random';
import {
  emptyBlock,
  type Block,
  type CustomerRow,
  type FindingsRow,
  type IdCursor,
  type MessageRow,
  type OrderStatus,
  type PaymentRow,
  type SeedService,
  type StaffIds,
  type Subject,
  type TicketRow,
} from './rows';
import { DAY, HOUR, MINUTE, buildOrder, clamp, orderQuantity, type OrderPlan } from './timeline';

/** Tickets per generation block: customers never span blocks, and each block has its own PRNG stream. */
export const BLOCK_TICKETS = 1_000;

export interface GenEnv {
  seed: number;
  /** The "now" of the data, in ms: nothing happens after it. */
  anchorMs: number;
  services: readonly SeedService[];
  staff: StaffIds;
  /** Digits of the unique suffix of usernames (enough for every customer of the run). */
  usernameDigits: number;
}

const byPlatform = new WeakMap<readonly SeedService[], Map<string, SeedService[]>>();

/** The services of one platform (indexed once per service list). */
function servicesOf(env: GenEnv, platform: string): SeedService[] {
  let index = byPlatform.get(env.services);
  if (!index) {
    index = new Map();
    for (const s of env.services) index.set(s.platform, [...(index.get(s.platform) ?? []), s]);
    byPlatform.set(env.services, index);
  }
  return index.get(platform) ?? [];
}

/** How many customers a block of `tickets` tickets makes: about half as many, plus some without tickets. */
export function customersForBlock(tickets: number): { withTickets: number; idle: number } {
  return { withTickets: Math.max(1, Math.round(tickets * 0.5)), idle: Math.round(tickets * 0.06) };
}

/** The mix of claims (DOMAIN.md: order claims ~76%, payment ~14%, other and never remedied ~10%). */
export const CLAIM_MIX: Weighted<Claim> = [
  ['drop', 28],
  ['not_started', 12],
  ['not_delivered', 10],
  ['partial_delivery', 8],
  ['cancel_request', 12],
  ['slow_delivery', 6],
  ['payment_not_credited', 7],
  ['duplicate_payment', 4],
  ['crypto_payment_issue', 3],
  ['quality', 2.5],
  ['wrong_link', 1.5],
  ['unused_balance', 1],
  ['price_change', 1],
  ['change_of_mind', 1.5],
  ['other', 2.5],
];

type Remedy = NonNullable<Ticket['requestedRemedy']>;

const REMEDY_MIX: Record<Claim, Weighted<Remedy | null>> = {
  not_started: [
    ['reprocess', 30],
    ['balance_credit', 30],
    ['original_method_refund', 20],
    [null, 20],
  ],
  not_delivered: [
    ['reprocess', 25],
    ['balance_credit', 35],
    ['original_method_refund', 25],
    [null, 15],
  ],
  partial_delivery: [
    ['balance_credit', 45],
    ['original_method_refund', 25],
    ['reprocess', 15],
    [null, 15],
  ],
  drop: [
    ['refill', 75],
    ['balance_credit', 10],
    ['original_method_refund', 5],
    [null, 10],
  ],
  cancel_request: [
    ['cancel', 70],
    ['balance_credit', 20],
    ['original_method_refund', 10],
  ],
  duplicate_payment: [
    ['original_method_refund', 60],
    ['balance_credit', 30],
    [null, 10],
  ],
  payment_not_credited: [
    ['balance_credit', 70],
    ['original_method_refund', 20],
    [null, 10],
  ],
  slow_delivery: [
    [null, 40],
    ['cancel', 20],
    ['original_method_refund', 20],
    ['balance_credit', 20],
  ],
  quality: [
    ['original_method_refund', 40],
    ['balance_credit', 30],
    ['refill', 10],
    [null, 20],
  ],
  wrong_link: [
    ['cancel', 30],
    ['balance_credit', 30],
    ['reprocess', 20],
    ['original_method_refund', 20],
  ],
  crypto_payment_issue: [
    ['balance_credit', 50],
    ['original_method_refund', 40],
    [null, 10],
  ],
  unused_balance: [
    ['original_method_refund', 90],
    [null, 10],
  ],
  price_change: [
    ['balance_credit', 70],
    [null, 30],
  ],
  change_of_mind: [
    ['original_method_refund', 50],
    ['balance_credit', 30],
    ['cancel', 20],
  ],
  other: [
    [null, 70],
    ['balance_credit', 15],
    ['original_method_refund', 15],
  ],
};

const PAYMENT_CLAIMS = new Set<Claim>(['duplicate_payment', 'payment_not_credited', 'crypto_payment_issue']);
const NO_ORDER_CLAIMS = new Set<Claim>([...PAYMENT_CLAIMS, 'unused_balance']);

/** Final states of orders nobody complained about (DOMAIN.md). */
const BACKGROUND_STATUS: Weighted<'completed' | 'partial' | 'canceled' | 'failed' | 'processing' | 'submitted'> = [
  ['completed', 84],
  ['partial', 5],
  ['canceled', 8],
  ['failed', 1],
  ['processing', 1.4],
  ['submitted', 0.6],
];

// Shapes of the orders and payments tickets are about, by claim.
const NOT_STARTED_STATUS: Weighted<OrderStatus> = [
  ['submitted', 40],
  ['processing', 45],
  ['canceled', 15],
];
const NOT_DELIVERED_STATUS: Weighted<OrderStatus> = [
  ['completed', 55],
  ['canceled', 20],
  ['processing', 25],
];
const PARTIAL_KIND: Weighted<'partial' | 'minor' | 'completed'> = [
  ['partial', 65],
  ['minor', 15],
  ['completed', 20],
];
const CANCEL_STATUS: Weighted<OrderStatus> = [
  ['submitted', 35],
  ['processing', 40],
  ['completed', 10],
  ['canceled', 15],
];
const OTHER_STATUS: Weighted<OrderStatus> = [
  ['completed', 75],
  ['processing', 15],
  ['submitted', 5],
  ['partial', 5],
];
const START_ERRORS: Weighted<number> = [
  [0, 5],
  [1, 3],
  [2, 2],
  [3, 1],
];
type RefillResult = 'Completed' | 'Rejected' | 'Error' | null;
const BACKGROUND_REFILL: Weighted<RefillResult> = [
  ['Completed', 6],
  ['Rejected', 2],
  ['Error', 1],
  [null, 1],
];
const DROP_REFILL: Weighted<RefillResult> = [
  ['Rejected', 4],
  ['Completed', 2],
  ['Error', 1],
  [null, 3],
];
interface Profile {
  isReseller: boolean;
  isSerial: boolean;
  hasChargebackOpen: boolean;
  isFraudFlagged: boolean;
  isSuspended: boolean;
}

/** What one customer has while their rows are made. */
interface CustomerCtx {
  id: number;
  profile: Profile;
  accounts: { service: SeedService; account: string }[];
  firstActivityMs: number;
  payments: PaymentRow[];
}

export function generateBlock(env: GenEnv, blockIndex: number, ticketCount: number, ids: IdCursor): Block {
  const steps = blockSteps(env, blockIndex, ticketCount, ids);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same as generateBlock, in small steps: it pauses after every few customers so a caller can
 * let I/O through (the database keeps receiving the previous batch meanwhile).
 */
export function* blockSteps(env: GenEnv, blockIndex: number, ticketCount: number, ids: IdCursor): Generator<void, Block, void> {
  const rng = Rng.derive(env.seed, 0x5eed, blockIndex);
  const out = emptyBlock();
  const { withTickets, idle } = customersForBlock(ticketCount);

  const profiles = Array.from({ length: withTickets + idle }, () => makeProfile(rng));
  // Every customer with tickets has one; the rest go mostly to serial complainers and resellers.
  const ticketsPer = profiles.map((_, i): number => (i < withTickets ? 1 : 0));
  const weights: Weighted<number> = profiles.slice(0, withTickets).map((p, i) => [i, p.isSerial ? 10 : p.isReseller ? 2 : 1] as const);
  for (let extra = ticketCount - withTickets; extra > 0; extra--) {
    const i = rng.weighted(weights);
    ticketsPer[i] = (ticketsPer[i] ?? 0) + 1;
  }
  yield;

  for (let i = 0; i < profiles.length; i++) {
    makeCustomer(env, rng, ids, out, profiles[i]!, ticketsPer[i] ?? 0);
    if (i % 8 === 7) yield;
  }
  return out;
}

function makeProfile(rng: Rng): Profile {
  const hasChargebackOpen = rng.chance(0.012);
  const isFraudFlagged = rng.chance(0.01);
  return {
    isReseller: rng.chance(0.15),
    isSerial: rng.chance(0.03),
    hasChargebackOpen,
    isFraudFlagged,
    isSuspended: (hasChargebackOpen && rng.chance(0.7)) || (isFraudFlagged && rng.chance(0.3)) || rng.chance(0.005),
  };
}

function makeCustomer(env: GenEnv, rng: Rng, ids: IdCursor, out: Block, profile: Profile, ticketCount: number): void {
  const id = ++ids.customer;
  const name = username(rng, ids.customerIndex++, env.usernameDigits);
  const customer: CustomerRow = {
    id,
    externalId: String(10_000 + id * 3 + rng.int(0, 2)),
    username: name,
    email: email(rng, name),
    isReseller: profile.isReseller,
    isSuspended: profile.isSuspended,
    hasChargebackOpen: profile.hasChargebackOpen,
    isFraudFlagged: profile.isFraudFlagged,
    currency: 'USD',
    createdAt: new Date(0), // set below, once the first activity is known
  };
  out.customers.push(customer);

  const ctx: CustomerCtx = {
    id,
    profile,
    accounts: makeAccounts(env, rng, profile),
    firstActivityMs: env.anchorMs,
    payments: [],
  };

  // Deposits: a few for everyone, more for resellers.
  const deposits = profile.isReseller ? rng.int(3, 8) : rng.int(1, 3);
  for (let i = 0; i < deposits; i++) {
    const paidMs = env.anchorMs - rng.real(0.2, 120) * DAY;
    const payment = makePayment(rng, ids, ctx, { method: rng.weighted(METHOD_MIX), paidMs });
    payment.isCredited = !rng.chance(0.02);
    payment.isBalanceSpent = payment.isCredited && rng.chance(0.8);
    out.payments.push(payment);
    if (rng.chance(0.01)) out.payments.push(duplicateOf(rng, ids, ctx, payment, rng.chance(0.5)));
  }

  // Orders nobody complains about: about two per ticket, one to three for customers without tickets.
  const background = ticketCount === 0 ? rng.int(1, 3) : ticketCount * 2 + (profile.isReseller ? rng.int(0, 3) : 0);
  for (let i = 0; i < background; i++) backgroundOrder(env, rng, ids, out, ctx);

  for (let t = 0; t < ticketCount; t++) makeTicket(env, rng, ids, out, ctx);

  const first = Math.min(ctx.firstActivityMs, ...ctx.payments.map((p) => p.paidAt.getTime()));
  customer.createdAt = new Date(first - rng.real(0.02, 400) * DAY);
}

function makeAccounts(env: GenEnv, rng: Rng, profile: Profile): CustomerCtx['accounts'] {
  // A customer buys a handful of services for a few accounts (a reseller for many).
  const count = profile.isReseller ? rng.int(5, 12) : rng.int(1, 4);
  const accounts: CustomerCtx['accounts'] = [];
  const favourite = rng.pick(env.services).platform;
  for (let i = 0; i < count; i++) {
    const pool = rng.chance(0.7) ? servicesOf(env, favourite) : env.services;
    accounts.push({ service: rng.pick(pool), account: handle(rng) });
  }
  return accounts;
}

/** A link for an order on one of the customer's accounts; now and then with stray white space. */
function linkFor(rng: Rng, service: SeedService, account: string): string {
  const link = isProfileMetric(service.metric) ? profileLink(rng, service.platform, account) : orderLink(rng, service, account);
  return rng.chance(0.02) ? `${link} ` : rng.chance(0.01) ? ` ${link}` : link;
}

function pickTarget(rng: Rng, ctx: CustomerCtx, want?: (s: SeedService) => boolean) {
  const candidates = want ? ctx.accounts.filter((a) => want(a.service)) : ctx.accounts;
  const base = candidates.length > 0 ? rng.pick(candidates) : rng.pick(ctx.accounts);
  if (want && !want(base.service)) return null;
  return base;
}

function backgroundOrder(env: GenEnv, rng: Rng, ids: IdCursor, out: Block, ctx: CustomerCtx): void {
  const { service, account } = rng.pick(ctx.accounts);
  const kind = rng.weighted(BACKGROUND_STATUS);
  const quantity = orderQuantity(rng, service);
  const limitMs = env.anchorMs;
  let plan: OrderPlan;
  if (kind === 'processing' || kind === 'submitted') {
    const statusMs = env.anchorMs - rng.real(0.02, 2.5) * DAY;
    plan = {
      service,
      customerId: ctx.id,
      link: linkFor(rng, service, account),
      quantity,
      status: kind,
      createdMs: kind === 'submitted' ? statusMs : statusMs - rng.real(1, 120) * MINUTE,
      statusMs,
      deliveredShare: kind === 'processing' ? rng.real(0, 0.8) : 0,
      errors: kind === 'submitted' && rng.chance(0.3) ? rng.int(1, 2) : 0,
      limitMs,
    };
  } else {
    const statusMs = env.anchorMs - rng.real(0.05, 90) * DAY;
    const status: OrderStatus = kind === 'failed' ? 'canceled' : kind;
    plan = {
      service,
      customerId: ctx.id,
      link: linkFor(rng, service, account),
      quantity,
      status,
      failed: kind === 'failed',
      createdMs: statusMs - duration(rng, service),
      statusMs,
      errors: rng.chance(0.05) ? 1 : 0,
      limitMs,
    };
    if (status === 'completed' && service.refillDays !== null && rng.chance(0.06)) {
      const dropMs = statusMs + rng.real(1, 20) * DAY;
      if (rng.chance(0.5)) plan.drop = { atMs: dropMs, share: rng.real(0.05, 0.5) };
      plan.refill = { atMs: dropMs + rng.real(1, 48) * HOUR, result: rng.weighted(BACKGROUND_REFILL) };
    }
  }
  const built = buildOrder(rng, plan, ids, out.orderEvents);
  out.orders.push(built.row);
  ctx.firstActivityMs = Math.min(ctx.firstActivityMs, plan.createdMs);
}

/** How long an order takes from creation to its final status: minutes for views, days for subscribers. */
function duration(rng: Rng, service: SeedService): number {
  switch (service.metric) {
    case 'views':
    case 'likes':
    case 'reactions':
      return rng.logNormal(40 * MINUTE, 6 * HOUR);
    case 'subscribers':
    case 'watch_hours':
      return rng.logNormal(2 * DAY, 7 * DAY);
    default:
      return rng.logNormal(6 * HOUR, 2 * DAY);
  }
}

// ---------------------------------------------------------------------------------------------
// Tickets

/** Days between the order's (or payment's) last change and the ticket: mostly within the week. */
function gapDays(rng: Rng): number {
  return rng.chance(0.12) ? rng.real(7.2, 25) : rng.real(0.05, 6.9);
}

function makeTicket(env: GenEnv, rng: Rng, ids: IdCursor, out: Block, ctx: CustomerCtx): void {
  const claim = rng.weighted(CLAIM_MIX);
  const ageDays = 20 * Math.pow(rng.next(), 1.15);
  const openedMs = Math.round(env.anchorMs - ageDays * DAY - rng.real(0, 30) * MINUTE);
  const subject = makeSubject(env, rng, ids, out, ctx, claim, openedMs);
  ctx.firstActivityMs = Math.min(ctx.firstActivityMs, openedMs);

  const id = ++ids.ticket;
  const order = subject.order?.row ?? null;
  const payment = subject.payment;
  const service = subject.service;
  const isChargebackThreatened = rng.chance(payment && payment.method !== 'crypto' ? 0.08 : 0.025);
  const isMandatoryLawClaimed = rng.chance(0.01);
  const isResellerDownstreamDispute = ctx.profile.isReseller && rng.chance(0.12);

  const phrase: PhraseContext = {
    status: order?.status,
    order: order ? order.externalId : null,
    link: order ? order.link.trim() : null,
    qty: order?.quantity,
    got: order?.delivered,
    metric: service ? metricLabel(service.metric).toLowerCase() : undefined,
    platform: service?.platform,
    days: Math.max(1, Math.round((openedMs - (order?.createdAt.getTime() ?? openedMs)) / DAY)),
    hours: Math.max(1, Math.round((openedMs - (payment?.paidAt.getTime() ?? openedMs - 5 * HOUR)) / HOUR)),
    amount: payment ? `$${payment.amount}` : `$${rng.int(3, 60)}`,
    method: payment ? (payment.method === 'crypto' ? 'USDT' : payment.processor) : undefined,
    processor: payment?.processor,
    tx: payment?.transactionId,
    wrongLink: subject.intendedLink,
  };
  if (subject.order?.startCount != null) {
    const expected = subject.order.startCount + (order?.delivered ?? 0);
    phrase.from = casualCount(expected);
    phrase.to = casualCount(subject.order.droppedTo ?? Math.round(expected * rng.real(0.6, 0.95)));
  }

  const hasExplanation = !rng.chance(0.04);
  const opening = customerOpening(rng, claim, phrase, {
    chargebackThreat: isChargebackThreatened,
    mandatoryLaw: isMandatoryLawClaimed,
    resellerDispute: isResellerDownstreamDispute,
  });

  // Status and assignee: fresh tickets are open; older ones may wait for the customer or be done.
  const age = env.anchorMs - openedMs;
  let status: TicketRow['status'] = 'open';
  if (age > 6 * HOUR) {
    const r = rng.next();
    if (r < 0.15) status = 'waiting_customer';
    else if (r < 0.27 && age > DAY) status = 'resolved';
  }
  const { agents, supervisors, former } = env.staff;
  let assigneeId: number | null = null;
  if (status !== 'open' || rng.chance(0.3)) {
    if (former !== null && status === 'open' && rng.chance(0.03)) assigneeId = former;
    else if (supervisors.length > 0 && rng.chance(0.1)) assigneeId = rng.pick(supervisors);
    else if (agents.length > 0) assigneeId = rng.pick(agents);
  }

  const ticket: TicketRow = {
    id,
    externalId: String(200_000 + id * 2 + rng.int(0, 1)),
    customerId: ctx.id,
    orderId: order?.id ?? null,
    paymentId: payment?.id ?? null,
    claim,
    requestedRemedy: rng.weighted(REMEDY_MIX[claim]),
    orderNumberGiven: order ? givenOrderNumber(rng, order.externalId) : null,
    targetLinkGiven: order ? givenLink(rng, order.link, subject.intendedLink) : null,
    explanation: hasExplanation ? opening : null,
    isMandatoryLawClaimed,
    isChargebackThreatened,
    isResellerDownstreamDispute,
    status,
    assigneeId,
    openedAt: new Date(openedMs),
    eligibilityDeadline: null,
    suggestedOutcome: null,
    suggestedAmount: null,
    suggestion: null,
    suggestionParamsVersion: null,
    amountAtStake: order?.charge ?? payment?.amount ?? null,
    ...slaDueDates(claim, new Date(openedMs)),
    // Stamped by the database from the first staff reply among the messages below.
    firstRespondedAt: null,
    updatedAt: new Date(openedMs),
  };
  out.tickets.push(ticket);

  let lastMs = openedMs;
  const message = (atMs: number, staffId: number | null, body: string, isInternal = false) => {
    if (atMs > env.anchorMs) return false;
    const row: MessageRow = { id: ++ids.message, ticketId: id, staffId, isInternal, body, createdAt: new Date(atMs) };
    out.ticketMessages.push(row);
    lastMs = Math.max(lastMs, atMs);
    return true;
  };
  message(openedMs, null, hasExplanation ? opening : ticket.orderNumberGiven?.trim() || rng.pick(['??', 'help', 'refund', 'pls check']));

  const staffId = assigneeId ?? (agents.length > 0 ? rng.pick(agents) : null);
  if (staffId !== null && (status !== 'open' || rng.chance(0.4)) && age > 2 * HOUR) {
    let at = openedMs + clamp(rng.logNormal(3 * HOUR, 20 * HOUR), 5 * MINUTE, age - MINUTE);
    if (rng.chance(0.2)) {
      const note = { ...phrase, startCount: order?.startCount ?? null };
      message(Math.max(openedMs + MINUTE, at - rng.real(1, 20) * MINUTE), staffId, internalNote(rng, note), true);
    }
    message(at, staffId, status === 'waiting_customer' ? staffAsk(rng, phrase) : staffReply(rng, claim, phrase));
    if (status !== 'waiting_customer' && rng.chance(0.5)) {
      at += rng.real(10, 600) * MINUTE;
      message(at, null, customerFollowUp(rng, phrase));
    }
    if (status === 'resolved') {
      at += rng.real(10, 240) * MINUTE;
      message(at, staffId, staffResolution(rng, claim, phrase));
    }
  } else if (rng.chance(0.3) && age > HOUR) {
    message(openedMs + rng.real(0.2, Math.min(age / HOUR, 48)) * HOUR, null, customerFollowUp(rng, phrase));
  }

  // Findings: about half the tickets, more of the older ones.
  if (rng.chance(0.3 + 0.45 * Math.min(1, age / (20 * DAY)))) {
    const at = Math.min(env.anchorMs, openedMs + rng.real(5 * MINUTE, Math.max(6 * MINUTE, Math.min(age, 3 * DAY))));
    out.ticketFindings.push(makeFindings(rng, id, claim, staffId, at));
    lastMs = Math.max(lastMs, at);
  }

  const lastUploadMs = makeEvidence(env.anchorMs, rng, ids, out, ticket, claim, subject, lastMs);
  ticket.updatedAt = new Date(Math.max(lastMs, lastUploadMs));
}

/** How customers write the order number: mostly right, sometimes with a hash, a space, a typo, or not at all. */
const ORDER_NUMBER_SHAPES: Weighted<(rng: Rng, n: string) => string | null> = [
  [(_, n) => n, 84],
  [(_, n) => `#${n}`, 4],
  [(_, n) => `${n} `, 3],
  [() => null, 6],
  [(rng, n) => typo(rng, n), 3],
];

/** How they write the link: as submitted, padded, missing, the other scheme, shortened, mistyped, cut. */
const LINK_SHAPES: Weighted<(rng: Rng, link: string, trimmed: string) => string | null> = [
  [(_, link) => link, 78],
  [(_, __, t) => `${t}  `, 5],
  [() => null, 6],
  [(_, __, t) => (t.startsWith('https://') ? `http://${t.slice(8)}` : `https://${t.replace(/^https?:\/\//, '')}`), 4],
  [(_, __, t) => t.replace('www.', '').replace(/\/$/, ''), 3],
  [(rng, _, t) => typo(rng, t), 2],
  [(_, __, t) => t.split('?')[0] ?? t, 2],
];

/** The order number as the customer typed it. */
export function givenOrderNumber(rng: Rng, number: string): string | null {
  return rng.weighted(ORDER_NUMBER_SHAPES)(rng, number);
}

/** The link as the customer typed it in the ticket; `intended` for the wrong-link complaint. */
export function givenLink(rng: Rng, link: string, intended?: string): string | null {
  if (intended && rng.chance(0.6)) return intended;
  return rng.weighted(LINK_SHAPES)(rng, link, link.trim());
}

/** Swaps two neighbouring characters (or drops one): the usual slip of a thumb. */
function typo(rng: Rng, text: string): string {
  if (text.length < 3) return `${text}1`;
  const i = rng.int(Math.floor(text.length / 2), text.length - 2);
  if (rng.chance(0.5)) return text.slice(0, i) + text.slice(i + 1);
  const a = text[i] ?? '';
  const b = text[i + 1] ?? '';
  return a === b ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + b + a + text.slice(i + 2);
}

function makeSubject(env: GenEnv, rng: Rng, ids: IdCursor, out: Block, ctx: CustomerCtx, claim: Claim, openedMs: number): Subject {
  if (claim === 'unused_balance') return { order: null, service: null, account: null, payment: null };
  if (PAYMENT_CLAIMS.has(claim))
    return { order: null, service: null, account: null, payment: subjectPayment(rng, ids, out, ctx, claim, openedMs) };
  if (claim === 'other' && rng.chance(0.5)) return { order: null, service: null, account: null, payment: null };

  const target =
    (claim === 'drop' && rng.chance(0.85) ? pickTarget(rng, ctx, (s) => s.refillDays !== null) : null) ??
    (claim === 'cancel_request' && rng.chance(0.6) ? pickTarget(rng, ctx, (s) => s.isCancelAllowed) : null) ??
    rng.pick(ctx.accounts);
  let { service } = target;
  if (claim === 'drop' && service.refillDays === null && rng.chance(0.7)) {
    // Drops are mostly reported on refill services; keep a few on services without refill.
    const refillable = servicesOf(env, service.platform).filter((s) => s.refillDays !== null);
    if (refillable.length > 0) service = rng.pick(refillable);
  }
  const quantity = orderQuantity(rng, service);
  const base = { service, customerId: ctx.id, link: linkFor(rng, service, target.account), quantity, limitMs: env.anchorMs };
  const before = (days: number) => openedMs - days * DAY;
  let plan: OrderPlan;
  let intendedLink: string | undefined;

  switch (claim) {
    case 'not_started': {
      const status = rng.weighted(NOT_STARTED_STATUS);
      const statusMs = status === 'canceled' ? before(gapDays(rng)) : before(rng.chance(0.1) ? rng.real(7.2, 12) : rng.real(0.2, 4));
      plan = {
        ...base,
        status,
        statusMs,
        createdMs: status === 'submitted' ? statusMs : statusMs - rng.real(1, status === 'canceled' ? 72 : 2) * HOUR,
        deliveredShare: 0,
        errors: status === 'submitted' ? rng.weighted(START_ERRORS) : rng.chance(0.2) ? 1 : 0,
        noRefund: status === 'canceled' && rng.chance(0.3),
      };
      break;
    }
    case 'not_delivered': {
      const status = rng.weighted(NOT_DELIVERED_STATUS);
      const statusMs = before(status === 'processing' ? rng.real(0.5, 6) : gapDays(rng));
      plan = {
        ...base,
        status,
        statusMs,
        createdMs: statusMs - duration(rng, service),
        deliveredShare: 0,
        noRefund: status === 'canceled' && rng.chance(0.5),
      };
      break;
    }
    case 'partial_delivery': {
      const kind = rng.weighted(PARTIAL_KIND);
      const statusMs = before(gapDays(rng));
      plan = {
        ...base,
        quantity: Math.max(quantity, Math.min(service.max, 200)),
        status: kind === 'completed' ? 'completed' : 'partial',
        statusMs,
        createdMs: statusMs - duration(rng, service),
        deliveredShare: kind === 'minor' ? rng.real(0.982, 0.999) : rng.real(0.1, 0.95),
        noRefund: rng.chance(0.5),
      };
      break;
    }
    case 'drop': {
      const window = service.refillDays && service.refillDays > 0 ? service.refillDays : 30;
      const completedAgo = rng.chance(0.15) ? rng.real(window + 1, window + 30) : rng.real(1.5, Math.min(window, 45));
      const statusMs = before(completedAgo);
      plan = { ...base, status: 'completed', statusMs, createdMs: statusMs - duration(rng, service) };
      const dropMs = statusMs + rng.real(0.3, 0.9) * (openedMs - statusMs);
      if (rng.chance(0.6)) plan.drop = { atMs: dropMs, share: rng.real(0.1, 0.8) };
      if (rng.chance(0.5)) {
        plan.refill = { atMs: Math.max(dropMs, openedMs - rng.real(1, 24) * HOUR), result: rng.weighted(DROP_REFILL) };
      }
      break;
    }
    case 'cancel_request': {
      const status = rng.weighted(CANCEL_STATUS);
      const running = status === 'submitted' || status === 'processing';
      const statusMs = before(running ? rng.real(0.02, 2) : gapDays(rng));
      const createdMs = status === 'submitted' ? statusMs : statusMs - (running ? rng.real(1, 60) * MINUTE : duration(rng, service));
      plan = { ...base, status, statusMs, createdMs, deliveredShare: status === 'processing' ? rng.real(0, 0.5) : 0 };
      if (rng.chance(0.6) || status === 'canceled') {
        const askedMs =
          status === 'canceled' ? createdMs + (statusMs - createdMs) * 0.5 : statusMs + (openedMs - statusMs) * rng.real(0.2, 0.9);
        const result = status === 'canceled' ? 'Canceled' : status === 'submitted' ? null : 'Rejected';
        plan.cancel = { atMs: askedMs, result };
      }
      break;
    }
    case 'slow_delivery': {
      const statusMs = before(rng.real(0.5, 6));
      plan = {
        ...base,
        status: 'processing',
        statusMs,
        createdMs: statusMs - rng.real(2, 90) * MINUTE,
        deliveredShare: rng.real(0.05, 0.6),
      };
      break;
    }
    default: {
      // quality, wrong_link, price_change, change_of_mind, other: an ordinary order.
      const status = rng.weighted(OTHER_STATUS);
      const running = status === 'submitted' || status === 'processing';
      const statusMs = before(running ? rng.real(0.05, 3) : gapDays(rng));
      plan = {
        ...base,
        status,
        statusMs,
        createdMs: status === 'submitted' ? statusMs : statusMs - (running ? rng.real(1, 60) * MINUTE : duration(rng, service)),
        deliveredShare: status === 'processing' ? rng.real(0, 0.7) : undefined,
      };
      if (claim === 'wrong_link') intendedLink = linkFor(rng, service, handle(rng)).trim();
    }
  }

  const built = buildOrder(rng, plan, ids, out.orderEvents);
  out.orders.push(built.row);
  ctx.firstActivityMs = Math.min(ctx.firstActivityMs, plan.createdMs);
  return { order: built, service, account: target.account, payment: null, intendedLink };
}

function subjectPayment(rng: Rng, ids: IdCursor, out: Block, ctx: CustomerCtx, claim: Claim, openedMs: number): PaymentRow {
  const paidMs = openedMs - gapDays(rng) * DAY;
  if (claim === 'duplicate_payment') {
    const method = rng.weighted(DUPLICATE_METHOD);
    const original = makePayment(rng, ids, ctx, { method, paidMs: paidMs - rng.real(20, 1200) * 1000 });
    original.isBalanceSpent = rng.chance(0.5);
    out.payments.push(original);
    if (rng.chance(0.15)) return original; // the customer thinks it was charged twice; it was not
    const dup = duplicateOf(rng, ids, ctx, original, rng.chance(0.5));
    dup.isOvercharged = method !== 'crypto' && rng.chance(0.05);
    dup.isBalanceSpent = dup.isCredited && rng.chance(0.4);
    out.payments.push(dup);
    return dup;
  }
  const method: Method = claim === 'crypto_payment_issue' ? 'crypto' : rng.weighted(NOT_CREDITED_METHOD);
  const payment = makePayment(rng, ids, ctx, { method, paidMs });
  payment.isCredited = claim === 'payment_not_credited' ? rng.chance(0.15) : rng.chance(0.5);
  payment.isOvercharged = method !== 'crypto' && rng.chance(0.04);
  payment.isBalanceSpent = payment.isCredited && rng.chance(0.4);
  out.payments.push(payment);
  return payment;
}

function tri(rng: Rng, pTrue: number, pFalse: number): boolean | null {
  const r = rng.next();
  return r < pTrue ? true : r < pTrue + pFalse ? false : null;
}

function makeFindings(rng: Rng, ticketId: number, claim: Claim, staffId: number | null, atMs: number): FindingsRow {
  const orderClaim = !NO_ORDER_CLAIMS.has(claim);
  const delivery = claim === 'not_started' || claim === 'not_delivered' || claim === 'partial_delivery';
  return {
    ticketId,
    linkValid: orderClaim ? tri(rng, 0.6, 0.04) : null,
    targetPublic: orderClaim ? tri(rng, 0.45, 0.08) : null,
    targetUnchanged: orderClaim ? tri(rng, claim === 'drop' ? 0.45 : 0.25, 0.06) : null,
    duplicateOrderSameTarget: orderClaim ? tri(rng, 0.04, 0.3) : null,
    otherProvidersUsed: orderClaim ? tri(rng, 0.04, 0.2) : null,
    platformAction: claim === 'drop' ? tri(rng, 0.08, 0.25) : orderClaim ? tri(rng, 0.02, 0.1) : null,
    companyFault: delivery || PAYMENT_CLAIMS.has(claim) ? tri(rng, 0.3, 0.2) : null,
    updatedBy: staffId,
    updatedAt: new Date(atMs),
  };
}

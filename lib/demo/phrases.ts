/**
 * What customers and staff write. Customers: short, informal, often second-language English, in
 * many variations; staff: polite templates and terse internal notes.
 */
import type { Ticket } from '@/db/schema';
import type { Rng } from './random';

export type Claim = Ticket['claim'];

/** The words a message can refer to; missing ones fall back to something vague. */
export interface PhraseContext {
  /** The order's status, to pick words that fit it. */
  status?: string;
  order?: string | null;
  link?: string | null;
  qty?: number;
  got?: number;
  metric?: string;
  platform?: string;
  days?: number;
  hours?: number;
  from?: string;
  to?: string;
  amount?: string;
  method?: string;
  processor?: string;
  tx?: string;
  wrongLink?: string;
}

const OPENERS = [
  '',
  '',
  '',
  'hello ',
  'hi ',
  'hello sir ',
  'hi admin ',
  'bro ',
  'dear support, ',
  'salam ',
  'hey ',
  'sir ',
  'hello team ',
  'admin pls ',
  'good morning, ',
  'hii ',
  'assalamualaikum ',
  'ola ',
  'hello dear ',
];
const CLOSERS = [
  '',
  '',
  '',
  ' pls',
  ' plz',
  ' please check',
  ' thanks',
  ' thank you',
  ' ??',
  ' !!',
  ' asap',
  ' pls fast',
  ' waiting',
  ' waiting ur reply',
  ' i am waiting',
  ' pls reply',
  ' 🙏',
  ' 😡',
  ' 🙏🙏',
  ' thx',
  ' tnx',
  ' my client is angry',
  ' its urgent',
  ' i am regular customer',
];

/** Templates; a leading `[status,status]` limits one to orders in those statuses. */
const TEMPLATES: Record<Claim, readonly string[]> = {
  not_started: [
    'my order {order} still not start, {days} days already!!',
    'order {order} not started yet',
    'order id {order} is pending since {days} days, nothing happen',
    'why my order {order} not starting? i paid already',
    '[submitted]{order} status pending from {hours} hours',
    'i ordered {qty} {metric} for {link} but zero come, order {order}',
    'order not start. id: {order}. link {link}',
    '[submitted]my order stuck in pending, {order}, please start it or refund',
    '[processing]it says in progress but count not moving at all {order}',
    '[processing]order {order} 0 delivered, started count same like before',
    'plz check {order} its not working. not even 1 {metric} came',
    'kindly start my order {order} asap, my client waiting',
  ],
  not_delivered: [
    '[completed]order {order} show completed but i not receive anything',
    '[completed]fake complete!! {order} completed but my {metric} same as before',
    '[completed]order {order} marked complete but nothing come to {link}',
    '[completed]you mark complete but 0 {metric} delivered, check {order}',
    '[completed]status completed but no {metric} received. order {order}',
    '[canceled]order {order} canceled but i didnt get nothing and no money back',
    '[canceled]why you cancel {order}?? i need the {metric}, send again',
    '[processing]order {order} running {days} days and nothing delivered',
    '[processing]in progress forever, 0 {metric} came. {order}',
    'i not get my {qty} {metric}. order {order}. please refund',
    '[completed]completed in panel but in {platform} nothing, order no {order}',
    '[completed]my order {order} says complete?? where is the {metric}',
    '[completed]bro {order} is fake complete, start count {from} and now still {from}',
  ],
  partial_delivery: [
    '[partial]order {order} partial but refund not come',
    '[partial]i got only {got} from {qty}, order {order}',
    'order {order} only half delivered, please complete or refund remains',
    '[partial]partial order {order} and balance not refunded yet',
    '[partial]received {got} {metric} but i paid for {qty}. {order}',
    '[partial]order {order} stop at {got}, remains not delivered',
    '[partial]why {order} partial? i need full {qty}',
    'not full delivered {order}, missing {metric}',
    '[partial]only {got}/{qty} come. pls send rest or give money back',
    '[completed]order {order} completed but i count much less than {qty}',
    '[completed]not all {metric} came for {order}, around half missing',
  ],
  drop: [
    'followers dropped from {from} to {to} pls refill',
    'order {order} dropping, refill please',
    'refill {order} please, lost many {metric}',
    '{metric} decreasing everyday, order {order}, it was {from} now {to}',
    'drop in {order}. refill button not working',
    'i buy refill service but {metric} gone. {order} need refill',
    'my {metric} dropped {from} -> {to} after {days} days. refill guarantee?',
    'order {order} dropped almost all, you said non drop',
    'refill not working for {order}, it says refill rejected',
    'please refill my order {order}, link {link}',
    'massive drop on {link} plz fix',
  ],
  cancel_request: [
    'please cancel order {order}',
    'cancel {order} i put wrong quantity',
    'i want to cancel my order {order} and get refund to balance',
    'cancel plz {order}, not needed anymore',
    'pls cancel {order} its taking too long',
    'order {order} cancel and refund please',
    'cancel this order {order}, my client cancel the deal',
    'how to cancel order? id {order}',
    'cancel button not showing for {order}, please cancel manually',
  ],
  duplicate_payment: [
    'i paid 2 times same amount {amount}, please refund one',
    'double payment by mistake, tx {tx}',
    'my {method} charged twice {amount}. transaction {tx}',
    'payment deducted 2 times but only 1 added',
    'duplicate payment {amount} via {processor}, i want my money back',
    'paid twice pls return one payment to my {method}',
    'i see two transactions of {amount} in my bank, only need one',
  ],
  payment_not_credited: [
    'i paid {amount} but balance not added',
    'payment done but funds not showing. tx id {tx}',
    'added funds {amount} with {method} but balance still 0',
    'money deducted from my account but not in panel. {tx}',
    'my deposit {amount} not received in panel from {hours} hours',
    'i send payment via {processor}, still pending. txid {tx}',
    'balance not updated after payment, screenshot attached',
    'paid {amount} through {method}, where is my balance??',
  ],
  slow_delivery: [
    'order {order} very slow, only {got} in {days} days',
    'why so slow? {order}',
    'speed up {order} please',
    'order {order} is too slow, you said fast start',
    'please speed up my order {order}, client is waiting',
    'its been {days} days and only {got} {metric} delivered',
    'speed very slow on {order}, 100 per day?? description say 10k/day',
  ],
  quality: [
    'the {metric} are all bots, no profile pic, order {order}',
    'very bad quality {metric}, fake accounts. {order}',
    'these {metric} are not real, my engagement down. refund',
    'quality is low, all arab/indian names, i want real',
    'my client complaining {metric} look fake, order {order}',
    'followers from {order} are empty accounts without posts',
  ],
  wrong_link: [
    'i put wrong link in order {order}, correct one is {wrongLink}',
    'sorry i made mistake in link, please change to {wrongLink}',
    'wrong link {order}, can you move it to {wrongLink}',
    'mistake in username, order {order} should go to {wrongLink}',
    'i entered my old account link, please redo on {wrongLink}',
  ],
  crypto_payment_issue: [
    'i sent USDT on wrong network (BEP20 instead TRC20), please help',
    'crypto payment expired but i already sent {amount}, tx {tx}',
    'i sent less amount by fee, invoice says underpaid. {tx}',
    'sent {amount} usdt to old address, please add to balance',
    'cryptomus invoice expired while my transfer was confirming. txid {tx}',
    'i paid with btc but amount not match because of rate change',
  ],
  unused_balance: [
    'please refund my remaining balance, i dont use panel anymore',
    'i want withdraw my balance {amount} to my {method}',
    'refund my balance pls, i am closing my account',
    'can i get my unused balance back? i have {amount}',
    'i need my balance back in cash, found cheaper panel',
  ],
  price_change: [
    'price of service increased after i add funds, give difference',
    'yesterday price was cheaper, now double?? refund difference for {order}',
    'you changed rate for {metric}, i paid more for {order}',
    'why price changed, i want old price',
  ],
  change_of_mind: [
    'i dont need this order anymore {order}, refund please',
    'my client cancel so i want refund for {order}',
    'i changed my mind, please refund {order}',
    'ordered by mistake, i dont want these {metric}',
    'not needed anymore, refund to my card',
  ],
  other: [
    'how can i become reseller? need api',
    'my account is locked? cannot login',
    'can you add {platform} {metric} with refill?',
    'i need invoice for my payments',
    'please change my email',
    'order {order} problem, please check',
    'service not working, what happen?',
    'can i get discount for big orders?',
    'api giving error "Incorrect request", please help',
    'is there any update on my last ticket?',
  ],
};

interface Template {
  text: string;
  statuses: readonly string[] | null;
}

const T = Object.fromEntries(
  Object.entries(TEMPLATES).map(([claim, list]) => [
    claim,
    list.map((raw): Template => {
      const match = /^\[([a-z,]+)\](.*)$/.exec(raw);
      return match ? { text: match[2]!, statuses: match[1]!.split(',') } : { text: raw, statuses: null };
    }),
  ]),
) as Record<Claim, Template[]>;

/** A template for the claim that fits the order's status (any template when none is known). */
function template(rng: Rng, claim: Claim, status: string | undefined): string {
  const all = T[claim];
  const fitting = status ? all.filter((t) => !t.statuses || t.statuses.includes(status)) : all.filter((t) => !t.statuses);
  return rng.pick(fitting.length > 0 ? fitting : all).text;
}

const FOLLOW_UPS = [
  'any update??',
  'still waiting',
  'hello?? no reply from 2 days',
  'please check my ticket',
  'why nobody answer',
  'i send screenshot',
  'screenshot attached',
  'sir please',
  'ok thanks waiting',
  'still same, nothing changed',
  'check fast please',
  'i will give bad review if not fixed',
  'ok',
  'done, account is public now',
  'link is public, please check again',
];

const CHARGEBACK_THREATS = [
  ' if not refunded i will open dispute with my bank',
  ' otherwise i make chargeback',
  ' i will report to paypal and open chargeback',
  ' refund or i do dispute on card',
];

const MANDATORY_LAW = [
  ' under EU consumer law i have 14 days right of withdrawal',
  ' by consumer protection law you must refund',
  ' according to the law in my country i can get refund',
];

const RESELLER_DOWNSTREAM = [
  ' my customer opened dispute on my site, i need refund',
  ' my client want money back from me',
  ' end customer complain to me, refund so i refund him',
];

/** The customer's first message (also the ticket's explanation). */
export function customerOpening(
  rng: Rng,
  claim: Claim,
  ctx: PhraseContext,
  extras: { chargebackThreat?: boolean; mandatoryLaw?: boolean; resellerDispute?: boolean } = {},
): string {
  let body = fill(template(rng, claim, ctx.status), ctx, rng);
  if (extras.resellerDispute) body += rng.pick(RESELLER_DOWNSTREAM);
  if (extras.mandatoryLaw) body += rng.pick(MANDATORY_LAW);
  if (extras.chargebackThreat) body += rng.pick(CHARGEBACK_THREATS);
  return stylize(rng, `${rng.pick(OPENERS)}${body}${rng.pick(CLOSERS)}`);
}

export function customerFollowUp(rng: Rng, ctx: PhraseContext): string {
  return stylize(rng, fill(rng.pick(FOLLOW_UPS), ctx, rng));
}

/** A staff reply, and the order statuses it fits (absent: any, or no order). */
type StaffLine = string | { text: string; when: readonly string[] };

const STARTED = ['processing', 'partial', 'completed'] as const;

const STAFF_REPLIES: Partial<Record<Claim, readonly StaffLine[]>> & { any: readonly StaffLine[] } = {
  any: [
    'Hello, thank you for contacting us. We are checking your request and will update you shortly.',
    'Hi, we have forwarded this to our team. Please allow 24 hours for an update.',
    'Hello, please send a screenshot of the profile showing the current count, and make sure the account is public.',
    'Hi, could you please confirm the order ID and the exact link you used?',
  ],
  not_started: [
    { text: 'Hello, order {order} is in the provider queue. Start time for this service can be up to 24 hours.', when: ['submitted'] },
    { text: 'Hi, we have asked the provider to speed up order {order}. Please wait 12-24 hours.', when: ['submitted', 'processing'] },
  ],
  not_delivered: [
    {
      text: 'Hello, the provider marked {order} as completed. Please send a screenshot of the current count so we can check.',
      when: ['completed'],
    },
    {
      text: 'Hello, order {order} is still in progress with the provider. We have asked them to check the delivery.',
      when: ['processing'],
    },
    'Hi, we have opened a check with the provider for order {order}.',
  ],
  partial_delivery: [
    {
      text: 'Hello, order {order} was completed as partial. The remaining amount is refunded to your balance automatically when the provider confirms.',
      when: ['partial'],
    },
    'Hi, we have opened a check with the provider for order {order}.',
  ],
  drop: [
    { text: 'Hello, refill has been requested for order {order}. Refills take 24-72 hours.', when: ['completed', 'partial'] },
    'Hi, please make sure the account is public and the username was not changed, then we can request a refill.',
  ],
  cancel_request: [
    {
      text: 'Hello, cancel has been requested for order {order}. If the provider confirms, the charge returns to your balance.',
      when: ['submitted'],
    },
    { text: 'Hi, this order has already started, so it cannot be cancelled.', when: STARTED },
    { text: 'Hello, order {order} is already cancelled; its charge went back to your panel balance.', when: ['canceled'] },
  ],
  duplicate_payment: ['Hello, please send the transaction IDs of both payments so we can check with the payment processor.'],
  payment_not_credited: [
    'Hello, please send the transaction ID and a screenshot of the payment so we can verify it.',
    'Hi, we are checking this payment with {processor}. It can take up to 24 hours to confirm.',
  ],
  crypto_payment_issue: ['Hello, please send the TXID and the network you used. Payments on a wrong network may not be recoverable.'],
  unused_balance: ['Hello, as stated in our terms, balance added to the panel is not refundable, but it never expires.'],
};

/** The lines that fit the order's status (`ctx.status`; a line with no `when` fits any). */
function fitting(lines: readonly StaffLine[], status: string | undefined): string[] {
  return lines.flatMap((line) =>
    typeof line === 'string' ? [line] : status !== undefined && line.when.includes(status) ? [line.text] : [],
  );
}

const INTERNAL_NOTES = [
  'Checked provider panel: status {status}, start count {startCount}.',
  'Provider says link was private at start. Waiting for screenshot.',
  'Customer has several tickets this week, watch for abuse.',
  'Asked provider for refill, ticket #{providerTicket}.',
  'Account is public now, count {to} vs expected {from}.',
  'Possible duplicate order on the same link, check before refill.',
  'Payment shows as paid in {processor} dashboard.',
  'Could not find this transaction in {processor}.',
  'Same screenshot as in an older ticket?',
  'Reseller, orders come through API.',
  'Escalate if the provider does not answer by tomorrow.',
];

/** A first staff reply that fits the claim and the order's state (never "completed" for an order still in progress). */
export function staffReply(rng: Rng, claim: Claim, ctx: PhraseContext): string {
  const specific = fitting(STAFF_REPLIES[claim] ?? [], ctx.status);
  const pool = specific.length && rng.chance(0.7) ? specific : fitting(STAFF_REPLIES.any, ctx.status);
  return fill(rng.pick(pool), ctx, rng);
}

const RESOLUTIONS: readonly (StaffLine & object)[] = [
  {
    text: 'Order {order} is completed now according to the provider. Closing this ticket, reply if you need anything else.',
    when: ['completed'],
  },
  { text: 'We have checked with the provider and updated your order. Closing the ticket.', when: ['submitted', ...STARTED, 'canceled'] },
  { text: 'As explained above, we cannot do more for this request. Closing the ticket.', when: [] },
  { text: 'Refill for {order} is completed. Please check and reply if the count is still low.', when: ['completed', 'partial'] },
  { text: 'Order {order} is cancelled and its charge is back on your panel balance. Closing the ticket.', when: ['canceled'] },
];

/** The closing reply of a resolved ticket: one that fits its order's state (a refill only on a drop). */
export function staffResolution(rng: Rng, claim: Claim, ctx: PhraseContext): string {
  const pool = RESOLUTIONS.filter(
    (r) =>
      r.when.length === 0 ||
      (ctx.status !== undefined && r.when.includes(ctx.status) && (!r.text.startsWith('Refill') || claim === 'drop')),
  ).map((r) => r.text);
  return rng.pick(pool).replace('{order}', ctx.order ?? 'your order');
}

const ASKS = [
  'Hello, please send a screenshot of the profile showing the current count, and make sure the account is public.',
  'Hi, could you please confirm the order ID and the exact link you used?',
  'Hello, please send the transaction ID and a screenshot of the payment.',
  'Hi, the account looks private. Please make it public and reply here so we can continue.',
  'Hello, please explain what exactly is wrong with the order and attach a screenshot.',
];

/** A staff reply that needs the customer to answer (tickets waiting for the customer end with one). */
export function staffAsk(rng: Rng, ctx: PhraseContext): string {
  return fill(rng.pick(ASKS), ctx, rng);
}

export function internalNote(rng: Rng, ctx: PhraseContext & { startCount?: number | null }): string {
  return fill(rng.pick(INTERNAL_NOTES), ctx, rng);
}

/** Replaces `{name}` placeholders; unknown or missing values become something a customer might say. */
function fill(template: string, ctx: object, rng: Rng): string {
  const values = ctx as Record<string, unknown>;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value !== undefined && value !== null && value !== '') return String(value);
    switch (key) {
      case 'order':
        return 'my order';
      case 'link':
        return 'my account';
      case 'days':
        return String(rng.int(2, 5));
      case 'hours':
        return String(rng.int(3, 30));
      case 'providerTicket':
        return String(rng.int(10_000, 99_999));
      case 'metric':
        return 'followers';
      default:
        return 'it';
    }
  });
}

/** Links, handles, amounts and ids keep their exact spelling whatever the case of the rest. */
const VERBATIM = /[/@$]|\.[a-z]{2,}|\d/i;

/** Applies `change` to the words only, leaving links, handles, amounts and numbers as typed. */
const wordsOnly = (text: string, change: (word: string) => string) =>
  text
    .split(' ')
    .map((w) => (VERBATIM.test(w) ? w : change(w)))
    .join(' ');

/** Varies case and punctuation the way people type on phones. */
function stylize(rng: Rng, text: string): string {
  let out = text.trim();
  const r = rng.next();
  if (r < 0.45) out = wordsOnly(out, (w) => w.toLowerCase());
  else if (r < 0.5) out = wordsOnly(out, (w) => w.toUpperCase());
  else if (r < 0.8) out = out.charAt(0).toUpperCase() + out.slice(1);
  // Sentence punctuation only: a dot inside "$34.98" or "instagram.com" stays.
  if (rng.chance(0.15)) out = out.replace(/[.,](?=\s|$)/g, '');
  if (rng.chance(0.12)) out = out.replace(/please/gi, 'pls');
  if (rng.chance(0.08)) out += '!!!';
  return out;
}

/** "4213" → "4.2k", as customers write counts. */
export function casualCount(n: number): string {
  if (n >= 1_000_000) return `${trimZero((n / 1_000_000).toFixed(1))}m`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1_000) return `${trimZero((n / 1000).toFixed(1))}k`;
  return String(n);
}

const trimZero = (s: string) => (s.endsWith('.0') ? s.slice(0, -2) : s);

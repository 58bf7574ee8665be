/**
 * The clauses of refund-policy.md (policy 2026-06-10), for the UI. Keep in sync with the document:
 * `clauses.test.ts` compares every title and text with `lib/policy/refund-policy.md`.
 */

export const CLAUSES = {
  summary: {
    title: 'Plain-language summary',
    text: 'Once you place an order or add funds, you should assume the payment is final. If we clearly fail to deliver because of our own side or an upstream provider we chose, our normal fix is to rerun the order or add credit to your panel balance, not to send cash back. If you send a wrong link, make the target private, delete the content, use multiple providers, or dispute the payment after using the service, you should expect no refund and possible account suspension.',
  },
  scope: {
    title: 'Scope and relationship to the Terms',
    text: 'This Refund Policy applies to all deposits, balance additions, orders, subscriptions if any, API activity, and other purchases made through the panel, the dashboard, and related services. Capitalized terms used but not defined in this Refund Policy have the meanings given in the Terms of Service. This Refund Policy supplements, and does not replace, the Terms of Service. In the event of any conflict, the Terms of Service control except to the extent mandatory non-waivable law requires a different result.',
  },
  'general-rule': {
    title: 'General rule; digital and time-sensitive services',
    text: 'Because the Services are digital, time-sensitive, instantly queueable, frequently provider-dependent, and often begin processing automatically after payment or submission, all payments are final and non-refundable to the maximum extent permitted by applicable law. No user should assume that cash refunds to the original payment method are available merely because an order is delayed, partially delivered, filtered by a platform, or commercially disappointing.',
  },
  'exclusive-remedies': {
    title: 'Exclusive commercial remedies',
    text: "Unless mandatory law requires otherwise, the ordinary and exclusive remedy for an order that is clearly non-deliverable due solely to the fault of the Company or a Third-Party Provider selected by the Company is, at the Company's sole discretion: reprocessing, replacement fulfillment, comparable substitute fulfillment, or a credit to the user's panel balance. Cash refunds to the original payment method are exceptional, not routine, and may be refused where technically impossible, commercially unreasonable, inconsistent with processor rules, or legally risky.",
  },
  'stored-value': {
    title: 'Balance, credits, and stored value disclaimer',
    text: 'Account balance, promotional credits, goodwill credits, manual adjustments, bonuses, and similar amounts are contractual store credits usable only within the Services unless mandatory law requires otherwise. They are not deposits, bank balances, custodial funds, trust assets, stored-value instruments, or electronic money. Unused balance is generally non-refundable, and credits issued in error may be reversed.',
  },
  'order-stages': {
    title: 'Order stages and the refund consequences of each stage',
    text: 'For purposes of this Refund Policy, an order is considered Submitted when it has been accepted by the platform; Processing when it has been queued, reserved, transmitted to a provider, partially delivered, or otherwise begun; Completed when marked complete by the system or substantially fulfilled; and Canceled when affirmatively canceled by the Company. Once an order enters Processing, cancellation, reversal, withdrawal, or original-method refund is not guaranteed and usually will not be available. Completed orders are presumed non-refundable absent a clear internal verification of Company fault and a mandatory legal right to restitution.',
  },
  eligibility: {
    title: 'Eligibility for review',
    text: 'If you believe an order qualifies for review, you must open a support ticket within the earlier of: seven (7) calendar days after the relevant order status change, or the end of any stated refill/review window shown in the relevant service description. Your request must include the order number, the target link/handle exactly as submitted, a concise explanation, and supporting screenshots or other evidence reasonably requested by the Company. Failure to submit timely evidence may result in denial.',
  },
  'not-refundable': {
    title: 'Situations that are not refundable',
    text: "Without limitation, the following are non-refundable and do not ordinarily qualify for balance credit, refill, or reprocessing when the underlying issue is user-caused or platform-caused: wrong, incomplete, stale, redirected, geoblocked, age-restricted, or otherwise invalid links or usernames; private, hidden, deleted, unpublished, suspended, renamed, or materially changed targets; duplicate or overlapping orders for the same target; concurrent use of multiple panels or providers; platform-side anti-spam filtering, purges, removals, moderation, account penalties, shadow restrictions, or metric cleanups; dissatisfaction with audience quality, geography, speed, business outcome, or downstream conversion; minor shortfalls, overdelivery, or measurement variances; price changes after purchase; reseller disputes with downstream customers; and claims based only on change of mind, buyer's remorse, or misunderstanding of the service description.",
  },
  'third-party': {
    title: 'Third-party platforms and upstream provider failures',
    text: "The Company is not affiliated with, and does not control, any social network, marketplace, search engine, messaging service, ad network, or other third-party platform. The Company also does not control upstream provider outages, stock changes, API breaks, route failures, or provider-side discontinuations. Provider-side or platform-side disruption does not create a cash refund right. At most, and only if the Company confirms that non-delivery was not caused by the user or a platform action outside the Company's control, the Company may offer reprocessing, substitute fulfillment, or panel-balance credit in its sole discretion.",
  },
  'started-delivery': {
    title: 'No refund for started or completed digital delivery',
    text: 'If digital delivery has started, the Company may determine that the economic value of the service capacity, routing, stock reservation, or fulfillment effort has already been consumed. For that reason, started orders are ordinarily non-refundable even if they later slow, drop, or stop. Completed orders are final unless the Company independently verifies a material failure directly attributable to the Company and not to the user, a platform, or a third-party environment.',
  },
  refill: {
    title: 'Refill and drop handling',
    text: 'Refill exists only where expressly stated in the relevant service description and only under the exact conditions, time period, and exclusions stated there. To request any refill, the target must remain public, unchanged, and fully accessible throughout processing and the refill window. No refill or refund is due for drops caused by private targets, renamed content, duplicate campaigns, platform purges, outside-provider activity, or expiration of the refill window.',
  },
  crypto: {
    title: 'Crypto payments',
    text: "All cryptocurrency payments, stablecoin payments, on-chain transfers, and similar blockchain-based transactions are final once broadcast and sufficiently confirmed under the Company's or processor's operational rules. The Company is not responsible for incorrect wallet addresses, incorrect networks, incorrect memos/tags, underpayments, delayed confirmations, bridge failures, exchange errors, slippage, rate movements, miner or gas fees, or custodial-wallet issues. Any goodwill adjustment related to a crypto payment, if granted at all, may be issued in balance-credit form only.",
  },
  fiat: {
    title: 'Fiat, card, and wallet payments',
    text: 'For card, bank, wallet, or similar fiat-funded payments, original-method refunds are rare and may be considered only where all of the following are true: the payment was duplicated or technically overcharged; the funds were accepted but never credited due solely to Company error; no balance from the disputed payment has been spent; no part of the disputed order has started; and the refund is permitted by the relevant processor, bank, sanctions screening, and applicable law. The Company may deduct unrecoverable processor, banking, network, tax, or compliance costs to the maximum extent permitted by law.',
  },
  chargebacks: {
    title: 'Chargebacks, reversals, and unauthorized payment claims',
    text: "You must not initiate or threaten a chargeback, reversal, retrieval request, unauthorized-transaction claim, or similar payment dispute in bad faith or before first using the Company's internal review process in good faith. If you do, the Company may immediately suspend or terminate your account, cancel pending orders, reverse non-cash credits, block further funding, submit order, login, device, IP, communication, and ticket evidence to the processor, and recover fees, costs, and reasonable legal expenses to the maximum extent permitted by law. Restoration of any suspended account after a chargeback is entirely discretionary and may require withdrawal of the dispute plus full reimbursement of all associated losses and fees.",
  },
  fraud: {
    title: 'Fraud, abuse, and reseller pass-through',
    text: 'Where the Company reasonably suspects payment fraud, friendly fraud, account takeovers, abuse of support channels, serial refund behavior, or reseller attempts to push downstream customer disputes onto the Company, the Company may deny any requested refund or credit, place the account under review, request additional information, or permanently terminate access. Resellers remain solely responsible for the refund promises they make to their own customers.',
  },
  'review-process': {
    title: 'Review process and evidence standard',
    text: 'Support review is the first and mandatory stage of any refund-related complaint. The Company may require screenshots, order histories, public visibility confirmation, timestamps, communications records, proof of control over the target, and any other information reasonably necessary to evaluate the claim. The Company may deny any claim that is unsupported, untimely, contradictory, or impossible to verify.',
  },
  'mandatory-law': {
    title: 'Legal rights and mandatory-law carve-out',
    text: 'Nothing in this Refund Policy excludes, limits, or waives any remedy or right that cannot lawfully be excluded, limited, or waived under applicable law. Where mandatory law gives a user a non-waivable refund right, that law governs only to the extent strictly required, and all remaining portions of this Refund Policy remain in effect.',
  },
  disputes: {
    title: 'Disputes',
    text: 'If a refund-related dispute remains unresolved after internal review, the dispute resolution, governing law, and forum provisions in the Terms of Service apply.',
  },
} as const satisfies Record<string, { readonly title: string; readonly text: string }>;

export type ClauseId = keyof typeof CLAUSES;

/** Clause ids in document order. */
export const CLAUSE_IDS = Object.keys(CLAUSES) as ClauseId[];

export interface Clause {
  readonly id: ClauseId;
  readonly title: string;
  readonly text: string;
}

export function getClause(id: ClauseId): Clause {
  return { id, ...CLAUSES[id] };
}

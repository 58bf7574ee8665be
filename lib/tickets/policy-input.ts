import type { Customer, Order, Payment, Service, Ticket } from '@/db/schema';

type Findings = {
  linkValid: boolean | null;
  targetPublic: boolean | null;
  targetUnchanged: boolean | null;
  duplicateOrderSameTarget: boolean | null;
  otherProvidersUsed: boolean | null;
  platformAction: boolean | null;
  companyFault: boolean | null;
};

export interface TicketFacts {
  ticket: Pick<
    Ticket,
    | 'openedAt'
    | 'claim'
    | 'requestedRemedy'
    | 'orderNumberGiven'
    | 'targetLinkGiven'
    | 'explanation'
    | 'isMandatoryLawClaimed'
    | 'isChargebackThreatened'
    | 'isResellerDownstreamDispute'
  >;
  order:
    | (Pick<Order, 'externalId' | 'status' | 'statusChangedAt' | 'link' | 'quantity' | 'delivered' | 'charge' | 'currency'> & {
        service: Pick<Service, 'refillDays' | 'reviewWindowDays'>;
      })
    | null;
  payment: Pick<
    Payment,
    | 'method'
    | 'amount'
    | 'currency'
    | 'paidAt'
    | 'isCredited'
    | 'duplicateOf'
    | 'isOvercharged'
    | 'isBalanceSpent'
    | 'processorAllowsRefund'
  > | null;
  customer: Pick<Customer, 'hasChargebackOpen' | 'isFraudFlagged'>;
  refundRequests90d: number;
  evidenceCount: number;
  findings: Findings | null;
}

export const NO_FINDINGS: Findings = {
  linkValid: null,
  targetPublic: null,
  targetUnchanged: null,
  duplicateOrderSameTarget: null,
  otherProvidersUsed: null,
  platformAction: null,
  companyFault: null,
};

/** Only the seven findings, whatever else the row carries. */
function pickFindings(row: Findings | null): Findings {
  if (!row) return { ...NO_FINDINGS };
  const out = { ...NO_FINDINGS };
  for (const key of Object.keys(NO_FINDINGS) as (keyof Findings)[]) out[key] = row[key] ?? null;
  return out;
}

/** The policy check's input (see lib/policy/refund-policy.md and its contract) from stored facts. */
export function toPolicyInput(facts: TicketFacts, now: Date) {
  const { ticket, order, payment } = facts;
  return {
    now: now.toISOString(),
    ticket: {
      openedAt: ticket.openedAt.toISOString(),
      claim: ticket.claim,
      requestedRemedy: ticket.requestedRemedy,
      orderNumber: ticket.orderNumberGiven,
      targetLink: ticket.targetLinkGiven,
      explanation: ticket.explanation,
      evidenceCount: facts.evidenceCount,
      mandatoryLawClaimed: ticket.isMandatoryLawClaimed,
      chargebackThreatened: ticket.isChargebackThreatened,
      resellerDownstreamDispute: ticket.isResellerDownstreamDispute,
    },
    order: order && {
      id: order.externalId,
      status: order.status,
      statusChangedAt: order.statusChangedAt.toISOString(),
      link: order.link,
      quantity: order.quantity,
      delivered: order.delivered,
      charge: order.charge,
      currency: order.currency,
      service: { refillDays: order.service.refillDays, reviewWindowDays: order.service.reviewWindowDays },
    },
    payment: payment && {
      method: payment.method,
      amount: payment.amount,
      currency: payment.currency,
      paidAt: payment.paidAt.toISOString(),
      credited: payment.isCredited,
      duplicate: payment.duplicateOf !== null,
      overcharged: payment.isOvercharged,
      balanceSpent: payment.isBalanceSpent,
      processorAllowsRefund: payment.processorAllowsRefund,
    },
    account: {
      chargebackOpen: facts.customer.hasChargebackOpen,
      fraudSuspected: facts.customer.isFraudFlagged,
      refundRequests90d: facts.refundRequests90d,
    },
    findings: pickFindings(facts.findings),
  };
}

/**
 * Tickets opened on the panel: upserted by the panel's ticket id with the suggestion and the
 * eligibility deadline computed and stored in the same transaction (and the live queue told at
 * commit), the customer's replies, and what the panel reads back (one ticket, the sync by time).
 */
import { and, asc, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { decisions, orders, ticketMessages, tickets, type Ticket } from '@/db/schema';
import { getDb } from '@/db';
import { record } from '@/lib/audit';
import { authorize, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import type { Decision, Outcome } from '@/lib/policy';
import { customerReasons } from '@/lib/tickets/customer-words';
import { slaDueDates } from '@/lib/tickets/sla';
import { refreshSuggestion } from '@/lib/tickets/suggestion';
import { parseInput } from '@/lib/validation/parse';
import { customerIdOf, intakeTransaction, paymentIdOf } from './common';
import { ticketInputSchema, ticketListQuerySchema, ticketMessageInputSchema, type TicketView } from './schemas';

// ---------------------------------------------------------------------------------------------
// The ticket reference of a path: the desk's id, or `panel:<the panel's ticket id>`.

const PANEL_PREFIX = 'panel:';

function decodeRef(value: string): string {
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

/**
 * The desk's id of the ticket a path names: `123` (the desk's id, as returned at creation) or
 * `panel:<id>` (the panel's own ticket id; URL-encoded or not). Anything else, or no such
 * ticket: `not_found` (404) naming what was asked for.
 */
export async function resolveTicketRef(db: Db | Tx, ref: string): Promise<number> {
  const value = decodeRef(ref).trim();
  const shown = value.slice(0, 80);
  if (value.toLowerCase().startsWith(PANEL_PREFIX)) {
    const panelId = value.slice(PANEL_PREFIX.length).trim();
    if (panelId && panelId.length <= 64) {
      const [row] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.externalId, panelId));
      if (row) return row.id;
    }
    throw new AppError('not_found', `There is no ticket with the panel id "${panelId.slice(0, 64)}".`);
  }
  if (/^[1-9]\d{0,14}$/.test(value)) {
    const [row] = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.id, Number(value)));
    if (row) return row.id;
  }
  throw new AppError('not_found', `There is no ticket "${shown}": give the desk's ticket id or panel:<your ticket id>.`);
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/tickets

export interface TicketImportResult {
  ticket: TicketView;
  created: boolean;
}

/** The order a ticket names, when the number the customer wrote is one of their orders. */
async function orderNamed(tx: Tx, customerId: number, given: string | null | undefined): Promise<number | null> {
  const number = given?.trim().replace(/^#+/, '').trim();
  if (!number) return null;
  const [row] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.externalId, number), eq(orders.customerId, customerId)));
  return row?.id ?? null;
}

/**
 * `POST /api/v1/tickets`: a ticket opened on the panel, upserted by its panel id. A new ticket gets
 * its service-level due times, the customer's first message, the policy suggestion and the
 * eligibility deadline (the ticket code's own `refreshSuggestion`) and a live `created` notice, in
 * one transaction; audited `ticket.imported`. Sent again, its facts are updated and the suggestion
 * recomputed (the first message is not added twice).
 */
export async function importTicket(ctx: Ctx, input: unknown): Promise<TicketImportResult> {
  const t = parseInput(ticketInputSchema, input);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    const now = new Date();
    const customerId = await customerIdOf(tx, t.customer);
    const paymentId = t.payment ? await paymentIdOf(tx, t.payment) : null;
    const orderId = await orderNamed(tx, customerId, t.orderNumber);
    const [before] = await tx.select().from(tickets).where(eq(tickets.externalId, t.panelId)).for('update');
    if (before && before.customerId !== customerId) {
      throw new AppError('conflict', `Ticket "${t.panelId}" belongs to another customer; a ticket's customer cannot change.`, {
        customer: ['Not the customer of this ticket.'],
      });
    }
    const facts = {
      customerId,
      orderId,
      paymentId,
      claim: t.claim,
      requestedRemedy: t.requestedRemedy ?? null,
      orderNumberGiven: t.orderNumber ?? null,
      targetLinkGiven: t.link ?? null,
      explanation: t.explanation ?? null,
      isMandatoryLawClaimed: t.mandatoryLawClaimed ?? false,
      isChargebackThreatened: t.chargebackThreatened ?? false,
      isResellerDownstreamDispute: t.resellerDownstreamDispute ?? false,
    };
    let id: number;
    if (!before) {
      const openedAt = t.openedAt ? new Date(t.openedAt) : now;
      const [row] = await tx
        .insert(tickets)
        .values({ ...facts, externalId: t.panelId, openedAt, updatedAt: now, ...slaDueDates(t.claim, openedAt) })
        .returning({ id: tickets.id });
      id = row!.id;
      await tx.insert(ticketMessages).values({ ticketId: id, staffId: null, isInternal: false, body: t.message, createdAt: openedAt });
    } else {
      id = before.id;
      await tx.update(tickets).set(facts).where(eq(tickets.id, id));
    }
    const suggestion = await refreshSuggestion(tx, id, now);
    await notifyTicketChanged(tx, { id, kind: before ? 'updated' : 'created' });
    const beforeFacts = before && Object.fromEntries(Object.keys(facts).map((k) => [k, before[k as keyof Ticket]]));
    await record(tx, {
      actor: audit,
      action: 'ticket.imported',
      entityType: 'ticket',
      entityId: id,
      before: beforeFacts,
      after: {
        externalId: t.panelId,
        ...facts,
        ...(!before && { firstMessage: t.message }),
        suggestedOutcome: suggestion?.outcome ?? null,
        suggestedAmount: suggestion?.amount ?? null,
      },
      origin: ctx.origin,
    });
    return { ticket: await ticketView(tx, id), created: !before };
  });
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/tickets/{id}/messages

export interface CustomerMessageResult {
  id: number;
  ticketId: number;
  status: Ticket['status'];
}

/**
 * `POST /api/v1/tickets/{id}/messages`: a reply of the customer. A ticket waiting on the customer
 * goes back to the queue (`open`) and the live queue is told; audited `ticket.customer_replied`.
 */
export async function addCustomerMessage(ctx: Ctx, input: { ticket: string; body: unknown }): Promise<CustomerMessageResult> {
  const m = parseInput(ticketMessageInputSchema, input.body);
  return intakeTransaction(ctx, 'intake.write', async ({ tx, audit }) => {
    const ticketId = await resolveTicketRef(tx, input.ticket);
    const [ticket] = await tx.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    const now = new Date();
    const [message] = await tx
      .insert(ticketMessages)
      .values({ ticketId, staffId: null, isInternal: false, body: m.body, createdAt: m.at ? new Date(m.at) : now })
      .returning({ id: ticketMessages.id });
    const status = ticket!.status === 'waiting_customer' ? 'open' : ticket!.status;
    await tx.update(tickets).set({ status, updatedAt: now }).where(eq(tickets.id, ticketId));
    await notifyTicketChanged(tx, { id: ticketId, kind: 'updated' });
    await record(tx, {
      actor: audit,
      action: 'ticket.customer_replied',
      entityType: 'ticket',
      entityId: ticketId,
      before: { status: ticket!.status },
      after: { status, messageId: message!.id, body: m.body },
      origin: ctx.origin,
    });
    return { id: message!.id, ticketId, status };
  });
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/tickets/{id} and GET /api/v1/tickets?updated_since=…

/** Where the ticket stands, in words the panel can show the customer. */
const STATUS_TEXT: Record<Ticket['status'], string> = {
  open: 'We have your request and are looking into it.',
  waiting_customer: 'We are waiting for your reply.',
  awaiting_approval: 'Your request is being reviewed.',
  escalated: 'A senior member of the team is reviewing your request.',
  resolved: 'Your request has been resolved.',
};

/** The outcome in the customer's words, when no reply text was stored with the decision. */
const OUTCOME_TEXT: Record<Outcome, string> = {
  deny: 'After reviewing your request, we are not able to offer a refund, credit or redo in this case.',
  request_info: 'To review your request we need a few more details from you. Please reply with them.',
  verify: 'We are checking the details of your request with our team.',
  reprocess: 'We will run your order again at no extra cost.',
  refill: 'We will request a refill for your order.',
  balance_credit: 'We have added the amount to your panel balance.',
  original_method_refund: 'We will refund the amount to your original payment method.',
  escalate: 'We have passed your request to a senior member of the team.',
};

type ViewRow = Pick<Ticket, 'id' | 'externalId' | 'status' | 'claim' | 'openedAt' | 'updatedAt'>;
type DecisionRow = {
  ticketId: number;
  outcome: Outcome;
  amount: string | null;
  currency: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  reply: string | null;
  suggestedOutcome: Outcome;
  suggestedReasons: unknown;
};

function decisionWords(d: DecisionRow): string {
  if (d.reply?.trim()) return d.reply.trim();
  const reasons =
    d.outcome === d.suggestedOutcome && Array.isArray(d.suggestedReasons)
      ? customerReasons({ reasons: d.suggestedReasons as Decision['reasons'] })
      : [];
  return [OUTCOME_TEXT[d.outcome], ...reasons].join(' ');
}

function view(t: ViewRow, d: DecisionRow | undefined): TicketView {
  return {
    id: t.id,
    panelId: t.externalId,
    status: t.status,
    statusText: STATUS_TEXT[t.status],
    claim: t.claim,
    openedAt: t.openedAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    decision: d
      ? {
          outcome: d.outcome,
          amount: d.amount,
          currency: d.currency,
          decidedAt: (d.decidedAt ?? d.createdAt).toISOString(),
          message: decisionWords(d),
        }
      : null,
  };
}

const VIEW_COLUMNS = {
  id: tickets.id,
  externalId: tickets.externalId,
  status: tickets.status,
  claim: tickets.claim,
  openedAt: tickets.openedAt,
  updatedAt: tickets.updatedAt,
};

/** The newest executed decision of each ticket (what the customer was told). */
async function executedDecisions(db: Db | Tx, ticketIds: number[]): Promise<Map<number, DecisionRow>> {
  if (!ticketIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([decisions.ticketId], {
      ticketId: decisions.ticketId,
      outcome: decisions.chosenOutcome,
      amount: decisions.amount,
      currency: decisions.currency,
      decidedAt: decisions.decidedAt,
      createdAt: decisions.createdAt,
      reply: decisions.reply,
      suggestedOutcome: decisions.suggestedOutcome,
      suggestedReasons: decisions.suggestedReasons,
    })
    .from(decisions)
    .where(and(sql`${decisions.ticketId} in ${ticketIds}`, eq(decisions.state, 'executed')))
    .orderBy(decisions.ticketId, desc(decisions.id));
  return new Map(rows.map((r) => [r.ticketId, r]));
}

async function ticketView(db: Db | Tx, id: number): Promise<TicketView> {
  const [row] = await db.select(VIEW_COLUMNS).from(tickets).where(eq(tickets.id, id));
  if (!row) throw new AppError('not_found', `There is no ticket ${id}.`);
  return view(row, (await executedDecisions(db, [id])).get(id));
}

/** `GET /api/v1/tickets/{id}`: status and, once decided, the decision in the customer's words. */
export async function getTicketForPanel(ctx: Ctx, ref: string): Promise<TicketView> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await authorize(tx, ctx, 'tickets.sync');
    return ticketView(tx, await resolveTicketRef(tx, ref));
  });
}

export interface TicketPage {
  tickets: TicketView[];
  nextCursor: string | null;
}

/**
 * `GET /api/v1/tickets?updated_since=…&cursor=…&limit=…`: the panel's tickets (those with a panel
 * id) changed at or after `updated_since`, oldest change first, in keyset pages over
 * (updated_at, id); `nextCursor` continues after the last one (null on the last page).
 */
export async function listTicketsForPanel(ctx: Ctx, query: unknown): Promise<TicketPage> {
  const q = parseInput(ticketListQuerySchema, query);
  const limit = q.limit ?? 100;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await authorize(tx, ctx, 'tickets.sync');
    const conditions = [isNotNull(tickets.externalId)];
    if (q.updated_since) conditions.push(gte(tickets.updatedAt, new Date(q.updated_since)));
    if (q.cursor) {
      const [micros, id] = q.cursor.split('.');
      conditions.push(
        sql`(${tickets.updatedAt}, ${tickets.id}) > (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', ${Number(id)}::bigint)`,
      );
    }
    const rows = await tx
      .select({ ...VIEW_COLUMNS, micros: sql<string>`(extract(epoch from ${tickets.updatedAt}) * 1000000)::bigint::text` })
      .from(tickets)
      .where(and(...conditions))
      .orderBy(asc(tickets.updatedAt), asc(tickets.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const found = await executedDecisions(
      tx,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      tickets: page.map((r) => view(r, found.get(r.id))),
      nextCursor: rows.length > limit && last ? `${last.micros}.${last.id}` : null,
    };
  });
}

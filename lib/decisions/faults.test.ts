import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, customers, decisions, ledgerEntries, providerJobs, ticketMessages, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { proposeDecision } from './propose';
import { reviewDecision } from './review';
import { chargebackTicket, creditTicket, footprint, newKey } from './test-helpers';

const handle = setupTestDb();

class InjectedFault extends Error {}
const boom = async () => {
  throw new InjectedFault('injected fault');
};

/** Row counts of every table a decision writes to. */
async function counts() {
  const n = async (table: typeof decisions | typeof ledgerEntries | typeof providerJobs | typeof auditEvents | typeof ticketMessages) =>
    (await handle.db.select({ n: count() }).from(table))[0]!.n;
  return {
    decisions: await n(decisions),
    ledger: await n(ledgerEntries),
    jobs: await n(providerJobs),
    audit: await n(auditEvents),
    messages: await n(ticketMessages),
  };
}

describe('a crash in the middle of an execution leaves all of it or none of it', () => {
  it('a failure right after the ledger insert of a proposal leaves no decision, ledger, outbox, message or audit row', async () => {
    const agent = await createStaff(handle.db);
    const { ticket, customer } = await creditTicket(handle.db);
    const before = await counts();
    await expect(
      proposeDecision(
        ctxFor(agent),
        { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() },
        { hooks: { afterLedgerInsert: boom } },
      ),
    ).rejects.toBeInstanceOf(InjectedFault);
    expect(await counts()).toEqual(before);
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions).toHaveLength(0);
    expect(f.ledger).toHaveLength(0);
    expect(f.jobs).toHaveLength(0);
    expect(f.ticket.status).toBe('open');
    expect(await handle.db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, customer.id))).toHaveLength(0);

    // The same request afterwards goes through once, as if the first had never been tried.
    const key = newKey();
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: key });
    expect(decision.state).toBe('executed');
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(1);
  });

  it('a failure after every write of a proposal (audit rows included), just before commit, leaves nothing', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await creditTicket(handle.db);
    const before = await counts();
    await expect(
      proposeDecision(
        ctxFor(agent),
        { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() },
        { hooks: { beforeCommit: boom } },
      ),
    ).rejects.toBeInstanceOf(InjectedFault);
    expect(await counts()).toEqual(before);
    expect((await footprint(handle.db, ticket.id)).ticket.status).toBe('open');
  });

  it('a failure after the ledger insert of an approval leaves the proposal waiting, with no ledger, outbox or approval audit row', async () => {
    const agent = await createStaff(handle.db);
    const boss = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const { decision } = await proposeDecision(ctxFor(agent), {
      ticketId: ticket.id,
      outcome: 'balance_credit',
      idempotencyKey: newKey(),
    });
    expect(decision.state).toBe('awaiting_approval');
    const before = await counts();
    await expect(
      reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true }, { hooks: { afterLedgerInsert: boom } }),
    ).rejects.toBeInstanceOf(InjectedFault);
    expect(await counts()).toEqual(before);
    const f = await footprint(handle.db, ticket.id);
    expect(f.decisions[0]).toMatchObject({ state: 'awaiting_approval', approvedBy: null, decidedAt: null });
    expect(f.ticket.status).toBe('awaiting_approval');
    expect(f.audit.map((a) => a.action)).toEqual(['decision.proposed']);

    const approved = await reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true });
    expect(approved.decision.state).toBe('executed');
    expect((await footprint(handle.db, ticket.id)).ledger).toHaveLength(1);
  });

  it('a failure before commit of an approved suspension leaves the customer active and no account_suspended job', async () => {
    const agent = await createStaff(handle.db);
    const boss = await createStaff(handle.db, { role: 'admin' });
    const { ticket, customer } = await chargebackTicket(handle.db);
    const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'deny', idempotencyKey: newKey() });
    const before = await counts();
    await expect(
      reviewDecision(ctxFor(boss), { decisionId: decision.id, approve: true }, { hooks: { beforeCommit: boom } }),
    ).rejects.toBeInstanceOf(InjectedFault);
    expect(await counts()).toEqual(before);
    expect((await handle.db.select().from(customers).where(eq(customers.id, customer.id)))[0]!.isSuspended).toBe(false);
    expect((await handle.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!.status).toBe('awaiting_approval');
  });
});

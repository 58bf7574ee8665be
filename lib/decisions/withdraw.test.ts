import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, decisions, providerJobs, ticketMessages, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { retryProviderJob } from '@/lib/provider/deliveries';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { getDecisionContext, proposeDecision, withdrawCancel } from './index';
import { newKey } from './test-helpers';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as { code: string; message: string },
  );

/** A cancel sent to the panel (decision awaiting_panel) whose delivery then failed for good. */
async function stuckCancel() {
  const agent = await createStaff(handle.db);
  const { ticket } = await createOrderTicket(handle.db, {
    order: { status: 'submitted', delivered: 0, charge: '12.50' },
    ticket: { claim: 'cancel_request', requestedRemedy: 'cancel', explanation: 'Please cancel, I ordered the wrong link' },
  });
  const { decision } = await proposeDecision(ctxFor(agent), { ticketId: ticket.id, outcome: 'balance_credit', idempotencyKey: newKey() });
  expect(decision.state).toBe('awaiting_panel');
  return { agent, ticket, decision };
}

const jobOf = async (decisionId: number) =>
  (
    await handle.db
      .select()
      .from(providerJobs)
      .where(and(eq(providerJobs.decisionId, decisionId), eq(providerJobs.kind, 'cancel')))
  )[0]!;

describe('a cancel that never reaches the panel', () => {
  it('is not withdrawn while it is still being sent', async () => {
    const { decision } = await stuckCancel();
    const sup = await createStaff(handle.db, { role: 'supervisor' });
    const error = await failure(withdrawCancel(ctxFor(sup), { decisionId: decision.id, reason: 'Panel is down for days.' }));
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('still being sent') });
  });

  it('once its delivery failed for good, the decision box says so; an agent may not withdraw it, a supervisor may: the ticket is back in the queue, the job never sent again', async () => {
    const { agent, ticket, decision } = await stuckCancel();
    const job = await jobOf(decision.id);
    await handle.db
      .update(providerJobs)
      .set({ state: 'failed', attempts: 12, lastError: 'HTTP 503: panel is down' })
      .where(eq(providerJobs.id, job.id));

    const seenByAgent = await getDecisionContext(ctxFor(agent), ticket.id);
    expect(seenByAgent.blockedReason).toMatch(/never reached the panel.*12 attempts.*HTTP 503: panel is down/);
    expect(seenByAgent.stuckCancel).toMatchObject({ decisionId: decision.id, canWithdraw: false });
    expect(await failure(withdrawCancel(ctxFor(agent), { decisionId: decision.id, reason: 'Panel is down for days.' }))).toMatchObject({
      code: 'forbidden',
    });

    const sup = await createStaff(handle.db, { role: 'supervisor', name: 'Sam Supervisor' });
    expect((await getDecisionContext(ctxFor(sup), ticket.id)).stuckCancel?.canWithdraw).toBe(true);
    expect(await failure(withdrawCancel(ctxFor(sup), { decisionId: decision.id, reason: 'no' }))).toMatchObject({ code: 'invalid' });
    await withdrawCancel(ctxFor(sup), { decisionId: decision.id, reason: 'The panel has been down for two days.' });

    const [d] = await handle.db.select().from(decisions).where(eq(decisions.id, decision.id));
    expect(d).toMatchObject({ state: 'rejected', approvedBy: sup.id });
    expect(d!.reviewReason).toMatch(/^Cancel withdrawn by Sam Supervisor: it never reached the panel/);
    expect((await jobOf(decision.id)).state).toBe('withdrawn');
    const [t] = await handle.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(t!.status).toBe('open');
    const notes = await handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(notes.filter((m) => !m.isInternal)).toHaveLength(0); // the customer was told nothing
    expect(notes.some((m) => m.isInternal && m.body.includes('is back in the queue'))).toBe(true);
    const audit = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'decision.cancel_retracted'), eq(auditEvents.entityId, String(decision.id))));
    expect(audit).toHaveLength(1);

    // The decision box is open again, and the withdrawn job is never sent again.
    const after = await getDecisionContext(ctxFor(agent), ticket.id);
    expect(after.blockedReason).toBeNull();
    expect(after.stuckCancel).toBeNull();
    const admin = await createStaff(handle.db, { role: 'admin' });
    expect(await failure(retryProviderJob(ctxFor(admin), { jobId: job.id }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('was withdrawn'),
    });
    // Repeating the withdrawal is refused.
    expect(
      await failure(withdrawCancel(ctxFor(sup), { decisionId: decision.id, reason: 'The panel has been down for two days.' })),
    ).toMatchObject({ code: 'conflict' });
  });
});

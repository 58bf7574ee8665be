import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, staffUsers, ticketFindings, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { saveFindings } from './findings';
import { createOrderTicket } from './test-factories';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

const UNKNOWN = {
  linkValid: null,
  targetPublic: null,
  targetUnchanged: null,
  duplicateOrderSameTarget: null,
  otherProvidersUsed: null,
  platformAction: null,
  companyFault: null,
};

const auditOf = (ticketId: number) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'ticket'), eq(auditEvents.entityId, String(ticketId))));

const ticketRow = async (id: number) => (await handle.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;

describe('saveFindings', () => {
  it('a private target on a complete not_delivered claim turns the stored suggestion into deny (target_private, not-refundable), audited', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createOrderTicket(handle.db);
    expect(ticket.claim).toBe('not_delivered');
    expect((await ticketRow(ticket.id)).suggestedOutcome).toBe('verify');

    const result = await saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, targetPublic: false } });
    expect(result.suggestion).toMatchObject({ outcome: 'deny', reasons: [{ code: 'target_private', clause: 'not-refundable' }] });

    const stored = await ticketRow(ticket.id);
    expect(stored.suggestedOutcome).toBe('deny');
    expect(stored.suggestion).toMatchObject({ outcome: 'deny', reasons: [{ code: 'target_private', clause: 'not-refundable' }] });

    const [row] = await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id));
    expect(row).toMatchObject({ ...UNKNOWN, targetPublic: false, updatedBy: agent.id });

    const events = await auditOf(ticket.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'ticket.findings_saved',
      actorId: agent.id,
      actorRole: 'agent',
      before: { findings: null, suggestedOutcome: 'verify' },
      after: { findings: { ...UNKNOWN, targetPublic: false }, suggestedOutcome: 'deny', suggestedAmount: null },
    });
  });

  it('updates existing findings, records the previous ones as before, and accepts the form’s yes / no / unknown', async () => {
    const agent = await createStaff(handle.db);
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket } = await createOrderTicket(handle.db);
    const first = await saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, targetPublic: false } });
    const second = await saveFindings(ctxFor(supervisor), {
      ticketId: String(ticket.id),
      findings: {
        ...Object.fromEntries(Object.keys(UNKNOWN).map((k) => [k, 'unknown'])),
        targetPublic: 'yes',
        companyFault: 'yes',
        linkValid: 'yes',
      },
      basedOn: first.updatedAt.toISOString(),
    });
    // Nothing delivered, the company's fault: the order is run again.
    expect(second.suggestion).toMatchObject({ outcome: 'reprocess', reasons: [{ code: 'company_fault' }] });
    expect(second.updatedBy).toEqual({ id: supervisor.id, name: supervisor.name });
    const [row] = await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id));
    expect(row).toMatchObject({ linkValid: true, targetPublic: true, companyFault: true, targetUnchanged: null, updatedBy: supervisor.id });
    const events = await auditOf(ticket.id);
    expect(events.map((e) => e.before)).toEqual([
      { findings: null, suggestedOutcome: 'verify' },
      { findings: { ...UNKNOWN, targetPublic: false }, suggestedOutcome: 'deny' },
    ]);
  });

  it('refuses a save based on findings someone else has replaced since', async () => {
    const agent = await createStaff(handle.db);
    const other = await createStaff(handle.db);
    const { ticket } = await createOrderTicket(handle.db);
    await saveFindings(ctxFor(other), { ticketId: ticket.id, findings: { ...UNKNOWN, companyFault: true }, basedOn: null });
    // The agent's form was loaded before any findings existed.
    const error = await failure(
      saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, companyFault: false }, basedOn: null }),
    );
    expect(error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Findings were saved on this ticket after you opened it'),
    });
    const [row] = await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id));
    expect(row).toMatchObject({ companyFault: true, updatedBy: other.id });
  });

  it('a conflicting save hands back what the other person saved (values, time, name), so the form keeps the agent’s edits beside theirs', async () => {
    const agent = await createStaff(handle.db);
    const other = await createStaff(handle.db, { name: 'Olive Other' });
    const { ticket } = await createOrderTicket(handle.db);
    const first = await saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, linkValid: true }, basedOn: null });
    const theirs = await saveFindings(ctxFor(other), {
      ticketId: ticket.id,
      findings: { ...UNKNOWN, linkValid: true, targetPublic: false },
      basedOn: first.updatedAt.toISOString(),
    });
    const error = await failure(
      saveFindings(ctxFor(agent), {
        ticketId: ticket.id,
        findings: { ...UNKNOWN, linkValid: true, companyFault: true },
        basedOn: first.updatedAt.toISOString(),
      }),
    );
    expect(error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Your changes are kept'),
      details: {
        theirs: {
          findings: { ...UNKNOWN, linkValid: true, targetPublic: false },
          savedAt: theirs.updatedAt.toISOString(),
          savedBy: 'Olive Other',
        },
      },
    });
    // Saving again on purpose, based on theirs, replaces them.
    const again = await saveFindings(ctxFor(agent), {
      ticketId: ticket.id,
      findings: { ...UNKNOWN, linkValid: true, companyFault: true },
      basedOn: theirs.updatedAt.toISOString(),
    });
    expect(again.findings.companyFault).toBe(true);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createOrderTicket(handle.db);
    const before = await ticketRow(ticket.id);

    const error = await failure(saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, targetPublic: 'maybe' } }));
    expect(error).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^findings\.targetPublic: /),
      fieldErrors: { 'findings.targetPublic': [expect.any(String)] },
    });
    expect(await failure(saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { targetPublic: false } }))).toMatchObject({
      code: 'invalid',
      fieldErrors: expect.objectContaining({ 'findings.linkValid': [expect.any(String)] }),
    });
    expect(await failure(saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, refundNow: true } }))).toMatchObject({
      code: 'invalid',
    });
    expect(await failure(saveFindings(ctxFor(agent), { ticketId: 'abc', findings: UNKNOWN }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^ticketId: /),
    });

    expect(await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id))).toEqual([]);
    expect(await ticketRow(ticket.id)).toEqual(before);
    expect(await auditOf(ticket.id)).toEqual([]);
  });

  it('refuses an unknown ticket (not_found) and a resolved one (conflict), changing nothing', async () => {
    const agent = await createStaff(handle.db);
    expect(await failure(saveFindings(ctxFor(agent), { ticketId: 987_654_321, findings: UNKNOWN }))).toMatchObject({ code: 'not_found' });

    const { ticket } = await createOrderTicket(handle.db, { ticket: { status: 'resolved' } });
    const error = await failure(saveFindings(ctxFor(agent), { ticketId: ticket.id, findings: { ...UNKNOWN, targetPublic: false } }));
    expect(error).toMatchObject({ code: 'conflict', message: `Ticket T-${ticket.id} is resolved, so its findings can no longer change.` });
    expect(await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id))).toEqual([]);
    expect((await ticketRow(ticket.id)).suggestedOutcome).toBe('verify');
    expect(await auditOf(ticket.id)).toEqual([]);
  });

  it('refuses a deactivated user (unauthenticated), changing nothing', async () => {
    const agent = await createStaff(handle.db);
    const ctx = ctxFor(agent);
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, agent.id));
    const { ticket } = await createOrderTicket(handle.db);
    expect(await failure(saveFindings(ctx, { ticketId: ticket.id, findings: { ...UNKNOWN, targetPublic: false } }))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id))).toEqual([]);
    expect(await auditOf(ticket.id)).toEqual([]);
  });

  it('serialises concurrent saves on one ticket: both land, one after the other, each audited', async () => {
    const a = await createStaff(handle.db);
    const b = await createStaff(handle.db);
    const { ticket } = await createOrderTicket(handle.db);
    await Promise.all([
      saveFindings(ctxFor(a), { ticketId: ticket.id, findings: { ...UNKNOWN, companyFault: true } }),
      saveFindings(ctxFor(b), { ticketId: ticket.id, findings: { ...UNKNOWN, companyFault: false } }),
    ]);
    const events = await auditOf(ticket.id);
    expect(events).toHaveLength(2);
    const [row] = await handle.db.select().from(ticketFindings).where(eq(ticketFindings.ticketId, ticket.id));
    // The last one audited is the one stored, and the first one's result is the second's before.
    const last = events.sort((x, y) => x.id - y.id)[1]!;
    expect(row!.updatedBy).toBe(last.actorId);
    expect((last.before as { findings: unknown }).findings).toEqual((events[0]!.after as { findings: unknown }).findings);
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { addTicketMessage } from './messages';
import { DEFAULT_SLA, readSlaConfig, slaDueDates, slaState } from './sla';
import { createBareTicket } from './test-factories';

const handle = setupTestDb();
const HOUR = 3_600_000;
const rowOf = async (id: number) => (await handle.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;

describe('service level targets', () => {
  it('are configuration: defaults per claim, SLA_TARGETS laid over them, a bad value named', () => {
    const opened = new Date('2026-11-01T10:00:00Z');
    expect(slaDueDates('drop', opened, DEFAULT_SLA)).toEqual({
      firstResponseDueAt: new Date('2026-11-01T14:00:00Z'),
      resolutionDueAt: new Date('2026-11-04T10:00:00Z'),
    });
    expect(slaDueDates('duplicate_payment', opened, DEFAULT_SLA).firstResponseDueAt).toEqual(new Date('2026-11-01T12:00:00Z'));
    const config = readSlaConfig({ SLA_TARGETS: '{"default":{"firstResponseHours":8,"resolutionHours":96},"breachingSoonHours":1}' });
    expect(slaDueDates('drop', opened, config).firstResponseDueAt).toEqual(new Date('2026-11-01T18:00:00Z'));
    expect(config.byClaim.duplicate_payment).toEqual(DEFAULT_SLA.byClaim.duplicate_payment);
    expect(() => readSlaConfig({ SLA_TARGETS: '{"default":{"firstResponseHours":-1}}' })).toThrow(/SLA_TARGETS/);
  });

  it('says where the clock stands: first reply, then resolution; paused while waiting; breaching soon', () => {
    const now = new Date('2026-11-01T12:00:00Z');
    const base = { openedAt: new Date('2026-11-01T10:00:00Z'), firstRespondedAt: null };
    expect(slaState({ ...base, status: 'open', slaDueAt: new Date('2026-11-01T13:00:00Z') }, now, DEFAULT_SLA)).toMatchObject({
      kind: 'first_response',
      label: 'First reply due in 1 h',
      isBreachingSoon: true,
      isBreached: false,
    });
    expect(
      slaState({ ...base, firstRespondedAt: now, status: 'open', slaDueAt: new Date('2026-11-01T09:30:00Z') }, now, DEFAULT_SLA),
    ).toMatchObject({ kind: 'resolution', label: 'Resolution 2 h late', isBreached: true });
    expect(slaState({ ...base, status: 'waiting_customer', slaDueAt: null }, now, DEFAULT_SLA).kind).toBe('paused');
  });
});

describe('the first reply (database)', () => {
  it('is stamped by the first staff reply, not a note; the clock moves to resolution, and pauses while waiting for the customer', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db, { openedAt: new Date(Date.now() - HOUR) });
    const fresh = await rowOf(ticket.id);
    expect(fresh.slaDueAt).toEqual(fresh.firstResponseDueAt);

    await addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'Looking into the provider log.', isInternal: true });
    expect((await rowOf(ticket.id)).firstRespondedAt).toBeNull();

    const reply = await addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'Hello, we are on it.', isInternal: false });
    const answered = await rowOf(ticket.id);
    expect(answered.firstRespondedAt).toEqual(reply.createdAt);
    expect(answered.slaDueAt).toEqual(answered.resolutionDueAt);

    const asked = await addTicketMessage(ctxFor(agent), {
      ticketId: ticket.id,
      body: 'Could you send a screenshot of the profile?',
      isInternal: false,
      setStatus: 'waiting_customer',
    });
    expect(asked.status).toBe('waiting_customer');
    const waiting = await rowOf(ticket.id);
    expect(waiting).toMatchObject({ status: 'waiting_customer', slaDueAt: null, firstRespondedAt: reply.createdAt });

    await addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'Done, thank you.', isInternal: false, setStatus: 'resolved' });
    expect(await rowOf(ticket.id)).toMatchObject({ status: 'resolved', slaDueAt: null });
  });
});

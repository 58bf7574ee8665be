import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { policyParamSets, staffUsers, ticketFindings, tickets } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { DEFAULT_POLICY_PARAMS } from '@/lib/policy/params';
import { putEvidence } from '@/lib/evidence/storage';
import { openEvidenceFile } from '@/lib/evidence/serve';
import { getTicketDetail } from './detail';
import {
  createBareTicket,
  createEvidenceRow,
  createLedgerEntry,
  createMessage,
  createOrderEvent,
  createOrderTicket,
  createPayment,
} from './test-factories';

const handle = setupTestDb();
let evidenceDir: string;
const previousEvidenceDir = process.env.EVIDENCE_DIR;
beforeAll(async () => {
  evidenceDir = mkdtempSync(path.join(tmpdir(), 'rd-evidence-test-'));
  process.env.EVIDENCE_DIR = evidenceDir;
});
afterAll(async () => {
  rmSync(evidenceDir, { recursive: true, force: true });
  if (previousEvidenceDir === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = previousEvidenceDir;
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
const HOUR = 3_600_000;

describe('getTicketDetail', () => {
  it('returns the order timeline in time order, whatever order the events were written in', async () => {
    const agent = await createStaff(handle.db);
    const { order, ticket } = await createOrderTicket(handle.db);
    const t0 = order.createdAt.getTime();
    // Written out of order on purpose, with two events at the same instant.
    await createOrderEvent(handle.db, order.id, 'status_changed', new Date(t0 + 5 * HOUR), { from: 'processing', to: 'partial' });
    await createOrderEvent(handle.db, order.id, 'created', new Date(t0), { quantity: 1000 });
    await createOrderEvent(handle.db, order.id, 'partial_delivery', new Date(t0 + 3 * HOUR), { delivered: 400, remains: 600 });
    await createOrderEvent(handle.db, order.id, 'provider_error', new Date(t0 + 3 * HOUR), { message: 'Not enough stock' });

    const detail = await getTicketDetail(ctxFor(agent), ticket.id);
    expect(detail.timeline.map((e) => e.kind)).toEqual(['created', 'partial_delivery', 'provider_error', 'status_changed']);
    expect(detail.timeline[2]!.data).toEqual({ message: 'Not enough stock' });
    expect(detail.order).toMatchObject({
      id: order.id,
      link: order.link,
      quantity: 1000,
      service: { name: 'Instagram Followers [R30]', refillDays: 30 },
    });
    expect(detail.ticket).toMatchObject({ id: ticket.id, claim: 'not_delivered', status: 'open' });
  });

  it('sums the customer’s ledger in SQL, per currency, to the cent', async () => {
    const agent = await createStaff(handle.db);
    const admin = await createStaff(handle.db, { role: 'admin' });
    const { customer, ticket } = await createOrderTicket(handle.db);
    for (const amount of ['10.10', '0.20', '-3.05', '0.05']) await createLedgerEntry(handle.db, customer.id, admin.id, amount);
    await createLedgerEntry(handle.db, customer.id, admin.id, '4.00', 'EUR');
    // Another customer's money never counts.
    const other = await createBareTicket(handle.db);
    await createLedgerEntry(handle.db, other.customer.id, admin.id, '99.00');

    const detail = await getTicketDetail(ctxFor(agent), ticket.id);
    expect(detail.customer.balances).toEqual([
      { currency: 'EUR', amount: '4.00' },
      { currency: 'USD', amount: '7.30' },
    ]);
    expect((await getTicketDetail(ctxFor(agent), other.ticket.id)).customer.balances).toEqual([{ currency: 'USD', amount: '99.00' }]);
  });

  it('counts the customer’s other refund requests in the 90 days before this ticket, as the policy does', async () => {
    const agent = await createStaff(handle.db);
    const { customer, ticket } = await createOrderTicket(handle.db);
    const opened = ticket.openedAt.getTime();
    for (const daysBefore of [1, 30, 89.9, 90.1, -1]) {
      await handle.db
        .insert(tickets)
        .values({ customerId: customer.id, claim: 'other', openedAt: new Date(opened - daysBefore * 24 * HOUR) });
    }
    expect((await getTicketDetail(ctxFor(agent), ticket.id)).customer).toMatchObject({ refundRequests90d: 3, refundRequestWindowDays: 90 });

    // A parameter set in force with a 30-day window: the header counts as the policy check then does.
    const admin = await createStaff(handle.db, { role: 'admin' });
    const since = new Date(Date.now() - 60_000);
    await handle.db.insert(policyParamSets).values({
      version: 2,
      name: 'window 30',
      params: { ...DEFAULT_POLICY_PARAMS, refundRequestWindowDays: 30 },
      effectiveAt: since,
      state: 'approved',
      inForceFrom: since,
      proposedBy: admin.id,
    });
    try {
      expect((await getTicketDetail(ctxFor(agent), ticket.id)).customer).toMatchObject({
        refundRequests90d: 2, // 1 and 30 days before
        refundRequestWindowDays: 30,
      });
    } finally {
      await handle.db.delete(policyParamSets).where(eq(policyParamSets.version, 2));
    }
  });

  it('works for a ticket with no order, payment, evidence, findings or messages', async () => {
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const { ticket, customer } = await createBareTicket(handle.db);
    const detail = await getTicketDetail(ctxFor(supervisor), ticket.id);
    expect(detail).toMatchObject({
      order: null,
      payment: null,
      timeline: [],
      evidence: [],
      findings: null,
      messages: [],
      isSuggestionUnreadable: false,
      assignee: null,
      customer: { id: customer.id, balances: [], refundRequests90d: 0 },
    });
    // No suggestion was stored: the page stores one, so every panel shows the same (one place).
    expect(detail.suggestion).not.toBeNull();
    const [stored] = await handle.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(stored!.suggestion).toEqual(detail.suggestion);
    expect(detail.ticket.suggestedOutcome).toBe(detail.suggestion!.outcome);
  });

  it('returns the payment, evidence, findings with their author, the stored suggestion and the conversation in order', async () => {
    const agent = await createStaff(handle.db, { name: 'Ana Agent' });
    const { customer, ticket } = await createOrderTicket(handle.db, { evidenceFiles: 0 });
    const original = await createPayment(handle.db, customer.id);
    const payment = await createPayment(handle.db, customer.id, { duplicateOf: original.id, processorAllowsRefund: null });
    await handle.db.update(tickets).set({ paymentId: payment.id, assigneeId: agent.id }).where(eq(tickets.id, ticket.id));
    const late = await createEvidenceRow(handle.db, ticket.id, { uploadedAt: new Date(Date.now() - HOUR), originalName: 'b.png' });
    const early = await createEvidenceRow(handle.db, ticket.id, { uploadedAt: new Date(Date.now() - 2 * HOUR), originalName: 'a.png' });
    await handle.db.insert(ticketFindings).values({ ticketId: ticket.id, targetPublic: true, updatedBy: agent.id });
    await createMessage(handle.db, ticket.id, 'second', { staffId: agent.id, isInternal: true, createdAt: new Date(Date.now() - HOUR) });
    await createMessage(handle.db, ticket.id, 'first', { createdAt: new Date(Date.now() - 2 * HOUR) });

    const detail = await getTicketDetail(ctxFor(agent), String(ticket.id));
    expect(detail.payment).toMatchObject({
      id: payment.id,
      duplicateOf: original.id,
      duplicateOfExternalId: original.externalId,
      processorAllowsRefund: null,
      amount: '25.00',
    });
    expect(detail.evidence.map((e) => e.id)).toEqual([early.id, late.id]);
    expect(detail.evidence[0]).toMatchObject({ url: `/api/evidence/${early.id}`, isCustomerUpload: true, width: 1080, height: 1920 });
    expect(detail.evidence[0]).not.toHaveProperty('storageKey');
    expect(detail.findings).toMatchObject({
      values: { targetPublic: true, companyFault: null },
      updatedBy: { id: agent.id, name: 'Ana Agent' },
    });
    // As stored when the ticket came in, before any evidence: the page shows what was stored.
    expect(detail.suggestion).toMatchObject({ outcome: 'request_info', missingInfo: ['evidence'] });
    expect(detail.assignee).toMatchObject({ id: agent.id, name: 'Ana Agent' });
    expect(detail.messages).toMatchObject([
      { body: 'first', isFromCustomer: true, author: null },
      { body: 'second', isFromCustomer: false, isInternal: true, author: { name: 'Ana Agent', role: 'agent' } },
    ]);
  });

  it('refuses unknown and malformed ticket ids and signed-out or deactivated users', async () => {
    const agent = await createStaff(handle.db);
    expect(await failure(getTicketDetail(ctxFor(agent), 987_654_321))).toMatchObject({ code: 'not_found' });
    expect(await failure(getTicketDetail(ctxFor(agent), 'T-1'))).toMatchObject({ code: 'invalid' });
    const { ticket } = await createBareTicket(handle.db);
    const gone = await createStaff(handle.db);
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, gone.id));
    expect(await failure(getTicketDetail(ctxFor(gone), ticket.id))).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('openEvidenceFile', () => {
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  it('returns the stored bytes with the sniffed type', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db);
    const stored = await putEvidence(PNG);
    const row = await createEvidenceRow(handle.db, ticket.id, {
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      mimeType: stored.mimeType,
      sizeBytes: stored.size,
    });
    const file = await openEvidenceFile(ctxFor(agent), String(row.id), { variant: 'file' });
    expect(file).toMatchObject({ id: row.id, ticketId: ticket.id, mimeType: 'image/png', size: PNG.byteLength });
    expect(Buffer.compare(Buffer.from(await new Response(file.body).arrayBuffer()), Buffer.from(PNG))).toBe(0);
    expect(file).not.toHaveProperty('storageKey');
  });

  it('refuses unknown or malformed ids, files missing from storage, and signed-out users', async () => {
    const agent = await createStaff(handle.db);
    for (const id of [987_654_321, '0', '-1', 'abc', '1.5', '../../etc/passwd']) {
      expect(await failure(openEvidenceFile(ctxFor(agent), id, { variant: 'file' }))).toMatchObject({ code: 'not_found' });
    }
    const { ticket } = await createBareTicket(handle.db);
    const lost = await createEvidenceRow(handle.db, ticket.id);
    expect(await failure(openEvidenceFile(ctxFor(agent), lost.id, { variant: 'file' }))).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('missing from storage'),
    });
    const gone = await createStaff(handle.db, { isActive: false });
    expect(await failure(openEvidenceFile(ctxFor(gone), lost.id, { variant: 'file' }))).toMatchObject({ code: 'unauthenticated' });
  });
});

import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, providerJobs, ticketMessages } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import type { Decision } from '@/lib/policy';
import { addTicketMessage, replyTemplates } from './messages';
import { createBareTicket } from './test-factories';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
const messagesOf = (ticketId: number) => handle.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId));
const auditOf = (ticketId: number) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'ticket'), eq(auditEvents.entityId, String(ticketId))));

describe('addTicketMessage', () => {
  it('stores a reply and an internal note, each with its audit row', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db);
    const reply = await addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: '  Hello, we are on it.  ', isInternal: false });
    const note = await addTicketMessage(ctxFor(agent), {
      ticketId: String(ticket.id),
      body: 'Checked the provider log.',
      isInternal: 'true',
    });
    expect(reply).toMatchObject({ ticketId: ticket.id, body: 'Hello, we are on it.', isInternal: false, author: { id: agent.id } });
    expect(note).toMatchObject({ isInternal: true });

    const rows = await messagesOf(ticket.id);
    expect(rows.map((r) => [r.body, r.isInternal, r.staffId])).toEqual([
      ['Hello, we are on it.', false, agent.id],
      ['Checked the provider log.', true, agent.id],
    ]);
    const events = await auditOf(ticket.id);
    expect(events.map((e) => [e.action, e.actorId, (e.after as { messageId: number }).messageId])).toEqual([
      ['ticket.reply_sent', agent.id, reply.id],
      ['ticket.note_added', agent.id, note.id],
    ]);
    // Only the reply goes to the customer, through the panel's outbox.
    const jobs = await handle.db.select().from(providerJobs).where(eq(providerJobs.ticketId, ticket.id));
    expect(jobs.map((j) => [j.kind, (j.payload as { message: string }).message])).toEqual([['customer_reply', 'Hello, we are on it.']]);
  });

  it('refuses an empty or too long body, a missing kind and an unknown ticket, storing nothing', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db);
    expect(await failure(addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: '   ', isInternal: false }))).toMatchObject({
      code: 'invalid',
      message: 'body: Write a message.',
    });
    expect(
      await failure(addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'x'.repeat(5001), isInternal: false })),
    ).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^body: /),
    });
    expect(await failure(addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'Hi' }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^isInternal: /),
    });
    expect(await failure(addTicketMessage(ctxFor(agent), { ticketId: 987_654_321, body: 'Hi', isInternal: false }))).toMatchObject({
      code: 'not_found',
    });
    expect(await messagesOf(ticket.id)).toEqual([]);
    expect(await auditOf(ticket.id)).toEqual([]);
  });

  it('takes exactly 5000 characters', async () => {
    const agent = await createStaff(handle.db);
    const { ticket } = await createBareTicket(handle.db);
    await expect(addTicketMessage(ctxFor(agent), { ticketId: ticket.id, body: 'y'.repeat(5000), isInternal: true })).resolves.toMatchObject(
      { isInternal: true },
    );
  });

  it('refuses a deactivated user', async () => {
    const gone = await createStaff(handle.db, { isActive: false });
    const { ticket } = await createBareTicket(handle.db);
    expect(await failure(addTicketMessage(ctxFor(gone), { ticketId: ticket.id, body: 'Hi', isInternal: false }))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await messagesOf(ticket.id)).toEqual([]);
  });
});

describe('replyTemplates', () => {
  const deny: Decision = {
    outcome: 'deny',
    amount: null,
    currency: null,
    accountAction: 'review',
    requiresApproval: 'none',
    reasons: [
      {
        code: 'target_private',
        clause: 'not-refundable',
        summary: 'The target was found private or hidden, so the claim is not refundable.',
      },
      { code: 'chargeback_threat', clause: 'chargebacks', summary: 'The customer threatened a chargeback.' },
    ],
    missingInfo: [],
    toVerify: [],
    alternatives: [{ if: 'targetPublic is true', outcome: 'reprocess' }],
    policyVersion: '2026-06-10',
  };
  const base = { ticketId: 42, username: 'acme_shop', orderNumber: '88412', agentName: 'Ana' };

  it('explains the suggestion as a support person would: the reasons in plain words, no clause titles or codes', () => {
    const [first, ...rest] = replyTemplates({ ...base, suggestion: deny });
    expect(first).toMatchObject({ id: 'suggestion', kind: 'reply', label: 'Suggested outcome: Deny' });
    expect(first!.body).toBe(
      [
        'Hello acme_shop,',
        'Thank you for contacting us about your ticket T-42 about order 88412. After reviewing your request, we are not able to offer a refund, credit or redo in this case.',
        'Your profile or post was private or hidden, so it could not be delivered to. Please keep the conversation here: opening a payment dispute would put the account on hold.',
        'Best regards,\nAna',
      ].join('\n\n'),
    );
    expect(rest.map((t) => t.id)).toEqual(['acknowledge', 'reason-0-target_private', 'reason-1-chargeback_threat', 'note-summary']);
    expect(rest.find((t) => t.id === 'reason-0-target_private')).toMatchObject({
      label: 'Reason: Situations that are not refundable (target_private)',
      body: expect.stringContaining('Your profile or post was private or hidden'),
    });
    for (const t of [first!, ...rest].filter((t) => t.kind === 'reply')) expect(t.body).not.toMatch(/policy:|target_private|\(\w+_\w+\)/);
    expect(rest.find((t) => t.id === 'note-summary')).toMatchObject({
      kind: 'note',
      body: expect.stringMatching(/^Policy 2026-06-10 suggests Deny\./),
    });
  });

  it('lists what is missing in the customer’s words, and names amounts', () => {
    const ask = replyTemplates({
      ...base,
      orderNumber: null,
      suggestion: {
        ...deny,
        outcome: 'request_info',
        accountAction: 'none',
        missingInfo: ['order_number', 'evidence'],
        reasons: [{ code: 'missing_info', clause: 'eligibility', summary: 'Ask for it.' }],
      },
    })[0]!;
    expect(ask.body).toContain(
      'your ticket T-42. To review your request we need the order number and a screenshot or other proof of the problem. Please reply to this message with these details.',
    );
    const credit = replyTemplates({
      ...base,
      suggestion: {
        ...deny,
        outcome: 'balance_credit',
        amount: '7.50',
        currency: 'USD',
        reasons: [{ code: 'company_fault', clause: 'exclusive-remedies', summary: 'Credit it.' }],
      },
    });
    expect(credit[0]!.body).toContain('We will add 7.50 USD to your panel balance.');
    expect(credit.at(-1)!.body).toContain('suggests Balance credit of 7.50 USD.');
  });

  it('offers only an acknowledgement without a suggestion, and is pure', () => {
    const input = { ...base, suggestion: null };
    expect(replyTemplates(input).map((t) => t.id)).toEqual(['acknowledge']);
    expect(replyTemplates({ ...base, suggestion: deny })).toEqual(replyTemplates({ ...base, suggestion: deny }));
  });
});

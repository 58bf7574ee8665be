import { describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { STAFF_NOTICE_CHANNEL, type StaffNotice } from '@/lib/live/notify';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { countUnseenReviews, listMyProposals, proposeDecision, reviewDecision } from './index';
import { denyTicket, newKey } from './test-helpers';

const handle = setupTestDb();
const REASON = 'The customer sent a screenshot of the provider error log.';

async function overrideProposal(agentId: number) {
  const { ticket } = await denyTicket(handle.db);
  const { decision } = await proposeDecision(ctxFor({ id: agentId }), {
    ticketId: ticket.id,
    outcome: 'balance_credit',
    amount: '2.00',
    reason: REASON,
    idempotencyKey: newKey(),
  });
  expect(decision.state).toBe('awaiting_approval');
  return { ticket, decision };
}

describe('the proposer hears about the review of a proposal', () => {
  it('approval and rejection each send the proposer a notice and count in their navigation until they look at /proposals', async () => {
    const agent = await createStaff(handle.db);
    const supervisor = await createStaff(handle.db, { role: 'supervisor', name: 'Sam Supervisor' });
    const notices: StaffNotice[] = [];
    await handle.listen(STAFF_NOTICE_CHANNEL, (payload) => notices.push(JSON.parse(payload) as StaffNotice));

    const approved = await overrideProposal(agent.id);
    const rejected = await overrideProposal(agent.id);
    expect(await countUnseenReviews(ctxFor(agent))).toBe(0);

    await reviewDecision(ctxFor(supervisor), { decisionId: approved.decision.id, approve: true, idempotencyKey: newKey() });
    await reviewDecision(ctxFor(supervisor), {
      decisionId: rejected.decision.id,
      approve: false,
      reason: 'The screenshot shows another order.',
      idempotencyKey: newKey(),
    });
    await expect.poll(() => notices.length).toBe(2);
    expect(notices).toEqual(
      expect.arrayContaining([
        {
          staffId: agent.id,
          ticketId: approved.ticket.id,
          text: expect.stringMatching(/^Sam Supervisor approved your proposal on T-\d+: Balance credit 2\.00 USD/),
        },
        {
          staffId: agent.id,
          ticketId: rejected.ticket.id,
          text: expect.stringMatching(
            /^Sam Supervisor rejected your proposal on T-\d+ \(Balance credit\): The screenshot shows another order\.$/,
          ),
        },
      ]),
    );
    // Counted for the proposer only.
    expect(await countUnseenReviews(ctxFor(agent))).toBe(2);
    expect(await countUnseenReviews(ctxFor(supervisor))).toBe(0);

    const list = await listMyProposals(ctxFor(agent));
    expect(list.map((p) => [p.id, p.state, p.isNew])).toEqual([
      [rejected.decision.id, 'rejected', true],
      [approved.decision.id, 'executed', true],
    ]);
    expect(list[0]).toMatchObject({ reviewedBy: { name: 'Sam Supervisor' }, reviewReason: 'The screenshot shows another order.' });
    // Looked at: the count goes to 0, and the list no longer marks them new.
    expect(await countUnseenReviews(ctxFor(agent))).toBe(0);
    expect((await listMyProposals(ctxFor(agent))).every((p) => !p.isNew)).toBe(true);
  });
});

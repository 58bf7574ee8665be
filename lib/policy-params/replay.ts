/**
 * The replay shown before a set is approved: the tickets opened in the last 30 days, checked under
 * the set in force and under the proposed one, today. How many suggestions change (outcome, amount
 * or the approval they need) and how much money moves, per currency.
 */
import { asc, gte } from 'drizzle-orm';
import type { Db } from '@/db';
import { tickets } from '@/db/schema';
import { addMoney, compareMoney, subtractMoney } from '@/lib/money';
import type { PolicyParams } from '@/lib/policy/params';
import { loadTicketFacts, suggestFor } from '@/lib/tickets/suggestion';

export const REPLAY_DAYS = 30;
const MAX_TICKETS = 5000;
const BATCH = 100;

export interface Replay {
  days: number;
  at: string;
  tickets: number;
  changed: number;
  outcomeChanged: number;
  amountChanged: number;
  approvalChanged: number;
  /** Per currency: the suggested amounts' total before and after, and the difference. */
  money: { currency: string; before: string; after: string; delta: string }[];
  /** A few changed tickets, to open and compare. */
  examples: { ticketId: number; before: string; after: string }[];
  /** True when more tickets than MAX_TICKETS were opened in the window (the newest were replayed). */
  isCapped: boolean;
}

const describe = (d: { outcome: string; amount: string | null; currency: string | null }) =>
  d.amount ? `${d.outcome} ${d.amount} ${d.currency ?? ''}`.trim() : d.outcome;

export async function replayParams(db: Db, current: PolicyParams, proposed: PolicyParams, now = new Date()): Promise<Replay> {
  const since = new Date(now.getTime() - REPLAY_DAYS * 86_400_000);
  const ids = (
    await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(gte(tickets.openedAt, since))
      .orderBy(asc(tickets.openedAt))
      .limit(MAX_TICKETS + 1)
  ).map((r) => r.id);
  const isCapped = ids.length > MAX_TICKETS;
  const replay: Replay = {
    days: REPLAY_DAYS,
    at: now.toISOString(),
    tickets: 0,
    changed: 0,
    outcomeChanged: 0,
    amountChanged: 0,
    approvalChanged: 0,
    money: [],
    examples: [],
    isCapped,
  };
  const money = new Map<string, { before: string; after: string }>();
  for (let i = 0; i < Math.min(ids.length, MAX_TICKETS); i += BATCH) {
    await db.transaction(async (tx) => {
      for (const id of ids.slice(i, i + BATCH)) {
        const facts = await loadTicketFacts(tx, id, current.refundRequestWindowDays);
        if (!facts) continue;
        // The refund-request window is the desk's count of an input: another window, other facts.
        const proposedFacts =
          proposed.refundRequestWindowDays === current.refundRequestWindowDays
            ? facts
            : await loadTicketFacts(tx, id, proposed.refundRequestWindowDays);
        if (!proposedFacts) continue;
        replay.tickets += 1;
        const before = suggestFor(facts, now, current).suggestion;
        const after = suggestFor(proposedFacts, now, proposed).suggestion;
        const outcome = before.outcome !== after.outcome;
        const amount = (before.amount ?? '') !== (after.amount ?? '');
        const approval = before.requiresApproval !== after.requiresApproval;
        for (const [d, side] of [
          [before, 'before'],
          [after, 'after'],
        ] as const) {
          if (!d.amount || !d.currency) continue;
          const sums = money.get(d.currency) ?? { before: '0.00', after: '0.00' };
          sums[side] = addMoney(sums[side], d.amount);
          money.set(d.currency, sums);
        }
        if (!outcome && !amount && !approval) continue;
        replay.changed += 1;
        if (outcome) replay.outcomeChanged += 1;
        if (amount) replay.amountChanged += 1;
        if (approval) replay.approvalChanged += 1;
        if (replay.examples.length < 10) replay.examples.push({ ticketId: id, before: describe(before), after: describe(after) });
      }
    });
  }
  replay.money = [...money.entries()]
    .map(([currency, sums]) => ({ currency, ...sums, delta: subtractMoney(sums.after, sums.before) }))
    .filter((m) => compareMoney(m.delta, '0.00') !== 0 || compareMoney(m.before, '0.00') !== 0)
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return replay;
}

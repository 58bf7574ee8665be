/**
 * The per-person daily limit on balance credits decided without a supervisor: what one person's
 * executed balance-credit decisions add up to over the rolling window of `currentCreditLimits`.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db';
import { formatCents } from '@/lib/policy/money';
import type { CreditLimits } from '@/lib/policy-params';
import { amountCents } from '@/lib/validation/decisions';

export interface DailyCreditUse {
  /** The balance credits this person's decisions executed (or sent to the panel as cancels) within the window. */
  used: string;
  limit: string;
  /** What may still be credited without a supervisor (never below 0). */
  remaining: string;
  windowHours: number;
}

/**
 * This person's use of the daily limit. Inside a proposal, call it after `lockPersonCredits(tx,
 * 'decision', staffId)`: then a parallel proposal by the same person waits and counts this one.
 */
export async function dailyCreditUse(db: Db | Tx, staffId: number, limits: CreditLimits): Promise<DailyCreditUse> {
  const [row] = await queryRows<{ used: string }>(
    db,
    sql`select coalesce(sum(amount), 0)::numeric(14,2)::text as used from decisions
        where decided_by = ${staffId} and chosen_outcome = 'balance_credit' and state in ('executed', 'awaiting_panel')
          and decided_at > now() - make_interval(hours => ${limits.windowHours})`,
  );
  const used = amountCents(row?.used ?? '0');
  const left = amountCents(limits.decisionDailyPerPerson) - used;
  return {
    used: formatCents(used),
    limit: limits.decisionDailyPerPerson,
    remaining: formatCents(left > 0n ? left : 0n),
    windowHours: limits.windowHours,
  };
}

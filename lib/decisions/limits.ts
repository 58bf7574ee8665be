/**
 * The per-person daily limit on balance credits decided without a supervisor: what one person's
 * executed balance-credit decisions add up to over the rolling window of `currentCreditLimits`.
 */
import { sql, type SQL } from 'drizzle-orm';
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
 * The column `used` (decimal text): what this person's balance credits add up to within the
 * window, for `dailyUseOf`.
 */
export function dailyUsedSql(staffId: number, limits: CreditLimits): SQL {
  return sql`(select coalesce(sum(amount), 0) from decisions
        where decided_by = ${staffId} and chosen_outcome = 'balance_credit' and state in ('executed', 'awaiting_panel')
          and decided_at > now() - make_interval(hours => ${limits.windowHours}))::numeric(14,2)::text as used`;
}

/** The use of the daily limit from `dailyUsedSql`'s column. */
export function dailyUseOf(usedText: string | undefined, limits: CreditLimits): DailyCreditUse {
  const used = amountCents(usedText ?? '0');
  const left = amountCents(limits.decisionDailyPerPerson) - used;
  return {
    used: formatCents(used),
    limit: limits.decisionDailyPerPerson,
    remaining: formatCents(left > 0n ? left : 0n),
    windowHours: limits.windowHours,
  };
}

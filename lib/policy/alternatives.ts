/**
 * Alternatives: re-run rules 5–7 with one unknown (null) or negative fact set otherwise, and list
 * each flip that changes the outcome. Rules 1–4 read no facts, so a case they decide has none.
 */
import type { Case, Facts } from './case';
import { FINDING_NAMES, type VerifyName } from './constants';
import type { Alternative } from './output';
import { decideOnFacts, type Verdict } from './rules';

/** The value of each fact that counts against the customer. */
export const NEGATIVE_VALUE: Readonly<Record<VerifyName, boolean>> = {
  linkValid: false,
  targetPublic: false,
  targetUnchanged: false,
  duplicateOrderSameTarget: true,
  otherProvidersUsed: true,
  platformAction: true,
  companyFault: false,
  processorAllowsRefund: false,
};

/** The facts rules 5–7 read for each kind of claim, in contract order. */
const FACTS_READ: Readonly<Record<'order' | 'payment', readonly VerifyName[]>> = {
  order: FINDING_NAMES,
  payment: ['companyFault', 'processorAllowsRefund'],
};

const TRUE_FALSE = [true, false] as const;

/** The values to try for a fact: both when unknown, the other one when negative, else none. */
function flipsOf(name: VerifyName, value: boolean | null): readonly boolean[] {
  if (value === null) return TRUE_FALSE;
  return value === NEGATIVE_VALUE[name] ? [!value] : [];
}

/**
 * For a case decided by rules 5–7: every single flip that changes the outcome (fact order, then
 * true before false), and, when several facts are still to verify, all of them at their positive
 * value together.
 */
export function findAlternatives(c: Case, facts: Facts, current: Verdict): Alternative[] {
  if (c.kind !== 'order' && c.kind !== 'payment') return [];
  const found: Alternative[] = [];
  for (const name of FACTS_READ[c.kind]) {
    for (const value of flipsOf(name, facts[name])) {
      const outcome = decideOnFacts(c, { ...facts, [name]: value }).outcome;
      if (outcome !== current.outcome) found.push({ if: `${name} is ${value}`, outcome });
    }
  }
  if (current.outcome === 'verify' && current.toVerify.length > 1) {
    const all: Record<string, boolean | null> = { ...facts };
    for (const name of current.toVerify) all[name] = !NEGATIVE_VALUE[name];
    const outcome = decideOnFacts(c, all as Facts).outcome;
    if (outcome !== current.outcome) {
      found.push({ if: current.toVerify.map((name) => `${name} is ${all[name]}`).join(' and '), outcome });
    }
  }
  return found;
}

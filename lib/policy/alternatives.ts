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

/** `facts` with one changed, built as a literal so every trial has the same shape (fast). */
function withFact(f: Facts, name: VerifyName, value: boolean): Facts {
  return {
    linkValid: name === 'linkValid' ? value : f.linkValid,
    targetPublic: name === 'targetPublic' ? value : f.targetPublic,
    targetUnchanged: name === 'targetUnchanged' ? value : f.targetUnchanged,
    duplicateOrderSameTarget: name === 'duplicateOrderSameTarget' ? value : f.duplicateOrderSameTarget,
    otherProvidersUsed: name === 'otherProvidersUsed' ? value : f.otherProvidersUsed,
    platformAction: name === 'platformAction' ? value : f.platformAction,
    companyFault: name === 'companyFault' ? value : f.companyFault,
    processorAllowsRefund: name === 'processorAllowsRefund' ? value : f.processorAllowsRefund,
  };
}

/**
 * Facts the rules only ever test for their negative value (rule 5), so that for them unknown and
 * positive decide alike and trying the positive value of an unknown one is wasted work.
 */
const ONLY_NEGATIVE_READ: ReadonlySet<VerifyName> = new Set([
  'linkValid',
  'duplicateOrderSameTarget',
  'otherProvidersUsed',
  'platformAction',
]);

const NONE: readonly boolean[] = [];
const ONLY_TRUE: readonly boolean[] = [true];
const ONLY_FALSE: readonly boolean[] = [false];

/** The values to try for a fact: both when unknown, the other one when negative, else none. */
function flipsOf(name: VerifyName, value: boolean | null): readonly boolean[] {
  const negative = NEGATIVE_VALUE[name];
  const toNegative = negative ? ONLY_TRUE : ONLY_FALSE;
  const toPositive = negative ? ONLY_FALSE : ONLY_TRUE;
  if (value === null) return ONLY_NEGATIVE_READ.has(name) ? toNegative : TRUE_FALSE;
  return value === negative ? toPositive : NONE;
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
      const outcome = decideOnFacts(c, withFact(facts, name, value)).outcome;
      if (outcome !== current.outcome) found.push({ if: `${name} is ${value}`, outcome });
    }
  }
  if (current.outcome === 'verify' && current.toVerify.length > 1) {
    let all = facts;
    for (const name of current.toVerify) all = withFact(all, name, !NEGATIVE_VALUE[name]);
    const outcome = decideOnFacts(c, all).outcome;
    if (outcome !== current.outcome) {
      found.push({ if: current.toVerify.map((name) => `${name} is ${all[name]}`).join(' and '), outcome });
    }
  }
  return found;
}

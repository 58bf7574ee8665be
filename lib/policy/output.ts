/** The decision (CONTRACT.md "Output"): its type and a zod schema to check one. */
import { z } from 'zod';
import { CLAUSE_IDS, type ClauseId } from './clauses';
import {
  ACCOUNT_ACTIONS,
  APPROVALS,
  MISSING_INFO,
  OUTCOMES,
  VERIFY_NAMES,
  type AccountAction,
  type Approval,
  type MissingInfo,
  type Outcome,
  type VerifyName,
} from './constants';
import { REASON_CODES, type Reason, type ReasonCode } from './reasons';

/** A fact that, set otherwise, would change the outcome: `{ if: "companyFault is true", outcome: "reprocess" }`. */
export interface Alternative {
  if: string;
  outcome: Outcome;
}

export interface Decision {
  outcome: Outcome;
  /** For balance_credit and original_method_refund: exactly two decimals; else null. */
  amount: string | null;
  currency: string | null;
  accountAction: AccountAction;
  requiresApproval: Approval;
  /** The deciding reason first. */
  reasons: Reason[];
  missingInfo: MissingInfo[];
  toVerify: VerifyName[];
  alternatives: Alternative[];
  policyVersion: string;
}

export const PAYING_OUTCOMES: readonly Outcome[] = ['balance_credit', 'original_method_refund'];

const reasonSchema = z.strictObject({
  code: z.enum(REASON_CODES as [ReasonCode, ...ReasonCode[]]),
  clause: z.enum(CLAUSE_IDS as [ClauseId, ...ClauseId[]]),
  summary: z.string().trim().min(1),
});

export const decisionSchema = z
  .strictObject({
    outcome: z.enum(OUTCOMES),
    amount: z
      .string()
      .regex(/^\d+\.\d{2}$/)
      .nullable(),
    currency: z.string().min(1).nullable(),
    accountAction: z.enum(ACCOUNT_ACTIONS),
    requiresApproval: z.enum(APPROVALS),
    reasons: z.array(reasonSchema).min(1),
    missingInfo: z.array(z.enum(MISSING_INFO)),
    toVerify: z.array(z.enum(VERIFY_NAMES)),
    alternatives: z.array(z.strictObject({ if: z.string().min(1), outcome: z.enum(OUTCOMES) })),
    policyVersion: z.string().min(1),
  })
  .superRefine((d, ctx) => {
    const paying = PAYING_OUTCOMES.includes(d.outcome);
    if (paying !== (d.amount !== null)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `amount must be given exactly for ${PAYING_OUTCOMES.join(' and ')}` });
    }
    if ((d.amount === null) !== (d.currency === null)) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'currency must be given exactly with an amount' });
    }
    if (d.outcome !== 'request_info' && d.missingInfo.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['missingInfo'], message: 'missingInfo is only for request_info' });
    }
    if (d.outcome !== 'verify' && d.toVerify.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['toVerify'], message: 'toVerify is only for verify' });
    }
  });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.output<typeof decisionSchema>, Decision> = true;
void schemaMatchesInterface;

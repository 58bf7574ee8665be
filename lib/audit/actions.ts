/**
 * Every action the audit log records, in one tense (what happened: `decision.proposed`), listed in
 * the group the action filter files it under (`?action=decisions`). `record` takes only these; a
 * test checks that no code records anything else and that no action is in two groups. The group
 * keys are in URLs (links from `/quality`, e2e, bookmarks): keep them.
 */
export const ACTION_GROUPS = {
  signin: { label: 'Sign-in', actions: ['auth.signed_in', 'auth.sign_in_failed', 'auth.sign_in_blocked', 'auth.signed_out'] },
  tickets: {
    label: 'Tickets',
    actions: [
      'ticket.claimed',
      'ticket.assigned',
      'ticket.taken_over',
      'ticket.findings_saved',
      'ticket.note_added',
      'ticket.reply_sent',
      'ticket.status_changed',
    ],
  },
  decisions: {
    label: 'Decisions',
    actions: [
      'decision.proposed',
      'decision.approved',
      'decision.rejected',
      'decision.executed',
      'decision.cancel_requested',
      'decision.cancel_refused',
      'decision.cancel_retracted',
      // A decision's suspension of the customer's account, in the decision's transaction.
      'customer.suspended',
    ],
  },
  credits: { label: 'Credits', actions: ['credit.requested', 'credit.approved', 'credit.rejected', 'credit.executed'] },
  staff: {
    label: 'Staff',
    actions: [
      'staff.created',
      'staff.role_changed',
      'staff.deactivated',
      'staff.reactivated',
      'staff.password_reset',
      'staff.password_changed',
      'staff.unlocked',
    ],
  },
  api_keys: { label: 'API keys', actions: ['api_key.created', 'api_key.revoked'] },
  intake: {
    label: 'Intake and the panel',
    actions: [
      'service.imported',
      'customer.imported',
      'order.imported',
      'payment.imported',
      'payment.changed',
      'ticket.imported',
      'ticket.customer_replied',
      'order.event_recorded',
      'provider_job.delivered',
      'provider_job.failed',
      'provider_job.attempt_failed',
      'provider_job.attempt_recorded',
      'provider_job.retried',
    ],
  },
  evidence: { label: 'Evidence', actions: ['evidence.uploaded', 'evidence.refused', 'evidence.downloaded'] },
  policy: { label: 'Policy parameters', actions: ['policy_params.proposed', 'policy_params.approved', 'policy_params.rejected'] },
  review: { label: 'Audit and review', actions: ['audit.exported', 'audit.verified', 'policy.replayed'] },
  system: { label: 'System (demo data)', actions: ['seed.completed'] },
} as const satisfies Record<string, { label: string; actions: readonly `${string}.${string}`[] }>;
export type ActionGroup = keyof typeof ACTION_GROUPS;
export type AuditAction = (typeof ACTION_GROUPS)[ActionGroup]['actions'][number];

export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(ACTION_GROUPS).flatMap((group) => group.actions);

export const isAuditAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);

export const isActionGroup = (value: string): value is ActionGroup => Object.hasOwn(ACTION_GROUPS, value);

/** The group an action is filed under. */
export function actionGroupOf(action: AuditAction): ActionGroup {
  for (const [group, { actions }] of Object.entries(ACTION_GROUPS) as [ActionGroup, { actions: readonly AuditAction[] }][])
    if (actions.includes(action)) return group;
  throw new Error(`The audit action ${action} is in no group of ACTION_GROUPS.`);
}

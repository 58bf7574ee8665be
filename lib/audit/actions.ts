/**
 * Every action the audit log records, in one tense (what happened: `decision.proposed`), grouped
 * by what it concerns. `record` takes only these; a test checks that no code records anything else.
 */
export const AUDIT_ACTIONS = [
  // sign-in
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.sign_in_blocked',
  'auth.signed_out',
  // tickets
  'ticket.claimed',
  'ticket.assigned',
  'ticket.taken_over',
  'ticket.findings_saved',
  'ticket.note_added',
  'ticket.reply_sent',
  'ticket.status_changed',
  // decisions
  'decision.proposed',
  'decision.approved',
  'decision.rejected',
  'decision.executed',
  'decision.cancel_requested',
  'decision.cancel_refused',
  'customer.suspended',
  // manual credits
  'credit.requested',
  'credit.approved',
  'credit.rejected',
  'credit.executed',
  // staff and API keys
  'staff.reactivated',
  'staff.deactivated',
  'staff.role_changed',
  'staff.created',
  'staff.password_reset',
  'staff.password_changed',
  'staff.unlocked',
  'api_key.created',
  // policy parameters
  'policy_params.proposed',
  'policy_params.approved',
  'policy_params.rejected',
  // the panel
  'order.event_recorded',
  'service.imported',
  'customer.imported',
  'order.imported',
  'payment.imported',
  'payment.changed',
  'ticket.imported',
  'ticket.customer_replied',
  'provider_job.delivered',
  'provider_job.failed',
  'provider_job.attempt_failed',
  'provider_job.attempt_recorded',
  'provider_job.retried',
  // supervisor review
  'audit.exported',
  'audit.verified',
  'policy.replayed',
  // demo data
  'seed.completed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);

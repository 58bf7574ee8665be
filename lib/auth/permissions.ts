/**
 * Who may do what: the one table. Every core function (through `authorize` / `authorizeStaff` in
 * ./actor), every page guard and every navigation item reads it; nothing else lists roles or scopes.
 *
 * - `roles`: the staff roles that hold the permission.
 * - `scopes`: the API-key scopes that hold it (machines: the panel).
 * The system actor (the worker, command-line tools, the demo seed) is trusted code and holds every
 * permission; no request ever becomes the system actor.
 */
import type { StaffRole } from '@/db/schema';

export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const satisfies readonly StaffRole[];

/** Scopes an API key can be given. */
export const API_KEY_SCOPES = ['order-events', 'intake:write', 'tickets:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

interface Rule {
  roles: readonly StaffRole[];
  scopes: readonly ApiKeyScope[];
  /** What the permission allows, for error messages and the API keys screen. */
  label: string;
}

const STAFF = STAFF_ROLES;
const REVIEWERS = ['supervisor', 'admin'] as const;
const ADMINS = ['admin'] as const;

export const PERMISSIONS = {
  /** The queue, the ticket page, its decisions and deliveries, presence and live updates. */
  'tickets.read': { roles: STAFF, scopes: [], label: 'read tickets' },
  /** Claim, record findings, write messages, propose decisions. */
  'tickets.work': { roles: STAFF, scopes: [], label: 'work tickets' },
  /** Take over a ticket another person has claimed (they are told). */
  'tickets.take_over': { roles: STAFF, scopes: [], label: 'take over tickets claimed by others' },
  /** Assign a ticket to someone else. */
  'tickets.assign': { roles: REVIEWERS, scopes: [], label: 'assign tickets' },
  /** Approve or reject what needs a second person; the approvals page. */
  'decisions.review': { roles: REVIEWERS, scopes: [], label: 'review decisions' },
  /** Read the audit log. */
  'audit.read': { roles: REVIEWERS, scopes: [], label: 'read the audit log' },
  /** Export the (filtered) audit log as CSV or JSON Lines; each export is itself recorded. */
  'audit.export': { roles: REVIEWERS, scopes: [], label: 'export the audit log' },
  /** Decision quality (charts, outliers) and the policy replay. */
  'quality.read': { roles: REVIEWERS, scopes: [], label: 'review decision quality' },
  /** Manual balance credits and reversals. */
  'credits.manage': { roles: ADMINS, scopes: [], label: 'issue manual credits' },
  /** The deliveries page: failed, stuck and refused calls to the panel, and retrying them. */
  'deliveries.manage': { roles: ADMINS, scopes: [], label: 'manage deliveries to the panel' },
  /** Staff accounts and API keys. */
  'staff.manage': { roles: ADMINS, scopes: [], label: 'manage staff' },
  /** Propose, approve and read the versioned policy parameter sets. */
  'policy.manage': { roles: ADMINS, scopes: [], label: 'manage policy parameters' },
  /** The panel reports what happened to an order. */
  'orders.events.write': { roles: [], scopes: ['order-events'], label: 'post order events' },
  /** The panel pushes its services, customers, orders, payments, tickets and customer replies. */
  'intake.write': { roles: [], scopes: ['intake:write'], label: 'send services, customers, orders, payments and tickets' },
  /** The panel reads its tickets' status and decisions back (one ticket, or the sync by time). */
  'tickets.sync': { roles: [], scopes: ['tickets:read'], label: 'read tickets’ status and decisions' },
} as const satisfies Record<string, Rule>;

export type Permission = keyof typeof PERMISSIONS;

export const roleHas = (role: StaffRole, permission: Permission): boolean =>
  (PERMISSIONS[permission].roles as readonly StaffRole[]).includes(role);

export const scopesHave = (scopes: readonly string[], permission: Permission): boolean =>
  (PERMISSIONS[permission].scopes as readonly string[]).some((scope) => scopes.includes(scope));

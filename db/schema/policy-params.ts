import { bigint, index, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, id, ref } from './_columns';
import { staffUsers } from './staff';

export const policyParamSetState = pgEnum('policy_param_set_state', ['awaiting_approval', 'approved', 'rejected']);

/**
 * The recompute of open tickets' suggestions once a set is in force, run by the worker
 * (lib/policy-params/recompute.ts): `waiting` until a worker claims it, `running` under a worker's
 * lease, `done`, or `superseded` when a newer set came into force before it was recomputed.
 */
export const policyRecomputeState = pgEnum('policy_recompute_state', ['waiting', 'running', 'done', 'superseded']);

/**
 * Versioned sets of the policy's numbers (lib/policy/params). Version 1 is the built-in defaults
 * and has no row; every later set is proposed by one admin and approved by another, and is in
 * force from `in_force_from` (its effective time, or its approval if that came later).
 */
export const policyParamSets = pgTable(
  'policy_param_sets',
  {
    id: id(),
    version: integer('version').notNull().unique(),
    name: text('name').notNull(),
    /** A PolicyParams object (lib/policy/params), checked by its schema on the way in and out. */
    params: jsonb('params').notNull(),
    effectiveAt: at('effective_at').notNull(),
    state: policyParamSetState('state').notNull().default('awaiting_approval'),
    proposedBy: ref('proposed_by')
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
    reviewedBy: ref('reviewed_by').references(() => staffUsers.id),
    reviewedAt: at('reviewed_at'),
    rejectReason: text('reject_reason'),
    inForceFrom: at('in_force_from'),
    /** The last 30 days replayed under this set against the set in force when it was proposed. */
    replay: jsonb('replay'),
    /** Recomputing the stored suggestions of open tickets once the set is in force. */
    recomputeState: policyRecomputeState('recompute_state').notNull().default('waiting'),
    /** The worker running it, and until when its claim holds (renewed with every batch; an expired one is taken over). */
    recomputeClaimedBy: text('recompute_claimed_by'),
    recomputeLeaseUntil: at('recompute_lease_until'),
    /** The last ticket id recomputed: a worker taking over resumes after it. */
    recomputeCursor: bigint('recompute_cursor', { mode: 'number' }),
    recomputeTotal: integer('recompute_total'),
    recomputeDone: integer('recompute_done'),
    recomputeStartedAt: at('recompute_started_at'),
    recomputeFinishedAt: at('recompute_finished_at'),
  },
  (t) => [index('policy_param_sets_in_force_idx').on(t.state, t.inForceFrom)],
);

export type PolicyParamSet = typeof policyParamSets.$inferSelect;

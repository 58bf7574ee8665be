import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, currency, id, money, ref } from './_columns';
import { customers, orders, payments } from './panel';
import { apiKeys, staffUsers } from './staff';

export const ticketClaim = pgEnum('ticket_claim', [
  'not_started',
  'not_delivered',
  'partial_delivery',
  'drop',
  'cancel_request',
  'duplicate_payment',
  'payment_not_credited',
  'slow_delivery',
  'quality',
  'wrong_link',
  'crypto_payment_issue',
  'unused_balance',
  'price_change',
  'change_of_mind',
  'other',
]);

export const requestedRemedy = pgEnum('requested_remedy', ['original_method_refund', 'balance_credit', 'reprocess', 'refill', 'cancel']);

export const ticketStatus = pgEnum('ticket_status', ['open', 'waiting_customer', 'awaiting_approval', 'escalated', 'resolved']);

export const policyOutcome = pgEnum('policy_outcome', [
  'deny',
  'request_info',
  'verify',
  'reprocess',
  'refill',
  'balance_credit',
  'original_method_refund',
  'escalate',
]);

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    externalId: text('external_id').unique(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    orderId: ref('order_id').references(() => orders.id),
    paymentId: ref('payment_id').references(() => payments.id),
    claim: ticketClaim('claim').notNull(),
    requestedRemedy: requestedRemedy('requested_remedy'),
    /** The order number and target link as the customer wrote them. */
    orderNumberGiven: text('order_number_given'),
    targetLinkGiven: text('target_link_given'),
    explanation: text('explanation'),
    isMandatoryLawClaimed: boolean('is_mandatory_law_claimed').notNull().default(false),
    isChargebackThreatened: boolean('is_chargeback_threatened').notNull().default(false),
    isResellerDownstreamDispute: boolean('is_reseller_downstream_dispute').notNull().default(false),
    status: ticketStatus('status').notNull().default('open'),
    assigneeId: ref('assignee_id').references(() => staffUsers.id),
    openedAt: at('opened_at').notNull(),
    eligibilityDeadline: at('eligibility_deadline'),
    /** The stored policy suggestion, recomputed whenever the ticket's facts change. */
    suggestedOutcome: policyOutcome('suggested_outcome'),
    suggestedAmount: money('suggested_amount'),
    suggestion: jsonb('suggestion'),
    /** The policy parameter set (its version number) the stored suggestion was computed under; null: the built-in v1. */
    suggestionParamsVersion: integer('suggestion_params_version'),
    /** What the claim is about: the order's charge or the payment's amount (for sorting the queue). */
    amountAtStake: money('amount_at_stake'),
    /**
     * The team's service level (lib/tickets/sla.ts): the due times the ticket was opened under, the
     * first reply to the customer (kept by a trigger on ticket_messages), and the next due time that
     * matters — null while waiting for the customer or resolved — for the "breaching soon" sort.
     */
    firstResponseDueAt: at('first_response_due_at'),
    resolutionDueAt: at('resolution_due_at'),
    firstRespondedAt: at('first_responded_at'),
    slaDueAt: at('sla_due_at').generatedAlwaysAs(
      sql`case when status in ('resolved', 'waiting_customer') then null when first_responded_at is null then first_response_due_at else resolution_due_at end`,
    ),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('tickets_status_deadline_idx').on(t.status, t.eligibilityDeadline, t.id),
    index('tickets_deadline_idx').on(t.eligibilityDeadline, t.id),
    index('tickets_status_sla_idx').on(t.status, t.slaDueAt, t.id),
    index('tickets_sla_idx').on(t.slaDueAt, t.id),
    index('tickets_status_opened_idx').on(t.status, t.openedAt, t.id),
    // Matches the queue's "largest amount first" order exactly (desc, nulls last), so it can walk it.
    index('tickets_status_amount_desc_idx').on(t.status, t.amountAtStake.desc().nullsLast(), t.id.desc()),
    index('tickets_link_trgm_idx').using('gin', sql`${t.targetLinkGiven} gin_trgm_ops`),
    // Filtered tab counts read these alone (index-only), assignee included for "mine" / "unassigned".
    index('tickets_claim_status_assignee_idx').on(t.claim, t.status, t.assigneeId),
    index('tickets_outcome_status_assignee_idx').on(t.suggestedOutcome, t.status, t.assigneeId),
    index('tickets_customer_idx').on(t.customerId),
    index('tickets_order_idx').on(t.orderId),
    index('tickets_payment_idx').on(t.paymentId),
    index('tickets_assignee_idx').on(t.assigneeId),
    // The panel's sync: GET /api/v1/tickets?updated_since=… walks (updated_at, id).
    index('tickets_updated_idx').on(t.updatedAt, t.id),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** null: written by the customer. */
    staffId: ref('staff_id').references(() => staffUsers.id),
    isInternal: boolean('is_internal').notNull().default(false),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt)],
);

/**
 * Tickets per status, kept exact by statement-level triggers (see the ticket_status_counts
 * migrations). Each database session writes its own shard, so concurrent status changes never wait
 * on one counter row; a status's count is the sum of its shards.
 */
export const ticketStatusCounts = pgTable(
  'ticket_status_counts',
  {
    status: ticketStatus('status').notNull(),
    shard: smallint('shard').notNull().default(0),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.status, t.shard] })],
);

/** Who has which ticket (or the queue, ticket null) open right now; refreshed by a heartbeat. */
export const ticketPresence = pgTable(
  'ticket_presence',
  {
    staffId: ref('staff_id')
      .notNull()
      .references(() => staffUsers.id),
    /** 0 stands for the queue itself. */
    ticketId: ref('ticket_id').notNull(),
    seenAt: at('seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.ticketId] }), index('ticket_presence_ticket_idx').on(t.ticketId, t.seenAt)],
);

/** The facts an agent verified: the `findings` of the policy contract (null = not yet known). */
export const ticketFindings = pgTable('ticket_findings', {
  ticketId: ref('ticket_id')
    .primaryKey()
    .references(() => tickets.id),
  linkValid: boolean('link_valid'),
  targetPublic: boolean('target_public'),
  targetUnchanged: boolean('target_unchanged'),
  duplicateOrderSameTarget: boolean('duplicate_order_same_target'),
  otherProvidersUsed: boolean('other_providers_used'),
  platformAction: boolean('platform_action'),
  companyFault: boolean('company_fault'),
  updatedBy: ref('updated_by').references(() => staffUsers.id),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const evidence = pgTable(
  'evidence',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    sha256: text('sha256').notNull(),
    /** The type sniffed from the file's bytes, never the name the uploader gave. */
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** 64-bit perceptual hash as 16 hex digits, to spot the same screenshot reused. */
    perceptualHash: text('perceptual_hash'),
    /**
     * The DCT perceptual hash of an uploaded image (lib/evidence/phash.ts) as a signed 64-bit
     * integer, and its four 16-bit bands (bits 63–48, 47–32, 31–16, 15–0), each indexed: two hashes
     * within Hamming distance 7 agree within one bit on at least one band, so a near match is found
     * by looking up a few band values, never by scanning (lib/evidence/reuse.ts). Null for PDFs.
     */
    phash: bigint('phash', { mode: 'bigint' }),
    phashBand0: integer('phash_band0'),
    phashBand1: integer('phash_band1'),
    phashBand2: integer('phash_band2'),
    phashBand3: integer('phash_band3'),
    storageKey: text('storage_key').notNull(),
    /** The stored thumbnail (WebP) of an image; null for PDFs and demo rows. */
    thumbnailKey: text('thumbnail_key'),
    originalName: text('original_name').notNull(),
    /** null: uploaded by the customer through the panel. */
    uploadedBy: ref('uploaded_by').references(() => staffUsers.id),
    /** The API key that uploaded it (the panel forwarding the customer's file), when it came through the API. */
    uploadedByKey: ref('uploaded_by_key').references(() => apiKeys.id),
    uploadedAt: at('uploaded_at').notNull(),
  },
  (t) => [
    index('evidence_ticket_idx').on(t.ticketId),
    index('evidence_phash_band0_idx').on(t.phashBand0),
    index('evidence_phash_band1_idx').on(t.phashBand1),
    index('evidence_phash_band2_idx').on(t.phashBand2),
    index('evidence_phash_band3_idx').on(t.phashBand3),
    index('evidence_thumbnail_key_idx').on(t.thumbnailKey),
    index('evidence_storage_key_idx').on(t.storageKey),
  ],
);

/**
 * One upload request that carried an `Idempotency-Key`: the same key and the same files again
 * replay its evidence; the same key with other files is a conflict. A key is its caller's
 * (`actor`: `api_key:<id>` or `staff:<id>`).
 */
export const evidenceUploads = pgTable(
  'evidence_uploads',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    actor: text('actor').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    evidenceIds: jsonb('evidence_ids').$type<number[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('evidence_uploads_actor_key_idx').on(t.actor, t.idempotencyKey)],
);

/**
 * `awaiting_panel`: a decision whose effect the panel must carry out first (a cancel): sent, its
 * answer not yet in. It becomes `executed` when the panel confirms, `rejected` when it refuses.
 */
export const decisionState = pgEnum('decision_state', ['proposed', 'awaiting_approval', 'awaiting_panel', 'executed', 'rejected']);

export const decisions = pgTable(
  'decisions',
  {
    id: id(),
    ticketId: ref('ticket_id')
      .notNull()
      .references(() => tickets.id),
    suggestedOutcome: policyOutcome('suggested_outcome').notNull(),
    suggestedReasons: jsonb('suggested_reasons').notNull(),
    policyVersion: text('policy_version').notNull(),
    /**
     * The policy parameter set (its version; 1 = the built-in defaults) the suggestion was computed
     * with, stored when the decision is proposed. The default is for seeds that write decisions
     * directly under the built-in defaults; the desk always sets it.
     */
    paramsVersion: integer('params_version').notNull().default(1),
    chosenOutcome: policyOutcome('chosen_outcome').notNull(),
    amount: money('amount'),
    currency: currency(),
    /** Chosen differently from the suggestion (outcome or amount): needs a reason and a supervisor. */
    isOverride: boolean('is_override').notNull().default(false),
    overrideReason: text('override_reason'),
    /** none | review | suspend, as the policy check said or the agent chose. */
    accountAction: text('account_action').notNull().default('none'),
    /** Why a second person must approve (threshold, cash refund, override, escalation, suspension), or null. */
    approvalReason: text('approval_reason'),
    /** The reply sent to the customer when the decision is executed. */
    reply: text('reply'),
    decidedBy: ref('decided_by')
      .notNull()
      .references(() => staffUsers.id),
    approvedBy: ref('approved_by').references(() => staffUsers.id),
    reviewReason: text('review_reason'),
    state: decisionState('state').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    requestHash: text('request_hash').notNull(),
    createdAt: createdAt(),
    decidedAt: at('decided_at'),
  },
  (t) => [
    index('decisions_ticket_idx').on(t.ticketId),
    index('decisions_state_idx').on(t.state, t.createdAt),
    // One person's balance credits over the daily limit's window (lib/decisions/limits.ts), read by every proposal of one.
    index('decisions_credit_use_idx').on(t.decidedBy, t.decidedAt),
    // At most one proposal waits for approval per ticket.
    uniqueIndex('decisions_one_pending_per_ticket')
      .on(t.ticketId)
      .where(sql`state = 'awaiting_approval'`),
  ],
);

export const creditReason = pgEnum('credit_reason', ['goodwill', 'compensation', 'correction', 'promotion']);

/** Admin credits and reversals not tied to a ticket; above the threshold a second admin approves. */
export const manualCredits = pgTable(
  'manual_credits',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    /** Positive for a credit; a reversal carries the (positive) amount it takes back. */
    amount: money('amount').notNull(),
    currency: currency().notNull(),
    isReversal: boolean('is_reversal').notNull().default(false),
    reversesLedgerId: ref('reverses_ledger_id'),
    reasonCode: creditReason('reason_code').notNull(),
    note: text('note').notNull(),
    requestedBy: ref('requested_by')
      .notNull()
      .references(() => staffUsers.id),
    approvedBy: ref('approved_by').references(() => staffUsers.id),
    reviewReason: text('review_reason'),
    /** Why a second admin must approve (above the threshold, or above a rolling-window limit), in words; null: it needed none. */
    approvalReason: text('approval_reason'),
    state: decisionState('state').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    requestHash: text('request_hash').notNull(),
    createdAt: createdAt(),
    decidedAt: at('decided_at'),
  },
  (t) => [
    index('manual_credits_requester_idx').on(t.requestedBy, t.createdAt),
    index('manual_credits_customer_idx').on(t.customerId),
    index('manual_credits_state_idx').on(t.state),
  ],
);

export const ledgerKind = pgEnum('ledger_kind', ['decision_credit', 'manual_credit', 'reversal']);

/** Append-only balance movements; a customer's balance is the sum of their entries. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    amount: money('amount').notNull(),
    currency: currency().notNull(),
    kind: ledgerKind('kind').notNull(),
    ticketId: ref('ticket_id').references(() => tickets.id),
    decisionId: ref('decision_id').references(() => decisions.id),
    manualCreditId: ref('manual_credit_id').references(() => manualCredits.id),
    reversesId: ref('reverses_id'),
    reasonCode: text('reason_code'),
    note: text('note'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdBy: ref('created_by')
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_entries_customer_idx').on(t.customerId, t.createdAt),
    // A ledger entry is reversed at most once.
    uniqueIndex('ledger_entries_one_reversal')
      .on(t.reversesId)
      .where(sql`reverses_id is not null`),
    // One executed credit per ticket.
    uniqueIndex('ledger_entries_one_credit_per_ticket')
      .on(t.ticketId)
      .where(sql`kind = 'decision_credit'`),
  ],
);

export const providerJobKind = pgEnum('provider_job_kind', [
  'reprocess',
  'refill',
  'cancel',
  'credit_granted',
  'credit_reversed',
  'account_suspended',
  'customer_reply',
  'audit_checkpoint',
]);
/** `withdrawn`: a cancel that never reached the panel, withdrawn by a supervisor or admin (never sent again). */
export const providerJobState = pgEnum('provider_job_state', ['pending', 'delivered', 'failed', 'withdrawn']);

/** Outbox of calls to the panel, written in the same transaction as the decision. */
export const providerJobs = pgTable(
  'provider_jobs',
  {
    id: id(),
    eventId: text('event_id').notNull().unique(),
    decisionId: ref('decision_id').references(() => decisions.id),
    ticketId: ref('ticket_id').references(() => tickets.id),
    /** The balance movement this job tells the panel about (credit_granted, credit_reversed). */
    ledgerEntryId: ref('ledger_entry_id').references(() => ledgerEntries.id),
    kind: providerJobKind('kind').notNull(),
    payload: jsonb('payload').notNull(),
    state: providerJobState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /**
     * What the panel answered when it refused the webhook itself (a 4xx other than 408 and 429:
     * wrong secret, clock skew, a URL that is not the webhook): a configuration problem to fix on
     * our side or the panel's, shown on the deliveries page. Cleared by any other answer.
     */
    problem: text('problem'),
    /** `attempts` when an admin last retried the job: it gives up after `maxAttempts` more. */
    attemptsAtRetry: integer('attempts_at_retry').notNull().default(0),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('provider_jobs_due_idx').on(t.state, t.nextAttemptAt),
    index('provider_jobs_ledger_entry_idx')
      .on(t.ledgerEntryId)
      .where(sql`ledger_entry_id is not null`),
  ],
);

/**
 * An attempt is written `in_flight` when the worker claims the job, before it sends; the answer
 * makes it `delivered` or `failed`. One still in flight when the job is claimed again (its worker
 * died or lost its lease before recording) becomes `abandoned`.
 */
export const providerJobAttemptState = pgEnum('provider_job_attempt_state', ['in_flight', 'delivered', 'failed', 'abandoned']);

/** Every delivery attempt of an outbox job to the panel. */
export const providerJobAttempts = pgTable(
  'provider_job_attempts',
  {
    id: id(),
    jobId: ref('job_id')
      .notNull()
      .references(() => providerJobs.id),
    /** 1 for the first attempt of the job, and so on: the `X-Refund-Desk-Attempt` header sent. */
    number: integer('number').notNull().default(0),
    state: providerJobAttemptState('state').notNull().default('in_flight'),
    attemptedAt: at('attempted_at').notNull().defaultNow(),
    /** The panel's HTTP status, or null when it could not be reached (or no answer was recorded). */
    httpStatus: integer('http_status'),
    error: text('error'),
    /** Null while in flight or when abandoned. */
    durationMs: integer('duration_ms'),
  },
  (t) => [index('provider_job_attempts_job_idx').on(t.jobId)],
);

export type Ticket = typeof tickets.$inferSelect;
export type TicketStatus = (typeof ticketStatus.enumValues)[number];

/**
 * Each outbox worker says here that it runs (every round, at most every 15 s), and whether it has
 * a panel URL to deliver to: staff pages warn when none has been seen lately or none can deliver.
 */
export const workerHeartbeats = pgTable('worker_heartbeats', {
  /** host:pid:start time, one row per running worker process. */
  workerId: text('worker_id').primaryKey(),
  startedAt: at('started_at').notNull(),
  seenAt: at('seen_at').notNull(),
  hasPanelUrl: boolean('has_panel_url').notNull(),
});

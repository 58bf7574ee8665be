/**
 * Walks the whole permission table: for every permission, every staff role and API-key scope that
 * must not hold it is refused by the core functions themselves (not by a page or route), and every
 * one that holds it gets past the check.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StaffRole } from '@/db/schema';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import { exportAuditEvents, getAuditEvent, getChainStatus, listAuditEvents, verifyAuditLog } from '@/lib/audit/query';
import { getQualityReport } from '@/lib/quality/metrics';
import { replayPolicy } from '@/lib/quality/replay';
import {
  getCustomerLedger,
  listPendingManualCredits,
  requestManualCredit,
  requestReversal,
  reviewManualCredit,
  searchCustomers,
} from '@/lib/credits';
import {
  countUnseenReviews,
  getDecisionContext,
  listMyProposals,
  listPendingApprovals,
  listTicketDecisions,
  proposeDecision,
  reviewDecision,
  withdrawCancel,
} from '@/lib/decisions';
import { authenticateApiKey, createApiKey, issueApiKey, listApiKeys, revokeApiKey } from '@/lib/api-keys';
import { recordOrderEvent } from '@/lib/intake/order-events';
import { upsertCustomer, upsertService } from '@/lib/intake/catalog';
import { upsertOrder, upsertOrderBatch } from '@/lib/intake/orders';
import { recordPayment } from '@/lib/intake/payments';
import { addCustomerMessage, getTicketForPanel, importTicket, listTicketsForPanel } from '@/lib/intake/tickets';
import { listViewers, touchPresence } from '@/lib/live/presence';
import { countTroubledDeliveries, listTicketDeliveries, listTroubledDeliveries, retryProviderJob } from '@/lib/provider/deliveries';
import { getDeliveryProblem } from '@/lib/provider/heartbeat';
import { createStaffAccount, listStaff, resetStaffPassword, setStaffActive, setStaffRole, unlockStaff } from '@/lib/staff';
import { getParamSet, listParamSets, proposeParamSet, reviewParamSet } from '@/lib/policy-params/sets';
import { assignTicket, claimNextTicket, claimTicket, listAssignees, takeOverTicket } from '@/lib/tickets/claim';
import { getTicketDetail } from '@/lib/tickets/detail';
import { openEvidenceFile } from '@/lib/evidence/serve';
import { addTicketMessage } from '@/lib/tickets/messages';
import { listQueue } from '@/lib/tickets/queue';
import { saveFindings } from '@/lib/tickets/findings';
import { createOrderTicket } from '@/lib/tickets/test-factories';
import { uploadEvidence } from '@/lib/evidence/upload';
import { smallPng } from '@/lib/evidence/test-images';
import { receivedUpload } from '@/lib/evidence/test-upload';
import { FINDING_NAMES } from '@/lib/validation/tickets';
import { authorizeStaff, systemCtx, type Ctx } from './actor';
import { API_KEY_SCOPES, PERMISSIONS, STAFF_ROLES, type Permission } from './permissions';

const handle = setupTestDb();
process.env.EVIDENCE_DIR = mkdtempSync(path.join(tmpdir(), 'rd-permissions-evidence-'));

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'internal',
  );

type Call = (ctx: Ctx, fixture: { ticketId: number; orderNumber: string; staffId: number }) => Promise<unknown>;

/** An order of a customer and a service the desk does not know: refused inside the transaction, after the caller's check. */
const WALK_ORDER = {
  number: 'walk-order',
  customer: 'walk-nobody',
  service: 'walk-nothing',
  link: 'https://instagram.com/walk',
  quantity: 100,
  charge: '0.27819',
  currency: 'USD',
  status: 'Pending',
  createdAt: new Date(Date.now() - 60_000).toISOString(),
};

/** Every core function, by the permission it needs. */
const CORE_FUNCTIONS: Record<Permission, Record<string, Call>> = {
  'tickets.read': {
    listQueue: (ctx) => listQueue(ctx, {}),
    getTicketDetail: (ctx, f) => getTicketDetail(ctx, f.ticketId),
    openEvidenceFile: (ctx) => openEvidenceFile(ctx, 1, { variant: 'file' }),
    listTicketDecisions: (ctx, f) => listTicketDecisions(ctx, f.ticketId),
    getDecisionContext: (ctx, f) => getDecisionContext(ctx, f.ticketId),
    touchPresence: (ctx, f) => touchPresence(ctx, { ticketId: f.ticketId }),
    listViewers: (ctx, f) => listViewers(ctx, [f.ticketId]),
    listTicketDeliveries: (ctx, f) => listTicketDeliveries(ctx, f.ticketId),
    getDeliveryProblem: (ctx) => getDeliveryProblem(ctx),
  },
  'tickets.work': {
    claimTicket: (ctx, f) => claimTicket(ctx, { ticketId: f.ticketId }),
    claimNextTicket: (ctx) => claimNextTicket(ctx),
    addTicketMessage: (ctx, f) => addTicketMessage(ctx, { ticketId: f.ticketId, body: 'Checked the order.', isInternal: true }),
    saveFindings: (ctx, f) =>
      saveFindings(ctx, { ticketId: f.ticketId, findings: Object.fromEntries(FINDING_NAMES.map((name) => [name, null])) }),
    proposeDecision: (ctx, f) => proposeDecision(ctx, { ticketId: f.ticketId, outcome: 'deny', idempotencyKey: randomUUID() }),
    countUnseenReviews: (ctx) => countUnseenReviews(ctx),
    listMyProposals: (ctx) => listMyProposals(ctx),
  },
  'tickets.take_over': {
    takeOverTicket: (ctx, f) => takeOverTicket(ctx, { ticketId: f.ticketId }),
  },
  'tickets.assign': {
    assignTicket: (ctx, f) => assignTicket(ctx, { ticketId: f.ticketId, assigneeId: f.staffId }),
    listAssignees: (ctx) => listAssignees(ctx),
  },
  'decisions.review': {
    listPendingApprovals: (ctx) => listPendingApprovals(ctx),
    reviewDecision: (ctx) => reviewDecision(ctx, { decisionId: 999_999, approve: true }),
    withdrawCancel: (ctx) => withdrawCancel(ctx, { decisionId: 999_999, reason: 'The panel never got it.' }),
  },
  'audit.read': {
    listAuditEvents: (ctx) => listAuditEvents(ctx, {}),
    getAuditEvent: (ctx) => getAuditEvent(ctx, 1),
    getChainStatus: (ctx) => getChainStatus(ctx),
    verifyAuditLog: (ctx) => verifyAuditLog(ctx),
  },
  'audit.export': {
    exportAuditEvents: (ctx) => exportAuditEvents(ctx, { format: 'csv', ticket: '1' }),
  },
  'quality.read': {
    getQualityReport: (ctx) => getQualityReport(ctx, {}),
    replayPolicy: (ctx) => replayPolicy(ctx, { reviewWindowDays: '3' }),
  },
  'credits.manage': {
    searchCustomers: (ctx) => searchCustomers(ctx, { q: 'someone' }),
    getCustomerLedger: (ctx) => getCustomerLedger(ctx, { customerId: 1 }),
    listPendingManualCredits: (ctx) => listPendingManualCredits(ctx),
    requestManualCredit: (ctx) =>
      requestManualCredit(ctx, {
        customerId: 999_999,
        amount: '5.00',
        currency: 'USD',
        reasonCode: 'goodwill',
        note: 'For the permission walk.',
        idempotencyKey: randomUUID(),
      }),
    requestReversal: (ctx) =>
      requestReversal(ctx, {
        ledgerEntryId: 999_999,
        reasonCode: 'correction',
        note: 'For the permission walk.',
        idempotencyKey: randomUUID(),
      }),
    reviewManualCredit: (ctx) => reviewManualCredit(ctx, { manualCreditId: 999_999, approve: true }),
  },
  'deliveries.manage': {
    listTroubledDeliveries: (ctx) => listTroubledDeliveries(ctx),
    countTroubledDeliveries: (ctx) => countTroubledDeliveries(ctx),
    retryProviderJob: (ctx) => retryProviderJob(ctx, { jobId: 999_999 }),
  },
  'staff.manage': {
    listStaff: (ctx) => listStaff(ctx),
    setStaffActive: (ctx, f) => setStaffActive(ctx, { userId: f.staffId, isActive: true }),
    setStaffRole: (ctx, f) => setStaffRole(ctx, { userId: f.staffId, role: 'agent' }),
    createStaffAccount: (ctx) => createStaffAccount(ctx, { name: 'Walk', email: `walk-${randomUUID()}@test.example`, role: 'agent' }),
    resetStaffPassword: (ctx, f) => resetStaffPassword(ctx, { userId: f.staffId }),
    unlockStaff: (ctx, f) => unlockStaff(ctx, { userId: f.staffId }),
    issueApiKey: (ctx) => issueApiKey(ctx, { name: 'Permission walk', scopes: [API_KEY_SCOPES[0]] }),
    listApiKeys: (ctx) => listApiKeys(ctx),
    revokeApiKey: (ctx) => revokeApiKey(ctx, { apiKeyId: 999_999 }),
  },
  'policy.manage': {
    listParamSets: (ctx) => listParamSets(ctx),
    getParamSet: (ctx) => getParamSet(ctx, { setId: 1 }),
    proposeParamSet: (ctx) =>
      proposeParamSet(ctx, {
        name: 'Permission walk',
        effectiveAt: new Date(Date.now() + 86_400_000).toISOString(),
        claimWindowDays: 8 + Math.floor(Math.random() * 100),
        minorVariancePercent: 2,
        serialRefundRequests: 5,
        approvalThreshold: '50.00',
      }),
    reviewParamSet: (ctx) => reviewParamSet(ctx, { setId: 999_999, approve: true }),
  },
  'evidence.upload': {
    uploadEvidence: async (ctx, f) =>
      uploadEvidence(ctx, { ticketId: f.ticketId, upload: receivedUpload([{ name: 'proof.png', bytes: await smallPng() }]) }),
  },
  'orders.events.write': {
    recordOrderEvent: (ctx, f) =>
      recordOrderEvent(ctx, { orderNumber: f.orderNumber, kind: 'drop_noticed', at: new Date().toISOString(), data: { current: 10 } }),
  },
  'intake.write': {
    upsertService: (ctx) =>
      upsertService(ctx, {
        id: `walk-${randomUUID()}`,
        name: 'Walk [R30]',
        category: 'Instagram Followers',
        rate: '1.5',
        currency: 'USD',
        refill: true,
        refillDays: 30,
        cancel: false,
      }),
    upsertCustomer: (ctx) => upsertCustomer(ctx, { id: `walk-${randomUUID()}`, username: 'walker', email: 'walker@test.example' }),
    upsertOrder: (ctx) => upsertOrder(ctx, WALK_ORDER),
    upsertOrderBatch: (ctx) => upsertOrderBatch(ctx, { orders: [WALK_ORDER] }),
    recordPayment: (ctx) => recordPayment(ctx, { kind: 'credited', id: `walk-${randomUUID()}`, at: new Date().toISOString() }),
    importTicket: (ctx) => importTicket(ctx, { panelId: `walk-${randomUUID()}`, customer: 'walk-nobody', claim: 'other', message: 'Hi' }),
    addCustomerMessage: (ctx, f) => addCustomerMessage(ctx, { ticket: String(f.ticketId), body: { body: 'Any news?' } }),
  },
  'tickets.sync': {
    getTicketForPanel: (ctx, f) => getTicketForPanel(ctx, String(f.ticketId)),
    listTicketsForPanel: (ctx) => listTicketsForPanel(ctx, { limit: '5' }),
  },
};

describe('the permission table', () => {
  it('names only known roles and scopes, and every permission has core functions under test', () => {
    for (const [permission, rule] of Object.entries(PERMISSIONS)) {
      for (const role of rule.roles) expect(STAFF_ROLES, permission).toContain(role);
      for (const scope of rule.scopes) expect(API_KEY_SCOPES, permission).toContain(scope);
      expect(Object.keys(CORE_FUNCTIONS[permission as Permission] ?? {}).length, permission).toBeGreaterThan(0);
    }
  });

  it('is what the design says: agents work tickets, supervisors also review and read the audit log, admins also credit and manage staff', () => {
    const holders = Object.fromEntries(Object.entries(PERMISSIONS).map(([p, rule]) => [p, [...rule.roles, ...rule.scopes]]));
    expect(holders).toEqual({
      'tickets.read': ['agent', 'supervisor', 'admin'],
      'tickets.work': ['agent', 'supervisor', 'admin'],
      'tickets.take_over': ['agent', 'supervisor', 'admin'],
      'tickets.assign': ['supervisor', 'admin'],
      'decisions.review': ['supervisor', 'admin'],
      'audit.read': ['supervisor', 'admin'],
      'audit.export': ['supervisor', 'admin'],
      'quality.read': ['supervisor', 'admin'],
      'credits.manage': ['admin'],
      'deliveries.manage': ['admin'],
      'staff.manage': ['admin'],
      'policy.manage': ['admin'],
      'evidence.upload': ['agent', 'supervisor', 'admin', 'evidence:write'],
      'orders.events.write': ['order-events'],
      'intake.write': ['intake:write'],
      'tickets.sync': ['tickets:read'],
    });
  });

  it('is enforced by every core function for every role and scope', async () => {
    const { ticket, order } = await createOrderTicket(handle.db);
    const target = await createStaff(handle.db, { role: 'agent' });
    const fixture = { ticketId: ticket.id, orderNumber: order.externalId, staffId: target.id };
    const callers: { who: string; ctx: Ctx; holds: (p: Permission) => boolean }[] = [];
    for (const role of STAFF_ROLES) {
      const user = await createStaff(handle.db, { role });
      callers.push({ who: role, ctx: ctxFor(user), holds: (p) => (PERMISSIONS[p].roles as readonly StaffRole[]).includes(role) });
    }
    for (const scope of API_KEY_SCOPES) {
      const key = await createApiKey(handle.db, { name: `walk-${scope}`, scopes: [scope] });
      const permission = (Object.keys(PERMISSIONS) as Permission[]).find((p) =>
        (PERMISSIONS[p].scopes as readonly string[]).includes(scope),
      )!;
      const ctx = await authenticateApiKey(handle.db, `Bearer ${key.plaintext}`, permission);
      callers.push({ who: `api key [${scope}]`, ctx, holds: (p) => (PERMISSIONS[p].scopes as readonly string[]).includes(scope) });
    }

    const wrong: string[] = [];
    for (const [permission, calls] of Object.entries(CORE_FUNCTIONS) as [Permission, Record<string, Call>][]) {
      for (const [name, call] of Object.entries(calls)) {
        for (const caller of callers) {
          const code = await outcome(call(caller.ctx, fixture));
          const refused = code === 'forbidden' || code === 'unauthenticated';
          if (caller.holds(permission) === refused) wrong.push(`${caller.who} ${name} (${permission}): ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets the system act but never as a person', async () => {
    const { order } = await createOrderTicket(handle.db);
    const ctx = systemCtx('permission-walk');
    expect(
      await outcome(
        CORE_FUNCTIONS['orders.events.write'].recordOrderEvent!(ctx, { ticketId: 0, orderNumber: order.externalId, staffId: 0 }),
      ),
    ).toBe('ok');
    expect(await outcome(authorizeStaff(handle.db, ctx, 'tickets.read'))).toBe('forbidden');
  });
});

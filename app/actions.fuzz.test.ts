/**
 * Fuzzing every server action (each `'use server'` file's exports) with the inputs of the route
 * fuzzing: NUL, lone surrogates, 20,000-deep nesting, megabytes of text, wrong types, a valid
 * input with one field changed. Every action is `runAction(input, coreFunction)` (lib/actions.ts);
 * here they are called as Next calls them, with this app's Origin and a session. None ends in an
 * unexpected error (`code: 'internal'`, which a client sees as "something went wrong"), and a
 * refused one leaves every table of the database as it was.
 *
 * What Next provides around an action is stood in for: the request's headers (`next/headers`), the
 * session (`getCtx`, which reads NextAuth's cookie) and `revalidatePath` (Next's page cache).
 */
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { ledgerEntries, providerJobs, staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import type { Ctx } from '@/lib/auth/actor';
import { proposeDecision } from '@/lib/decisions';
import { creditTicket, newKey } from '@/lib/decisions/test-helpers';
import { anyValue, appTables, fingerprint, mutated, weirdText, type Body } from '@/lib/intake/test-fuzz';
import { createStaff, ctxFor, TEST_PASSWORD } from '@/lib/staff/test-factories';

const next = vi.hoisted(() => ({ ctx: null as Ctx | null, origin: 'http://localhost:3000' as string | null }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(next.origin ? { origin: next.origin } : {}) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));
vi.mock('@/lib/auth/session', () => ({ getCtx: async () => next.ctx }));

const policy = await import('./(desk)/admin/policy/actions');
const staff = await import('./(desk)/admin/staff/actions');
const apiKeys = await import('./(desk)/admin/api-keys/actions');
const deliveries = await import('./(desk)/deliveries/actions');
const approvals = await import('./(desk)/approvals/actions');
const queue = await import('./(desk)/tickets/actions');
const ticket = await import('./(desk)/tickets/[ticketId]/actions');
const credits = await import('./(desk)/credits/actions');
const password = await import('./(auth)/password/actions');

const handle = setupTestDb();
const RUNS = Number(process.env.ACTION_FUZZ_RUNS ?? 60);

type Action = (input: never) => Promise<{ ok: boolean; code?: string; message?: string }>;

/** An object nested `depth` levels deep, built without recursion. */
function deep(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Any input an action might be sent: a valid one changed, any JSON, broken text, deep, huge. */
const inputFrom = (...goods: Body[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...goods.map((good) => mutated(() => structuredClone(good)))) },
    { weight: 2, arbitrary: anyValue },
    { weight: 1, arbitrary: weirdText.map((text) => ({ ...goods[0], [Object.keys(goods[0]!)[0] ?? 'x']: text })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        undefined,
        null,
        [],
        deep(20_000),
        { ...goods[0], nested: deep(100) },
        { ...goods[0], huge: 'x'.repeat(2 * 1024 * 1024) },
        { '\u0000': 1 },
        { '\ud800': 1 },
      ),
    },
    { weight: 1, arbitrary: fc.constant(null).map(() => structuredClone(goods[0])) },
  );

describe('fuzzing the server actions', () => {
  it('none ends in an unexpected error, and a refused one writes nothing', { timeout: 600_000 }, async () => {
    const tables = await appTables(handle.db);
    const snapshot = () => fingerprint(handle.db, tables);
    const admin = await createStaff(handle.db, { role: 'admin' });
    await createStaff(handle.db, { role: 'admin' }); // so the acting admin is never the last one
    const victim = await createStaff(handle.db);
    const own = await createStaff(handle.db); // changes their own password
    const made = await Promise.all([1, 2].map(() => creditTicket(handle.db)));
    const ticketId = made[0]!.ticket.id;
    const customerId = made[0]!.customer.id;
    // Decisions waiting for a supervisor, and an executed one with its delivery job, for the review and retry actions.
    const agent = await createStaff(handle.db);
    const pending: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { ticket: big } = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
      const { decision } = await proposeDecision(ctxFor(agent), { ticketId: big.id, outcome: 'balance_credit', idempotencyKey: newKey() });
      expect(decision.state).toBe('awaiting_approval');
      pending.push(decision.id);
    }
    const [job] = await handle.db.select({ id: providerJobs.id }).from(providerJobs).limit(1);
    const [ledger] = await handle.db.select({ id: ledgerEntries.id }).from(ledgerEntries).limit(1);

    /** The acting admin as they were: every run starts from a valid session. */
    const resetActors = async () => {
      const old = new Date(Date.now() - 3_600_000);
      await handle.db
        .update(staffUsers)
        .set({ isActive: true, role: 'admin', mustChangePassword: false, sessionsValidAfter: old })
        .where(eq(staffUsers.id, admin.id));
      await handle.db
        .update(staffUsers)
        .set({ isActive: true, mustChangePassword: false, sessionsValidAfter: old })
        .where(eq(staffUsers.id, own.id));
    };

    const key = () => `fuzz-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const targets: { name: string; action: Action; input: fc.Arbitrary<unknown>; as?: number }[] = [
      {
        name: 'proposeParamSet',
        action: policy.proposeParamSetAction,
        input: inputFrom({
          name: 'Fuzzed set',
          claimWindowDays: 30,
          minorVariancePercent: 10,
          serialRefundRequests: 3,
          approvalThreshold: '50.00',
          effectiveAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      },
      { name: 'reviewParamSet', action: policy.reviewParamSetAction, input: inputFrom({ setId: 2, approve: false, reason: 'Not now' }) },
      { name: 'setStaffActive', action: staff.setStaffActiveAction, input: inputFrom({ userId: victim.id, isActive: false }) },
      { name: 'setStaffRole', action: staff.setStaffRoleAction, input: inputFrom({ userId: victim.id, role: 'supervisor' }) },
      {
        name: 'createStaff',
        action: staff.createStaffAction,
        input: inputFrom({ name: 'New Person', email: 'new@test.example', role: 'agent' }),
      },
      { name: 'resetStaffPassword', action: staff.resetStaffPasswordAction, input: inputFrom({ userId: victim.id }) },
      { name: 'unlockStaff', action: staff.unlockStaffAction, input: inputFrom({ userId: victim.id }) },
      { name: 'createApiKey', action: apiKeys.createApiKeyAction, input: inputFrom({ name: 'Fuzz key', scopes: ['order-events'] }) },
      { name: 'revokeApiKey', action: apiKeys.revokeApiKeyAction, input: inputFrom({ apiKeyId: 1 }) },
      { name: 'retryProviderJob', action: deliveries.retryProviderJobAction, input: inputFrom({ jobId: job?.id ?? 1 }) },
      { name: 'approveDecision', action: approvals.approveDecisionAction, input: inputFrom({ decisionId: pending[0]! }) },
      {
        name: 'rejectDecision',
        action: approvals.rejectDecisionAction,
        input: inputFrom({ decisionId: pending[1]!, reason: 'Not enough evidence.' }),
      },
      { name: 'claimTicket', action: queue.claimTicketAction, input: inputFrom({ ticketId }) },
      { name: 'assignTicket', action: queue.assignTicketAction, input: inputFrom({ ticketId, assigneeId: victim.id }) },
      { name: 'takeOverTicket', action: queue.takeOverTicketAction, input: inputFrom({ ticketId }) },
      { name: 'claimNextTicket', action: queue.claimNextTicketAction as Action, input: inputFrom({}) },
      {
        name: 'saveFindings',
        action: ticket.saveFindingsAction,
        input: inputFrom({
          ticketId,
          findings: {
            linkValid: true,
            targetPublic: true,
            targetUnchanged: true,
            duplicateOrderSameTarget: false,
            otherProvidersUsed: false,
            platformAction: false,
            companyFault: true,
          },
          basedOn: null,
        }),
      },
      {
        name: 'addTicketMessage',
        action: ticket.addTicketMessageAction,
        input: inputFrom({ ticketId, body: 'Looking into it.', isInternal: true }),
      },
      {
        name: 'proposeDecision',
        action: ticket.proposeDecisionAction,
        input: inputFrom({ ticketId: made[1]!.ticket.id, outcome: 'balance_credit', idempotencyKey: key() }),
      },
      {
        name: 'withdrawCancel',
        action: ticket.withdrawCancelAction,
        input: inputFrom({ decisionId: 1, reason: 'The panel never got it.' }),
      },
      {
        name: 'requestManualCredit',
        action: credits.requestManualCreditAction,
        input: inputFrom({ customerId, amount: '1.00', currency: 'USD', reasonCode: 'goodwill', note: 'Fuzz', idempotencyKey: key() }),
      },
      {
        name: 'requestReversal',
        action: credits.requestReversalAction,
        input: inputFrom({ ledgerEntryId: ledger?.id ?? 1, reasonCode: 'correction', note: 'Fuzz', idempotencyKey: key() }),
      },
      {
        name: 'reviewManualCredit',
        action: credits.reviewManualCreditAction,
        input: inputFrom({ manualCreditId: 1, approve: false, reason: 'Not this one.' }),
      },
      {
        name: 'changePassword',
        action: password.changePasswordAction,
        input: inputFrom({
          currentPassword: TEST_PASSWORD,
          newPassword: 'another long passphrase here',
          confirmPassword: 'another long passphrase here',
        }),
        as: own.id,
      },
    ];

    const outcomes: Record<string, { ok: number; refused: number }> = {};
    for (const target of targets) {
      const seen = (outcomes[target.name] = { ok: 0, refused: 0 });
      await resetActors();
      let current = await snapshot();
      await fc.assert(
        fc.asyncProperty(target.input, async (input) => {
          next.ctx = ctxFor({ id: target.as ?? admin.id });
          const result = await target.action(input as never);
          const said = `${target.name}: ${result.code} ${result.message?.slice(0, 300)}`;
          expect(result.code, said).not.toBe('internal');
          if (!result.ok) {
            expect(typeof result.message, said).toBe('string');
            expect(await snapshot(), said).toBe(current);
            seen.refused += 1;
          } else seen.ok += 1;
          await resetActors();
          current = await snapshot();
        }),
        { numRuns: RUNS },
      );
    }
    console.info('server actions (ok / refused):', JSON.stringify(outcomes));

    // Without this app's Origin, or without a session, every action is refused as such and writes nothing.
    const before = await snapshot();
    for (const [origin, ctx, code] of [
      [null, ctxFor(admin), 'forbidden'],
      ['https://evil.example', ctxFor(admin), 'forbidden'],
      ['http://localhost:3000', null, 'unauthenticated'],
    ] as const) {
      next.origin = origin;
      next.ctx = ctx;
      for (const target of targets) {
        const result = await target.action(fc.sample(target.input, { numRuns: 1, seed: 1 })[0] as never);
        expect(result, `${target.name} ${origin} ${ctx ? 'session' : 'none'}`).toMatchObject({ ok: false, code });
      }
    }
    next.origin = 'http://localhost:3000';
    expect(await snapshot()).toBe(before);
  });
});

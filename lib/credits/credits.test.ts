import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, ledgerEntries, manualCredits } from '@/db/schema';
import { isPostgres, setupTestDb } from '@/db/testing';
import { customerBalances } from '@/lib/ledger';
import { createCustomer, createLedgerEntry } from '@/lib/tickets/test-factories';
import {
  getCustomerLedger,
  IDEMPOTENCY_CONFLICT,
  listPendingManualCredits,
  requestManualCredit,
  requestReversal,
  reviewManualCredit,
  searchCustomers,
  type ManualCreditResult,
} from './index';

const handle = setupTestDb();
let admin: Awaited<ReturnType<typeof createStaff>>;
let admin2: Awaited<ReturnType<typeof createStaff>>;

beforeAll(async () => {
  // One admin issues every credit of this file: their rolling total is tested on its own below.
  process.env.MANUAL_CREDIT_PER_ADMIN_LIMIT = '100000.00';
  admin = await createStaff(handle.db, { role: 'admin', name: 'First Admin' });
  admin2 = await createStaff(handle.db, { role: 'admin', name: 'Second Admin' });
});
afterAll(() => {
  delete process.env.MANUAL_CREDIT_PER_ADMIN_LIMIT;
});

const key = () => randomUUID();
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

const credit = (customerId: number, amount: string, overrides: Record<string, unknown> = {}) => ({
  customerId,
  amount,
  currency: 'USD',
  reasonCode: 'goodwill',
  note: 'Sorry for the slow delivery last week.',
  idempotencyKey: key(),
  ...overrides,
});

const ledgerOf = (customerId: number) =>
  handle.db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, customerId)).orderBy(asc(ledgerEntries.id));
const requestsOf = (customerId: number) =>
  handle.db.select().from(manualCredits).where(eq(manualCredits.customerId, customerId)).orderBy(asc(manualCredits.id));
const auditOf = (manualCreditId: number) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'manual_credit'), eq(auditEvents.entityId, String(manualCreditId))))
    .orderBy(asc(auditEvents.id));
const auditCount = async () => (await handle.db.select({ n: count() }).from(auditEvents))[0]!.n;
const balanceOf = async (customerId: number, currency = 'USD') =>
  (await customerBalances(handle.db, customerId)).find((b) => b.currency === currency)?.balance ?? '0.00';

/** A request above the threshold by `admin`, approved by `admin2`. */
async function approvedCredit(customerId: number, amount: string) {
  const waiting = await requestManualCredit(ctxFor(admin), credit(customerId, amount));
  return reviewManualCredit(ctxFor(admin2), { manualCreditId: waiting.id, approve: true });
}

describe('requestManualCredit', () => {
  it('executes a credit at the threshold (50.00) at once: one ledger row, requested and executed in the audit log', async () => {
    const customer = await createCustomer(handle.db);
    const result = await requestManualCredit(ctxFor(admin), credit(customer.id, '50'));
    expect(result).toMatchObject({
      customerId: customer.id,
      amount: '50.00',
      currency: 'USD',
      state: 'executed',
      isReversal: false,
      requestedBy: admin.id,
      approvedBy: null,
    });
    expect(result.decidedAt).toBeInstanceOf(Date);

    const ledger = await ledgerOf(customer.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      id: result.ledgerEntryId,
      amount: '50.00',
      currency: 'USD',
      kind: 'manual_credit',
      manualCreditId: result.id,
      reversesId: null,
      reasonCode: 'goodwill',
      note: 'Sorry for the slow delivery last week.',
      idempotencyKey: `manual-credit:${result.id}`,
      createdBy: admin.id,
    });
    const events = await auditOf(result.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['credit.requested', admin.id],
      ['credit.executed', admin.id],
    ]);
    expect(events[0]!.after).toMatchObject({ amount: '50.00', needsSecondAdmin: false, state: 'executed' });
    expect(events[1]!.after).toMatchObject({ ledgerEntryId: result.ledgerEntryId, amount: '50.00', balance: '50.00' });
    expect(await balanceOf(customer.id)).toBe('50.00');
  });

  it('keeps 50.01 waiting for a second admin, with nothing in the ledger', async () => {
    const customer = await createCustomer(handle.db);
    const result = await requestManualCredit(ctxFor(admin), credit(customer.id, '50.01'));
    expect(result).toMatchObject({ state: 'awaiting_approval', amount: '50.01', ledgerEntryId: null, decidedAt: null });
    expect(await ledgerOf(customer.id)).toEqual([]);
    expect((await auditOf(result.id)).map((e) => e.action)).toEqual(['credit.requested']);

    const mine = (await listPendingManualCredits(ctxFor(admin))).find((r) => r.id === result.id);
    expect(mine).toMatchObject({
      amount: '50.01',
      canApprove: false,
      balance: '0.00',
      balanceAfter: '50.01',
      requestedBy: { id: admin.id, name: 'First Admin' },
    });
    const theirs = (await listPendingManualCredits(ctxFor(admin2))).find((r) => r.id === result.id);
    expect(theirs).toMatchObject({ canApprove: true, customer: { id: customer.id, username: customer.username } });
  });

  it('refuses bad amounts, naming the amount, and stores nothing', async () => {
    const customer = await createCustomer(handle.db);
    const before = await auditCount();
    for (const amount of ['1.234', '-5', 'abc', '0', '0.00', '', '10000.01', '1e3', '12,50', ' ', '99999999999999999999']) {
      const error = await failure(requestManualCredit(ctxFor(admin), credit(customer.id, amount)));
      expect(error, `amount ${JSON.stringify(amount)}`).toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(/^amount: [A-Z].+\.$/),
        fieldErrors: { amount: [expect.any(String)] },
      });
    }
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, 12.5 as never)))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^amount: /),
    });
    expect(await requestsOf(customer.id)).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('says what is wrong with each amount', async () => {
    const customer = await createCustomer(handle.db);
    const messageFor = async (amount: string) =>
      ((await failure(requestManualCredit(ctxFor(admin), credit(customer.id, amount)))) as Error).message;
    expect(await messageFor('1.234')).toBe('amount: Use at most two decimal places (cents), such as 10.50.');
    expect(await messageFor('-5')).toBe('amount: The amount must be positive; to take money back, reverse the credit instead.');
    expect(await messageFor('abc')).toMatch(/^amount: Write the amount as a number/);
    expect(await messageFor('0')).toBe('amount: The amount must be more than 0.00.');
    expect(await messageFor('10000.01')).toBe('amount: The amount can be at most 10,000.00 per credit.');
  });

  it('takes exactly 10,000.00 and 0.01 (which wait and execute)', async () => {
    const customer = await createCustomer(handle.db);
    await expect(requestManualCredit(ctxFor(admin), credit(customer.id, '10000.00'))).resolves.toMatchObject({
      state: 'awaiting_approval',
      amount: '10000.00',
    });
    await expect(requestManualCredit(ctxFor(admin), credit(customer.id, '0.01'))).resolves.toMatchObject({
      state: 'executed',
      amount: '0.01',
    });
  });

  it('refuses a missing or short note, an unknown reason and a missing key, naming the field', async () => {
    const customer = await createCustomer(handle.db);
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { note: '  abc  ' })))).toMatchObject({
      code: 'invalid',
      message: 'note: Write a note of at least 5 characters saying why.',
    });
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { note: 'x'.repeat(501) })))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^note: /),
    });
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { reasonCode: 'bribe' })))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^reasonCode: Choose a reason/),
    });
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { idempotencyKey: undefined })))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^idempotencyKey: /),
    });
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { extra: 1 })))).toMatchObject({ code: 'invalid' });
    expect(await requestsOf(customer.id)).toEqual([]);
  });

  it('credits in USD or a currency of the customer’s ledger, nothing else', async () => {
    const customer = await createCustomer(handle.db);
    const error = await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { currency: 'EUR' })));
    expect(error).toMatchObject({
      code: 'invalid',
      message: 'currency: Credit this customer in USD: EUR is not a currency of their balance.',
      fieldErrors: { currency: [expect.any(String)] },
    });
    await createLedgerEntry(handle.db, customer.id, admin.id, '3.00', 'EUR');
    await expect(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { currency: 'eur' }))).resolves.toMatchObject({
      currency: 'EUR',
      state: 'executed',
    });
    expect(await balanceOf(customer.id, 'EUR')).toBe('8.00');
    expect(await failure(requestManualCredit(ctxFor(admin), credit(customer.id, '5', { currency: 'US' })))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^currency: /),
    });
  });

  it('refuses an unknown customer', async () => {
    expect(await failure(requestManualCredit(ctxFor(admin), credit(987_654_321, '5')))).toMatchObject({
      code: 'not_found',
      message: 'There is no customer with id 987654321.',
    });
  });
});

describe('idempotency', () => {
  it('replays the same request with the same key: the first result, nothing written', async () => {
    const customer = await createCustomer(handle.db);
    const input = credit(customer.id, '12.5');
    const first = await requestManualCredit(ctxFor(admin), input);
    const audits = await auditCount();
    const again = await requestManualCredit(ctxFor(admin), { ...input, amount: '12.50', note: ` ${input.note} ` });
    expect(again).toEqual(first);
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect(await requestsOf(customer.id)).toHaveLength(1);
    expect(await auditCount()).toBe(audits);
  });

  it('replays a waiting request as it now stands', async () => {
    const customer = await createCustomer(handle.db);
    const input = credit(customer.id, '75.00');
    const first = await requestManualCredit(ctxFor(admin), input);
    expect(await requestManualCredit(ctxFor(admin), input)).toEqual(first);
    await reviewManualCredit(ctxFor(admin2), { manualCreditId: first.id, approve: true });
    expect(await requestManualCredit(ctxFor(admin), input)).toMatchObject({ id: first.id, state: 'executed', approvedBy: admin2.id });
    expect(await ledgerOf(customer.id)).toHaveLength(1);
  });

  it('refuses the same key for a different request', async () => {
    const customer = await createCustomer(handle.db);
    const input = credit(customer.id, '10.00');
    await requestManualCredit(ctxFor(admin), input);
    const audits = await auditCount();
    for (const changed of [{ amount: '10.01' }, { note: 'Another note entirely' }, { reasonCode: 'promotion' }]) {
      expect(await failure(requestManualCredit(ctxFor(admin), { ...input, ...changed }))).toMatchObject({
        code: 'conflict',
        message: IDEMPOTENCY_CONFLICT,
      });
    }
    // Another admin sending the same key is not the same request either.
    expect(await failure(requestManualCredit(ctxFor(admin2), input))).toMatchObject({ code: 'conflict', message: IDEMPOTENCY_CONFLICT });
    // Nor is a reversal with a credit's key.
    const [entry] = await ledgerOf(customer.id);
    expect(
      await failure(
        requestReversal(ctxFor(admin), {
          ledgerEntryId: entry!.id,
          reasonCode: 'correction',
          note: 'Issued by mistake',
          idempotencyKey: input.idempotencyKey,
        }),
      ),
    ).toMatchObject({
      code: 'conflict',
      message: IDEMPOTENCY_CONFLICT,
    });
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect(await auditCount()).toBe(audits);
  });

  it('replays a reversal with its key', async () => {
    const customer = await createCustomer(handle.db);
    const original = await requestManualCredit(ctxFor(admin), credit(customer.id, '20.00'));
    const input = { ledgerEntryId: original.ledgerEntryId!, reasonCode: 'correction', note: 'Issued by mistake', idempotencyKey: key() };
    const first = await requestReversal(ctxFor(admin), input);
    expect(await requestReversal(ctxFor(admin), input)).toEqual(first);
    expect(await ledgerOf(customer.id)).toHaveLength(2);
  });
});

describe('reviewManualCredit', () => {
  it('does not let the requester approve their own request', async () => {
    const customer = await createCustomer(handle.db);
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '60.00'));
    expect(await failure(reviewManualCredit(ctxFor(admin), { manualCreditId: waiting.id, approve: true }))).toMatchObject({
      code: 'forbidden',
      message: 'You requested this credit yourself; another admin has to approve it.',
    });
    expect((await requestsOf(customer.id))[0]).toMatchObject({ state: 'awaiting_approval', approvedBy: null });
    expect(await ledgerOf(customer.id)).toEqual([]);
  });

  it('executes on another admin’s approval: the ledger entry is the requester’s, the approval is recorded', async () => {
    const customer = await createCustomer(handle.db);
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '60.00', { reasonCode: 'compensation' }));
    const approved = await reviewManualCredit(ctxFor(admin2), {
      manualCreditId: String(waiting.id),
      approve: 'true',
      reason: 'Checked the incident log.',
    });
    expect(approved).toMatchObject({
      id: waiting.id,
      state: 'executed',
      approvedBy: admin2.id,
      reviewReason: 'Checked the incident log.',
      ledgerEntryId: expect.any(Number),
    });
    const ledger = await ledgerOf(customer.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      amount: '60.00',
      kind: 'manual_credit',
      createdBy: admin.id,
      reasonCode: 'compensation',
      idempotencyKey: `manual-credit:${waiting.id}`,
    });
    const events = await auditOf(waiting.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['credit.requested', admin.id],
      ['credit.approved', admin2.id],
      ['credit.executed', admin2.id],
    ]);
    expect(events[1]).toMatchObject({
      reason: 'Checked the incident log.',
      before: { state: 'awaiting_approval' },
      after: { state: 'executed', reviewedBy: admin2.id },
    });
    expect(events[2]!.after).toMatchObject({ requestedBy: admin.id, approvedBy: admin2.id, balance: '60.00' });

    expect(await failure(reviewManualCredit(ctxFor(admin2), { manualCreditId: waiting.id, approve: true }))).toMatchObject({
      code: 'conflict',
      message: `Request #${waiting.id} has already been approved and executed; nothing was changed.`,
    });
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect((await listPendingManualCredits(ctxFor(admin2))).map((r) => r.id)).not.toContain(waiting.id);
  });

  it('rejects with a reason of at least 5 characters, writing no ledger entry', async () => {
    const customer = await createCustomer(handle.db);
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '80.00'));
    for (const reason of [undefined, '', 'no'])
      expect(await failure(reviewManualCredit(ctxFor(admin2), { manualCreditId: waiting.id, approve: false, reason }))).toMatchObject({
        code: 'invalid',
        message: 'reason: Write a reason of at least 5 characters for rejecting.',
        fieldErrors: { reason: [expect.any(String)] },
      });
    const rejected = await reviewManualCredit(ctxFor(admin2), {
      manualCreditId: waiting.id,
      approve: false,
      reason: '  Not in line with the promotion rules.  ',
    });
    expect(rejected).toMatchObject({
      state: 'rejected',
      approvedBy: admin2.id,
      reviewReason: 'Not in line with the promotion rules.',
      ledgerEntryId: null,
    });
    expect(await ledgerOf(customer.id)).toEqual([]);
    const events = await auditOf(waiting.id);
    expect(events.map((e) => e.action)).toEqual(['credit.requested', 'credit.rejected']);
    expect(events[1]).toMatchObject({
      actorId: admin2.id,
      reason: 'Not in line with the promotion rules.',
      after: { state: 'rejected', isWithdrawn: false },
    });
    expect(await failure(reviewManualCredit(ctxFor(admin2), { manualCreditId: waiting.id, approve: true }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already been rejected/),
    });
  });

  it('lets the requester withdraw (reject) their own request', async () => {
    const customer = await createCustomer(handle.db);
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '51.00'));
    await expect(
      reviewManualCredit(ctxFor(admin), { manualCreditId: waiting.id, approve: false, reason: 'Wrong customer, withdrawn.' }),
    ).resolves.toMatchObject({ state: 'rejected' });
    expect((await auditOf(waiting.id))[1]!.after).toMatchObject({ isWithdrawn: true });
  });

  it('refuses an unknown request', async () => {
    expect(await failure(reviewManualCredit(ctxFor(admin2), { manualCreditId: 987_654_321, approve: true }))).toMatchObject({
      code: 'not_found',
    });
  });
});

describe('requestReversal', () => {
  it('takes back the original amount once: negative entry, balance = ledger sum, a second reversal is a conflict', async () => {
    const customer = await createCustomer(handle.db);
    await createLedgerEntry(handle.db, customer.id, admin.id, '7.25');
    const original = await requestManualCredit(ctxFor(admin), credit(customer.id, '30.00'));
    expect(await balanceOf(customer.id)).toBe('37.25');

    const reversal = await requestReversal(ctxFor(admin2), {
      ledgerEntryId: original.ledgerEntryId!,
      reasonCode: 'correction',
      note: 'Credited the wrong account.',
      idempotencyKey: key(),
    });
    expect(reversal).toMatchObject({
      state: 'executed',
      isReversal: true,
      amount: '30.00',
      currency: 'USD',
      reversesLedgerId: original.ledgerEntryId,
      requestedBy: admin2.id,
    });
    const ledger = await ledgerOf(customer.id);
    expect(ledger).toHaveLength(3);
    expect(ledger[2]).toMatchObject({
      id: reversal.ledgerEntryId,
      amount: '-30.00',
      kind: 'reversal',
      reversesId: original.ledgerEntryId,
      manualCreditId: reversal.id,
      reasonCode: 'correction',
      createdBy: admin2.id,
    });
    expect(await balanceOf(customer.id)).toBe('7.25');
    expect((await auditOf(reversal.id)).map((e) => e.action)).toEqual(['credit.requested', 'credit.executed']);

    const audits = await auditCount();
    expect(
      await failure(
        requestReversal(ctxFor(admin), {
          ledgerEntryId: original.ledgerEntryId!,
          reasonCode: 'correction',
          note: 'Once more, by mistake.',
          idempotencyKey: key(),
        }),
      ),
    ).toMatchObject({
      code: 'conflict',
      message: `Ledger entry #${original.ledgerEntryId} has already been reversed; an entry can be reversed only once.`,
    });
    expect(
      await failure(
        requestReversal(ctxFor(admin), {
          ledgerEntryId: reversal.ledgerEntryId!,
          reasonCode: 'correction',
          note: 'Reverse the reversal',
          idempotencyKey: key(),
        }),
      ),
    ).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/only credits can be reversed/),
    });
    expect(await ledgerOf(customer.id)).toHaveLength(3);
    expect(await auditCount()).toBe(audits);
  });

  it('waits for a second admin above the threshold, and only one reversal of an entry may wait', async () => {
    const customer = await createCustomer(handle.db);
    const original = await approvedCredit(customer.id, '120.00');
    const waiting = await requestReversal(ctxFor(admin), {
      ledgerEntryId: original.ledgerEntryId!,
      reasonCode: 'correction',
      note: 'Duplicate of another credit.',
      idempotencyKey: key(),
    });
    expect(waiting).toMatchObject({ state: 'awaiting_approval', isReversal: true, amount: '120.00', ledgerEntryId: null });
    expect(
      await failure(
        requestReversal(ctxFor(admin2), {
          ledgerEntryId: original.ledgerEntryId!,
          reasonCode: 'correction',
          note: 'Duplicate of another credit.',
          idempotencyKey: key(),
        }),
      ),
    ).toMatchObject({
      code: 'conflict',
      message: `A reversal of ledger entry #${original.ledgerEntryId} is already waiting for a second admin (request #${waiting.id}).`,
    });

    const view = await getCustomerLedger(ctxFor(admin2), { customerId: customer.id });
    expect(view.entries.find((e) => e.id === original.ledgerEntryId)).toMatchObject({
      canReverse: false,
      pendingReversalId: waiting.id,
      balanceAfterReversal: null,
    });
    expect(view.pending).toMatchObject([{ id: waiting.id, isReversal: true, balance: '120.00', balanceAfter: '0.00', canApprove: true }]);

    await reviewManualCredit(ctxFor(admin2), { manualCreditId: waiting.id, approve: true });
    expect(await balanceOf(customer.id)).toBe('0.00');
    expect((await ledgerOf(customer.id)).map((e) => [e.kind, e.amount])).toEqual([
      ['manual_credit', '120.00'],
      ['reversal', '-120.00'],
    ]);
  });

  it('refuses an unknown ledger entry', async () => {
    expect(
      await failure(
        requestReversal(ctxFor(admin), {
          ledgerEntryId: 987_654_321,
          reasonCode: 'correction',
          note: 'Issued by mistake',
          idempotencyKey: key(),
        }),
      ),
    ).toMatchObject({
      code: 'not_found',
      message: 'There is no ledger entry #987654321.',
    });
  });
});

describe('getCustomerLedger and searchCustomers', () => {
  it('shows balances per currency and the ledger newest first, with who, why and what can be reversed', async () => {
    const customer = await createCustomer(handle.db);
    await createLedgerEntry(handle.db, customer.id, admin.id, '4.00', 'EUR');
    const small = await requestManualCredit(ctxFor(admin), credit(customer.id, '10.00'));
    const big = await approvedCredit(customer.id, '55.55');
    const reversal = await requestReversal(ctxFor(admin), {
      ledgerEntryId: small.ledgerEntryId!,
      reasonCode: 'correction',
      note: 'Issued by mistake',
      idempotencyKey: key(),
    });

    const view = await getCustomerLedger(ctxFor(admin), { customerId: String(customer.id) });
    expect(view.customer).toMatchObject({ id: customer.id, username: customer.username, externalId: customer.externalId });
    expect(view.balances).toEqual([
      { currency: 'EUR', balance: '4.00' },
      { currency: 'USD', balance: '55.55' },
    ]);
    expect(view.currencies).toEqual(['EUR', 'USD']);
    expect(view.approvalThreshold).toBe('50.00');
    expect(view.entries.map((e) => e.id)).toEqual([reversal.ledgerEntryId, big.ledgerEntryId, small.ledgerEntryId, expect.any(Number)]);
    const [rev, bigRow, smallRow, eur] = view.entries;
    expect(rev).toMatchObject({
      kind: 'reversal',
      amount: '-10.00',
      reversesId: small.ledgerEntryId,
      canReverse: false,
      createdBy: { id: admin.id, name: 'First Admin' },
    });
    expect(bigRow).toMatchObject({
      kind: 'manual_credit',
      amount: '55.55',
      approvedBy: { id: admin2.id, name: 'Second Admin' },
      canReverse: true,
      balanceAfterReversal: '0.00',
      note: 'Sorry for the slow delivery last week.',
    });
    expect(smallRow).toMatchObject({ canReverse: false, reversedBy: { id: reversal.ledgerEntryId }, balanceAfterReversal: null });
    expect(eur).toMatchObject({ currency: 'EUR', canReverse: true, balanceAfterReversal: '0.00' });
    expect(view.hasMore).toBe(false);
  });

  it('refuses an unknown customer or a malformed id', async () => {
    expect(await failure(getCustomerLedger(ctxFor(admin), { customerId: 987_654_321 }))).toMatchObject({ code: 'not_found' });
    expect(await failure(getCustomerLedger(ctxFor(admin), { customerId: 'abc' }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^customerId: /),
    });
  });

  it('finds customers by part of the username or email, or by panel id', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await createCustomer(handle.db, {
      username: `zed_${tag}`,
      email: `zed_${tag}@mail.example`,
      externalId: `9${tag.replace(/\D/g, '1')}`,
    });
    const b = await createCustomer(handle.db, { username: `amy${tag}`, email: `amy_${tag}@other.example` });
    expect((await searchCustomers(ctxFor(admin), { q: tag })).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect((await searchCustomers(ctxFor(admin), { q: `ZED_${tag.toUpperCase()}` })).map((c) => c.id)).toEqual([a.id]);
    expect((await searchCustomers(ctxFor(admin), { q: `@other.example` })).map((c) => c.id)).toContain(b.id);
    expect((await searchCustomers(ctxFor(admin), { q: a.externalId })).map((c) => c.id)[0]).toBe(a.id);
    // An exact match comes first.
    expect((await searchCustomers(ctxFor(admin), { q: `amy${tag}` })).map((c) => c.id)[0]).toBe(b.id);
    // LIKE wildcards are searched for literally.
    expect(await searchCustomers(ctxFor(admin), { q: `zed%${tag}` })).toEqual([]);
    expect(await searchCustomers(ctxFor(admin), { q: '  ' })).toEqual([]);
    expect(await searchCustomers(ctxFor(admin), {})).toEqual([]);
    expect(await failure(searchCustomers(ctxFor(admin), { q: 'x'.repeat(101) }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^q: /),
    });
  });
});

describe('roles', () => {
  it('refuses agents and supervisors in every function, changing nothing', async () => {
    const customer = await createCustomer(handle.db);
    const original = await requestManualCredit(ctxFor(admin), credit(customer.id, '10.00'));
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '70.00'));
    const audits = await auditCount();
    for (const role of ['agent', 'supervisor'] as const) {
      const ctx = ctxFor(await createStaff(handle.db, { role }));
      const calls: [string, () => Promise<unknown>][] = [
        ['searchCustomers', () => searchCustomers(ctx, { q: customer.username })],
        ['getCustomerLedger', () => getCustomerLedger(ctx, { customerId: customer.id })],
        ['listPendingManualCredits', () => listPendingManualCredits(ctx)],
        ['requestManualCredit', () => requestManualCredit(ctx, credit(customer.id, '5.00'))],
        [
          'requestReversal',
          () =>
            requestReversal(ctx, {
              ledgerEntryId: original.ledgerEntryId!,
              reasonCode: 'correction',
              note: 'Issued by mistake',
              idempotencyKey: key(),
            }),
        ],
        ['reviewManualCredit', () => reviewManualCredit(ctx, { manualCreditId: waiting.id, approve: true })],
        // Even with bad input the answer is about the role, not the input.
        ['requestManualCredit (bad input)', () => requestManualCredit(ctx, { amount: 'abc' })],
      ];
      for (const [name, call] of calls) {
        expect(await failure(call()), `${role} ${name}`).toMatchObject({
          code: 'forbidden',
          message: `This needs the admin role; you are signed in as ${role}.`,
        });
      }
    }
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect((await requestsOf(customer.id)).map((r) => r.state)).toEqual(['executed', 'awaiting_approval']);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses a deactivated admin', async () => {
    const gone = await createStaff(handle.db, { role: 'admin', isActive: false });
    const customer = await createCustomer(handle.db);
    expect(await failure(requestManualCredit(ctxFor(gone), credit(customer.id, '5.00')))).toMatchObject({ code: 'unauthenticated' });
  });
});

describe.runIf(isPostgres())('concurrency (PostgreSQL)', () => {
  it('20 parallel identical requests make one request and one ledger entry', async () => {
    const customer = await createCustomer(handle.db);
    const input = credit(customer.id, '15.00');
    const results = await Promise.all(Array.from({ length: 20 }, () => requestManualCredit(ctxFor(admin), input)));
    const first = results[0]!;
    for (const r of results) expect(r).toEqual(first);
    expect(await requestsOf(customer.id)).toHaveLength(1);
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect((await auditOf(first.id)).map((e) => e.action)).toEqual(['credit.requested', 'credit.executed']);
  });

  it('20 parallel requests with one key but different notes: one wins, the others are conflicts', async () => {
    const customer = await createCustomer(handle.db);
    const idempotencyKey = key();
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        requestManualCredit(ctxFor(admin), credit(customer.id, '5.00', { idempotencyKey, note: `Attempt number ${i}` })),
      ),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected'))
      expect(s.reason).toMatchObject({ code: 'conflict', message: IDEMPOTENCY_CONFLICT });
    expect(await ledgerOf(customer.id)).toHaveLength(1);
  });

  it('10 parallel approvals by different admins execute once', async () => {
    const customer = await createCustomer(handle.db);
    const waiting = await requestManualCredit(ctxFor(admin), credit(customer.id, '99.99'));
    const reviewers = await Promise.all(Array.from({ length: 10 }, () => createStaff(handle.db, { role: 'admin' })));
    const settled = await Promise.allSettled(
      reviewers.map((r) => reviewManualCredit(ctxFor(r), { manualCreditId: waiting.id, approve: true })),
    );
    const won = settled.filter((s): s is PromiseFulfilledResult<ManualCreditResult> => s.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const s of settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected'))
      expect(s.reason).toMatchObject({ code: 'conflict' });
    expect(await ledgerOf(customer.id)).toHaveLength(1);
    expect((await requestsOf(customer.id))[0]).toMatchObject({ state: 'executed', approvedBy: won[0]!.value.approvedBy });
    expect((await auditOf(waiting.id)).map((e) => e.action)).toEqual(['credit.requested', 'credit.approved', 'credit.executed']);
  });

  it('10 parallel reversals of one credit (different keys) reverse it once', async () => {
    const customer = await createCustomer(handle.db);
    const original = await requestManualCredit(ctxFor(admin), credit(customer.id, '25.00'));
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        requestReversal(ctxFor(admin), {
          ledgerEntryId: original.ledgerEntryId!,
          reasonCode: 'correction',
          note: 'Issued by mistake',
          idempotencyKey: key(),
        }),
      ),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected'))
      expect(s.reason).toMatchObject({ code: 'conflict' });
    const ledger = await ledgerOf(customer.id);
    expect(ledger.map((e) => e.amount)).toEqual(['25.00', '-25.00']);
    expect(await balanceOf(customer.id)).toBe('0.00');
    const reversalRequests = await handle.db
      .select()
      .from(manualCredits)
      .where(inArray(manualCredits.reversesLedgerId, [original.ledgerEntryId!]));
    expect(reversalRequests).toHaveLength(1);
  });
});

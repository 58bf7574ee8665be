import { and, eq, notInArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor, TEST_PASSWORD } from '@/lib/staff/test-factories';
import { auditEvents, loginAttempts, staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { authorizeSelf, authorizeStaff, PASSWORD_CHANGE_REQUIRED, SESSION_ENDED, systemCtx } from '@/lib/auth/actor';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { proposeDecision, reviewDecision } from '@/lib/decisions';
import { creditTicket, newKey } from '@/lib/decisions/test-helpers';
import { claimTicket } from '@/lib/tickets/claim';
import { changeOwnPassword, createStaffAccount, listStaff, resetStaffPassword, setStaffActive, setStaffRole, unlockStaff } from './index';

const handle = setupTestDb();

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('staff administration', () => {
  it('lets an admin deactivate a user, which ends that user’s access at once, and audits it', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    const agentCtx = ctxFor(agent);
    await expect(setStaffActive(ctxFor(admin), { userId: agent.id, isActive: false })).resolves.toMatchObject({ isActive: false });
    expect(await failure(authorizeStaff(handle.db, agentCtx, 'tickets.read'))).toMatchObject({ code: 'unauthenticated' });
    const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'staff.deactivated'));
    expect(event).toMatchObject({ actorId: admin.id, entityId: String(agent.id), before: { isActive: true }, after: { isActive: false } });
  });

  it('refuses agents and supervisors, changing nothing', async () => {
    const target = await createStaff(handle.db, { role: 'agent' });
    for (const role of ['agent', 'supervisor'] as const) {
      const caller = await createStaff(handle.db, { role });
      expect(await failure(setStaffActive(ctxFor(caller), { userId: target.id, isActive: false }))).toMatchObject({ code: 'forbidden' });
      expect(await failure(setStaffRole(ctxFor(caller), { userId: target.id, role: 'admin' }))).toMatchObject({ code: 'forbidden' });
      expect(await failure(listStaff(ctxFor(caller)))).toMatchObject({ code: 'forbidden' });
    }
    const [after] = await handle.db.select().from(staffUsers).where(eq(staffUsers.id, target.id));
    expect(after).toMatchObject({ isActive: true, role: 'agent' });
  });

  it('names the field that is wrong and refuses unknown users and self-changes', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const ctx = ctxFor(admin);
    expect(await failure(setStaffRole(ctx, { userId: admin.id + 1000, role: 'owner' }))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^role: /),
    });
    expect(await failure(setStaffActive(ctx, { userId: 99_999_999, isActive: false }))).toMatchObject({ code: 'not_found' });
    expect(await failure(setStaffActive(ctx, { userId: admin.id, isActive: false }))).toMatchObject({ code: 'conflict' });
  });

  it('applies a role change on the user’s next request', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    await setStaffRole(ctxFor(admin), { userId: agent.id, role: 'supervisor' });
    await expect(authorizeStaff(handle.db, ctxFor(agent), 'decisions.review')).resolves.toMatchObject({ role: 'supervisor' });
  });
});

const origin = { via: 'ui' as const, ip: '203.0.113.9', userAgent: 'vitest' };
/** A session that began a few seconds ago (sessions are compared with changes to the second). */
const openSession = (user: { id: number }) => ({ ...ctxFor(user), sessionIssuedAt: Math.floor(Date.now() / 1000) - 2 });

describe('staff accounts without SQL', () => {
  it('creates an account with a one-time password that must be changed before anything else, and never audits a password', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const email = `new-agent-${Date.now()}@test.example`;
    const { user, oneTimePassword } = await createStaffAccount(ctxFor(admin), {
      name: 'New Agent',
      email: email.toUpperCase(),
      role: 'agent',
    });
    expect(user).toMatchObject({ email, role: 'agent', isActive: true, mustChangePassword: true });
    expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await failure(createStaffAccount(ctxFor(admin), { name: 'Again', email, role: 'agent' }))).toMatchObject({
      code: 'conflict',
      message: `There is already an account for ${email}.`,
    });

    // As if the account had been made a minute ago, so the session below began after it.
    await handle.db
      .update(staffUsers)
      .set({ sessionsValidAfter: new Date(Date.now() - 60_000) })
      .where(eq(staffUsers.id, user.id));
    const signedIn = await signInWithPassword(handle.db, { email, password: oneTimePassword!, origin });
    const session = openSession(signedIn);
    expect(await failure(authorizeStaff(handle.db, session, 'tickets.read'))).toMatchObject({
      code: 'forbidden',
      message: PASSWORD_CHANGE_REQUIRED,
    });
    await expect(authorizeSelf(handle.db, session)).resolves.toMatchObject({ mustChangePassword: true });

    // A common password is refused with a sentence that says why.
    expect(
      await failure(
        changeOwnPassword(session, { currentPassword: oneTimePassword, newPassword: 'qwerty123456', confirmPassword: 'qwerty123456' }),
      ),
    ).toMatchObject({
      code: 'invalid',
      fieldErrors: {
        newPassword: ['That password is on a list of common and breached passwords that attackers try first; choose another.'],
      },
    });
    expect(
      await failure(
        changeOwnPassword(session, { currentPassword: 'wrong', newPassword: 'tram lilac orbit', confirmPassword: 'tram lilac orbit' }),
      ),
    ).toMatchObject({
      fieldErrors: { currentPassword: ['That is not your current password.'] },
    });
    await changeOwnPassword(session, {
      currentPassword: oneTimePassword,
      newPassword: 'tram lilac orbit',
      confirmPassword: 'tram lilac orbit',
    });
    // Every session of the account ended, this one too; the new password works.
    expect(await failure(authorizeSelf(handle.db, session))).toMatchObject({ code: 'unauthenticated' });
    const again = await signInWithPassword(handle.db, { email, password: 'tram lilac orbit', origin });
    await expect(authorizeStaff(handle.db, ctxFor(again), 'tickets.work')).resolves.toMatchObject({ email });

    const rows = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(user.id)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['staff.created', 'staff.password_changed']));
    const all = JSON.stringify(await handle.db.select().from(auditEvents));
    for (const secret of [oneTimePassword!, 'tram lilac orbit', 'qwerty123456', '$argon2']) expect(all).not.toContain(secret);
  });

  it('is created by the command line as the system actor, once per email', async () => {
    const cli = systemCtx('cli:staff:create', 'cli');
    const email = `first-admin-${Date.now()}@test.example`;
    const made = await createStaffAccount(cli, { name: 'First Admin', email, role: 'admin' });
    expect(made.user).toMatchObject({ role: 'admin', mustChangePassword: true });
    expect(await failure(createStaffAccount(cli, { name: 'First Admin', email, role: 'admin' }))).toMatchObject({ code: 'conflict' });
    expect(
      await failure(createStaffAccount(cli, { name: 'Weak', email: `weak-${email}`, role: 'admin' }, { password: 'password1234' })),
    ).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^password: .*common/),
    });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.created'), eq(auditEvents.entityId, String(made.user.id))));
    expect(event).toMatchObject({ actorId: null, actorLabel: 'system:cli:staff:create', origin: { via: 'cli' } });
  });

  it('refuses the very next action of a live session once the account is deactivated', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    const { ticket } = await creditTicket(handle.db);
    const live = ctxFor(agent);
    await expect(authorizeStaff(handle.db, live, 'tickets.work')).resolves.toMatchObject({ id: agent.id });
    await setStaffActive(ctxFor(admin), { userId: agent.id, isActive: false });
    expect(await failure(claimTicket(live, { ticketId: ticket.id }))).toMatchObject({ code: 'unauthenticated', message: SESSION_ENDED });
  });

  it('takes approval rights from a supervisor demoted to agent at once', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    const supervisor = await createStaff(handle.db, { role: 'supervisor' });
    const above = await creditTicket(handle.db, { charge: '100.02', delivered: 500 });
    const waiting = await proposeDecision(ctxFor(agent), {
      ticketId: above.ticket.id,
      outcome: 'balance_credit',
      idempotencyKey: newKey(),
    });
    expect(waiting.decision.state).toBe('awaiting_approval');
    const live = ctxFor(supervisor);
    await setStaffRole(ctxFor(admin), { userId: supervisor.id, role: 'agent' });
    expect(await failure(reviewDecision(live, { decisionId: waiting.decision.id, approve: true }))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('you are signed in as agent'),
    });
  });

  it('resets a password to a new one-time password and ends the sessions; unlocks a locked account', async () => {
    const admin = await createStaff(handle.db, { role: 'admin' });
    const agent = await createStaff(handle.db, { role: 'agent' });
    const live = openSession(agent);
    const reset = await resetStaffPassword(ctxFor(admin), { userId: agent.id });
    expect(reset.user.mustChangePassword).toBe(true);
    expect(await failure(authorizeStaff(handle.db, live, 'tickets.read'))).toMatchObject({ code: 'unauthenticated' });
    expect(await failure(signInWithPassword(handle.db, { email: agent.email, password: TEST_PASSWORD, origin }))).toMatchObject({
      code: 'unauthenticated',
    });

    for (let i = 0; i < 5; i += 1)
      await failure(
        signInWithPassword(handle.db, { email: agent.email, password: `wrong-${i}`, origin: { ...origin, ip: `198.51.100.${i}` } }),
      );
    const locked = (await listStaff(ctxFor(admin))).find((s) => s.id === agent.id)!;
    expect(locked).toMatchObject({ failedAttempts: 5, isLocked: true });
    expect(await failure(signInWithPassword(handle.db, { email: agent.email, password: reset.oneTimePassword, origin }))).toMatchObject({
      code: 'rate_limited',
    });
    await expect(unlockStaff(ctxFor(admin), { userId: agent.id })).resolves.toMatchObject({ cleared: 5 });
    expect((await listStaff(ctxFor(admin))).find((s) => s.id === agent.id)).toMatchObject({ failedAttempts: 0, isLocked: false });
    await expect(signInWithPassword(handle.db, { email: agent.email, password: reset.oneTimePassword, origin })).resolves.toMatchObject({
      id: agent.id,
    });
    const [row] = await handle.db.select().from(staffUsers).where(eq(staffUsers.id, agent.id));
    expect(row!.lastSignInAt).toBeInstanceOf(Date);
    expect(
      await handle.db
        .select()
        .from(loginAttempts)
        .where(and(eq(loginAttempts.email, agent.email), eq(loginAttempts.succeeded, false))),
    ).toHaveLength(5);
  });

  it('never removes the last active admin, and no admin deactivates or demotes themself', async () => {
    const a = await createStaff(handle.db, { role: 'admin' });
    const b = await createStaff(handle.db, { role: 'admin' });
    expect(await failure(setStaffRole(ctxFor(a), { userId: a.id, role: 'agent' }))).toMatchObject({
      code: 'conflict',
      message: 'You cannot change your own role; ask another admin.',
    });
    expect(await failure(setStaffActive(ctxFor(a), { userId: a.id, isActive: false }))).toMatchObject({ code: 'conflict' });
    // Only a and b are active admins; each tries to remove the other at the same moment.
    await handle.db
      .update(staffUsers)
      .set({ isActive: false })
      .where(and(eq(staffUsers.role, 'admin'), notInArray(staffUsers.id, [a.id, b.id])));
    const results = await Promise.allSettled([
      setStaffActive(ctxFor(a), { userId: b.id, isActive: false }),
      setStaffRole(ctxFor(b), { userId: a.id, role: 'supervisor' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(['conflict', 'unauthenticated']).toContain(((refused as PromiseRejectedResult).reason as { code: string }).code);
    const admins = await handle.db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(and(eq(staffUsers.role, 'admin'), eq(staffUsers.isActive, true)));
    expect(admins).toHaveLength(1);
    // The one left cannot be removed: not by themself, and there is nobody else.
    const last = admins[0]!.id;
    expect(await failure(setStaffActive(ctxFor({ id: last }), { userId: last, isActive: false }))).toMatchObject({ code: 'conflict' });
    expect(await failure(setStaffRole(ctxFor({ id: last }), { userId: last, role: 'agent' }))).toMatchObject({ code: 'conflict' });
  });
});

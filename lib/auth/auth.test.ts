import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor, TEST_PASSWORD } from '@/lib/staff/test-factories';
import { auditEvents, loginAttempts, staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { AppError } from '@/lib/errors';
import { authorizeStaff } from './actor';
import { recordSignOut, signInWithPassword, WRONG_CREDENTIALS } from './sign-in';

const handle = setupTestDb();

const origin = (ip: string) => ({ via: 'ui' as const, ip, userAgent: 'vitest' });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

describe('signInWithPassword', () => {
  it('signs a user in with the right password, whatever the email case, and audits it', async () => {
    const user = await createStaff(handle.db, { role: 'supervisor' });
    const actor = await signInWithPassword(handle.db, {
      email: ` ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
      origin: origin('198.51.100.1'),
    });
    expect(actor).toMatchObject({ id: user.id, role: 'supervisor' });
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(user.id)));
    expect(events.map((e) => e.action)).toContain('auth.signed_in');
  });

  it('gives the same message for a wrong password and an unknown email, and audits the failure', async () => {
    const user = await createStaff(handle.db);
    const wrongPassword = await failure(
      signInWithPassword(handle.db, { email: user.email, password: 'nope', origin: origin('198.51.100.2') }),
    );
    const unknownEmail = await failure(
      signInWithPassword(handle.db, { email: 'nobody@test.example', password: 'nope', origin: origin('198.51.100.2') }),
    );
    expect(wrongPassword).toMatchObject({ code: 'unauthenticated', message: WRONG_CREDENTIALS });
    expect(unknownEmail).toMatchObject({ code: 'unauthenticated', message: WRONG_CREDENTIALS });
    const failed = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.sign_in_failed'));
    expect(failed.map((e) => e.actorLabel)).toEqual(expect.arrayContaining([user.email, 'nobody@test.example']));
  });

  it('locks an account after 5 failures in 15 minutes, even for the right password, saying how long', async () => {
    const user = await createStaff(handle.db);
    for (let i = 0; i < 5; i += 1) {
      await failure(signInWithPassword(handle.db, { email: user.email, password: `wrong-${i}`, origin: origin(`198.51.100.${10 + i}`) }));
    }
    const locked = await failure(
      signInWithPassword(handle.db, { email: user.email, password: TEST_PASSWORD, origin: origin('198.51.100.99') }),
    );
    expect(locked).toMatchObject({ code: 'rate_limited', message: 'Too many failed sign-in attempts. Try again in 15 minutes.' });
  });

  it('lets the account in again once the failures are older than 15 minutes', async () => {
    const user = await createStaff(handle.db);
    const old = new Date(Date.now() - 16 * 60_000);
    await handle.db
      .insert(loginAttempts)
      .values(Array.from({ length: 5 }, () => ({ email: user.email, ip: '198.51.100.30', succeeded: false, at: old })));
    await expect(
      signInWithPassword(handle.db, { email: user.email, password: TEST_PASSWORD, origin: origin('198.51.100.30') }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it('blocks an address after 20 failures across accounts', async () => {
    const ip = '198.51.100.200';
    await handle.db
      .insert(loginAttempts)
      .values(Array.from({ length: 20 }, (_, i) => ({ email: `guess-${i}@test.example`, ip, succeeded: false })));
    const user = await createStaff(handle.db);
    const blocked = await failure(signInWithPassword(handle.db, { email: user.email, password: TEST_PASSWORD, origin: origin(ip) }));
    expect(blocked).toMatchObject({ code: 'rate_limited' });
    expect(blocked?.message).toMatch(/Try again in \d+ minutes?\./);
  });

  it('refuses a deactivated account with the right password as it refuses a wrong one (never confirming the password), and audits why', async () => {
    const user = await createStaff(handle.db, { isActive: false });
    const refused = await failure(
      signInWithPassword(handle.db, { email: user.email, password: TEST_PASSWORD, origin: origin('198.51.100.40') }),
    );
    expect(refused).toMatchObject({ code: 'unauthenticated', message: WRONG_CREDENTIALS });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(user.id)));
    expect(event).toMatchObject({ action: 'auth.sign_in_failed', reason: 'account deactivated' });
  });

  it('checks at most 5 passwords of one account in a burst of 30 parallel wrong attempts', async () => {
    const user = await createStaff(handle.db);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        failure(signInWithPassword(handle.db, { email: user.email, password: `burst-${i}`, origin: origin(`198.51.101.${i}`) })),
      ),
    );
    const checked = results.filter((r) => r?.code === 'unauthenticated').length;
    expect(checked).toBe(5);
    expect(results.filter((r) => r?.code === 'rate_limited')).toHaveLength(25);
    const attempts = await handle.db.select().from(loginAttempts).where(eq(loginAttempts.email, user.email));
    expect(attempts).toHaveLength(5);
  });

  it('checks at most 20 passwords from one address in a burst of 64 parallel attempts on different accounts', async () => {
    const ip = '198.51.102.1';
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        failure(signInWithPassword(handle.db, { email: `burst-${i}@address.example`, password: 'wrong', origin: origin(ip) })),
      ),
    );
    expect(results.filter((r) => r?.code === 'unauthenticated')).toHaveLength(20);
    expect(results.filter((r) => r?.code === 'rate_limited')).toHaveLength(44);
    expect(await handle.db.select().from(loginAttempts).where(eq(loginAttempts.ip, ip))).toHaveLength(20);
  });
});

describe('authorizeStaff', () => {
  it('re-reads role and active flag from the database on every call', async () => {
    const user = await createStaff(handle.db, { role: 'agent' });
    const ctx = ctxFor(user);
    await expect(authorizeStaff(handle.db, ctx, 'tickets.work')).resolves.toMatchObject({ role: 'agent' });
    expect(await failure(authorizeStaff(handle.db, ctx, 'staff.manage'))).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/admin role/),
    });

    await handle.db.update(staffUsers).set({ role: 'admin' }).where(eq(staffUsers.id, user.id));
    await expect(authorizeStaff(handle.db, ctx, 'staff.manage')).resolves.toMatchObject({ role: 'admin' });

    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, user.id));
    expect(await failure(authorizeStaff(handle.db, ctx, 'staff.manage'))).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a session issued before the account’s sessions were revoked', async () => {
    const user = await createStaff(handle.db);
    const ctx = ctxFor(user);
    await handle.db
      .update(staffUsers)
      .set({ sessionsValidAfter: sql`now() + interval '1 minute'` })
      .where(eq(staffUsers.id, user.id));
    expect(await failure(authorizeStaff(handle.db, ctx, 'tickets.work'))).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('signing out', () => {
  it('ends exactly that session and records it', async () => {
    const user = await createStaff(handle.db);
    const laptop = { ...ctxFor(user), sessionId: 'session-laptop' };
    const phone = { ...ctxFor(user), sessionId: 'session-phone' };
    await recordSignOut(
      handle.db,
      { userId: user.id, sessionId: 'session-laptop', expiresAt: new Date(Date.now() + 3600_000) },
      origin('198.51.100.50'),
    );
    expect(await failure(authorizeStaff(handle.db, laptop, 'tickets.read'))).toMatchObject({ code: 'unauthenticated' });
    await expect(authorizeStaff(handle.db, phone, 'tickets.read')).resolves.toMatchObject({ id: user.id });
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.signed_out'));
    expect(events.map((e) => e.actorId)).toContain(user.id);
  });
});

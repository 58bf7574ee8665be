/**
 * NextAuth's configuration as NextAuth runs it: the session callback behind `/api/auth/session`,
 * and the credentials provider's `authorize` with a request's headers (the sign-in POST).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, loginAttempts, staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { createStaff, TEST_PASSWORD } from '@/lib/staff/test-factories';
import { authOptions, SESSION_MAX_AGE_S } from './options';
import { PEER_HEADER } from './origin';
import { recordSignOut, WRONG_CREDENTIALS } from './sign-in';

const handle = setupTestDb();

/** What `/api/auth/session` answers for a cookie holding this token (NextAuth calls the session callback with it). */
async function sessionFor(token: Pick<JWT, 'uid' | 'sid' | 'signedInAt'>) {
  const session = { user: { name: 'from the cookie' }, expires: new Date(Date.now() + 3_600_000).toISOString() } as unknown as Session;
  const callback = authOptions.callbacks!.session! as unknown as (args: { session: Session; token: JWT }) => Promise<Session>;
  return callback({ session, token: token as JWT });
}

const tokenOf = (user: { id: number }) => ({ uid: user.id, sid: randomUUID(), signedInAt: Math.floor(Date.now() / 1000) });

describe('/api/auth/session (the session callback)', () => {
  it('returns the user for a valid session', async () => {
    const user = await createStaff(handle.db, { role: 'supervisor' });
    const session = await sessionFor(tokenOf(user));
    expect(session.user).toMatchObject({ id: user.id, email: user.email, role: 'supervisor' });
  });

  it('returns no user for a deactivated account, a signed-out session, or sessions revoked after it was issued', async () => {
    const deactivated = await createStaff(handle.db);
    const token = tokenOf(deactivated);
    expect((await sessionFor(token)).user).toBeDefined();
    await handle.db.update(staffUsers).set({ isActive: false }).where(eq(staffUsers.id, deactivated.id));
    const afterDeactivation = await sessionFor(token);
    expect(afterDeactivation.user).toBeUndefined();
    expect(afterDeactivation.expires).toEqual(expect.any(String));

    const signedOut = await createStaff(handle.db);
    const signedOutToken = tokenOf(signedOut);
    await recordSignOut(
      handle.db,
      {
        userId: signedOut.id,
        sessionId: signedOutToken.sid,
        expiresAt: new Date((signedOutToken.signedInAt + SESSION_MAX_AGE_S) * 1000),
      },
      { via: 'ui' },
    );
    expect((await sessionFor(signedOutToken)).user).toBeUndefined();

    const revoked = await createStaff(handle.db);
    const revokedToken = tokenOf(revoked);
    await handle.db
      .update(staffUsers)
      .set({ sessionsValidAfter: new Date(Date.now() + 60_000) })
      .where(eq(staffUsers.id, revoked.id));
    expect((await sessionFor(revokedToken)).user).toBeUndefined();
  });
});

describe('signing in through the credentials provider', () => {
  const saved = process.env.TRUSTED_PROXIES;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUSTED_PROXIES;
    else process.env.TRUSTED_PROXIES = saved;
  });

  type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
  const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
  const attempt = (email: string, password: string, headers: Record<string, string>) =>
    authorize({ email, password }, { headers: { 'user-agent': 'vitest', ...headers } }).then(
      (user) => ({ user, error: null }),
      (error: Error) => ({ user: null, error: error.message }),
    );

  it('after 20 failures from one socket address, a different X-Forwarded-For does not get it in (no TRUSTED_PROXIES)', async () => {
    delete process.env.TRUSTED_PROXIES;
    const peer = '203.0.113.77';
    for (let i = 0; i < 20; i += 1) {
      const result = await attempt(`guess-${i}-${randomUUID().slice(0, 6)}@xff.example`, 'wrong password', {
        [PEER_HEADER]: peer,
        'x-forwarded-for': `198.51.100.${i + 1}`,
        'x-real-ip': `198.51.100.${i + 1}`,
      });
      expect(result.error).toBe(WRONG_CREDENTIALS);
    }
    // Every failure was counted against the socket's address, never the header's.
    const attempts = await handle.db.select().from(loginAttempts).where(eq(loginAttempts.ip, peer));
    expect(attempts).toHaveLength(20);

    const user = await createStaff(handle.db);
    for (const spoofed of ['192.0.2.1', '192.0.2.1, 10.0.0.1', '<script>alert(1)</script>', '']) {
      const result = await attempt(user.email, TEST_PASSWORD, {
        [PEER_HEADER]: peer,
        'x-forwarded-for': spoofed,
        'x-real-ip': '192.0.2.2',
      });
      expect(result.user, spoofed).toBeNull();
      expect(result.error, spoofed).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
    }
    // From another socket address the same person signs in.
    const elsewhere = await attempt(user.email, TEST_PASSWORD, { [PEER_HEADER]: '203.0.113.78' });
    expect(elsewhere.user).toMatchObject({ id: String(user.id) });
    // No header text reached the audit log's address field.
    const logged = await handle.db.select({ origin: auditEvents.origin }).from(auditEvents);
    expect(logged.length).toBeGreaterThanOrEqual(21);
    for (const row of logged)
      expect(['203.0.113.77', '203.0.113.78', null]).toContain((row.origin as { ip?: string | null } | null)?.ip ?? null);
  });
});

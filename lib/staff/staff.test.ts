import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { auditEvents, staffUsers } from '@/db/schema';
import { setupTestDb } from '@/db/testing';
import { authorizeStaff } from '@/lib/auth/actor';
import { listStaff, setStaffActive, setStaffRole } from './index';

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

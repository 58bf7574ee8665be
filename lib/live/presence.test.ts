import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import { presenceLimiter } from './limits';
import { touchPresence } from './presence';

const handle = setupTestDb();

describe('touchPresence', () => {
  it('refuses heartbeats past the per-person limit with a sentence, and keeps serving other people', async () => {
    const staff = await createStaff(handle.db);
    const flooder = ctxFor(staff);
    // Spend all but the last two updates of the minute directly on the limiter, then go through the function.
    for (let i = 0; i < presenceLimiter.limit - 2; i += 1) presenceLimiter.take(staff.id);
    const results = [];
    for (let i = 0; i < 4; i += 1) {
      results.push(
        await touchPresence(flooder, { ticketId: 0 }).then(
          () => 'ok',
          (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
        ),
      );
    }
    expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(results.slice(2)).toEqual(
      Array(2).fill('rate_limited: Too many presence updates from your account; wait a minute before opening more tickets.'),
    );
    await expect(touchPresence(ctxFor(await createStaff(handle.db)), { ticketId: 0 })).resolves.toEqual({ ok: true });
  });
});

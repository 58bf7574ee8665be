import { describe, expect, it } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import { presenceLimiter } from './limits';
import { touchPresence } from './presence';

const handle = setupTestDb();

describe('touchPresence', () => {
  it('refuses heartbeats past the per-person limit with a sentence, and keeps serving other people', async () => {
    const flooder = ctxFor(await createStaff(handle.db));
    const results = [];
    for (let i = 0; i < presenceLimiter.limit + 5; i += 1) {
      results.push(
        await touchPresence(flooder, { ticketId: 0 }).then(
          () => 'ok',
          (error: { code: string }) => error.code,
        ),
      );
    }
    expect(results.filter((r) => r === 'ok')).toHaveLength(presenceLimiter.limit);
    expect(results.slice(presenceLimiter.limit)).toEqual(Array(5).fill('rate_limited'));
    await expect(touchPresence(ctxFor(await createStaff(handle.db)), { ticketId: 0 })).resolves.toEqual({ ok: true });
  });
});

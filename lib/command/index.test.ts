import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { IDEMPOTENCY_CONFLICT, keyUse, replayOf, requestHash, retryOnDeadlock, reviewStep } from './index';

describe('requestHash and retryOnDeadlock', () => {
  it('hashes the canonical JSON: key order does not matter, values do', () => {
    expect(requestHash({ a: 1, b: 'x' })).toBe(requestHash({ b: 'x', a: 1 }));
    expect(requestHash({ a: 1, b: 'x' })).not.toBe(requestHash({ a: 1, b: 'y' }));
    expect(requestHash({ a: null })).not.toBe(requestHash({}));
  });

  it('gives the hashes already stored with decisions (SHA-256 of the sorted JSON of a flat request)', () => {
    const request = { ticketId: 12, outcome: 'balance_credit', amount: '7.50', reason: null, reply: 'Ça va “ok”', accountAction: null };
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(requestHash(request)).toBe(createHash('sha256').update(sorted).digest('hex'));
  });

  it('runs a transaction again after a deadlock or serialization failure, and gives up after four attempts', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(await retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(deadlock) : 'done'))).toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(deadlock)))).rejects.toBe(deadlock);
    expect(calls).toBe(4);
    calls = 0;
    const serialization = Object.assign(new Error('could not serialize'), { code: '40001' });
    expect(await retryOnDeadlock(async () => (++calls < 2 ? Promise.reject(serialization) : 'done'))).toBe('done');
    expect(calls).toBe(2);
    calls = 0;
    const other = Object.assign(new Error('unique'), { code: '23505' });
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(other)))).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});

describe('idempotency keys', () => {
  const earlier = { id: 7, requestHash: 'h1', requestedBy: 3 };

  it('a new key is new; the same request by the same person is a replay; anything else a conflict', () => {
    expect(keyUse(undefined, { hash: 'h1', actorId: 3 })).toBe('new');
    expect(keyUse(earlier, { hash: 'h1', actorId: 3 })).toBe('replay');
    expect(keyUse(earlier, { hash: 'h2', actorId: 3 })).toBe('conflict');
    expect(keyUse(earlier, { hash: 'h1', actorId: 4 })).toBe('conflict');
  });

  it('replays the earlier result, refuses a different request, and reads nothing for a new key', async () => {
    const loaded: number[] = [];
    const load = async (id: number) => (loaded.push(id), `result ${id}`);
    expect(await replayOf(undefined, { hash: 'h1', actorId: 3 }, load)).toBeNull();
    expect(await replayOf(earlier, { hash: 'h1', actorId: 3 }, load)).toBe('result 7');
    const conflict = await replayOf(earlier, { hash: 'h2', actorId: 3 }, load).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict).toMatchObject({ code: 'conflict', message: IDEMPOTENCY_CONFLICT });
    expect(loaded).toEqual([7]);
  });
});

describe('second-person review', () => {
  const waiting = { state: 'awaiting_approval', requestedBy: 1, reviewedBy: null };
  const decisionRules = { ownMayReject: false, replaysSameVerdict: true };
  const creditRules = { ownMayReject: true, replaysSameVerdict: false };

  it('another person reviews what waits; the requester never approves, and withdraws only where allowed', () => {
    expect(reviewStep(waiting, { actorId: 2, approve: true }, decisionRules)).toBe('review');
    expect(reviewStep(waiting, { actorId: 2, approve: false }, creditRules)).toBe('review');
    expect(reviewStep(waiting, { actorId: 1, approve: true }, decisionRules)).toBe('own_request');
    expect(reviewStep(waiting, { actorId: 1, approve: true }, creditRules)).toBe('own_request');
    expect(reviewStep(waiting, { actorId: 1, approve: false }, decisionRules)).toBe('own_request');
    expect(reviewStep(waiting, { actorId: 1, approve: false }, creditRules)).toBe('review');
  });

  it('a decided request is a replay only for the same verdict by the same reviewer, where replays are allowed', () => {
    const approved = { state: 'executed', requestedBy: 1, reviewedBy: 2 };
    const rejected = { state: 'rejected', requestedBy: 1, reviewedBy: 2 };
    expect(reviewStep(approved, { actorId: 2, approve: true }, decisionRules)).toBe('replay');
    expect(reviewStep(rejected, { actorId: 2, approve: false }, decisionRules)).toBe('replay');
    expect(reviewStep(approved, { actorId: 2, approve: false }, decisionRules)).toBe('already_decided');
    expect(reviewStep(approved, { actorId: 3, approve: true }, decisionRules)).toBe('already_decided');
    expect(reviewStep({ ...approved, reviewedBy: null }, { actorId: 2, approve: true }, decisionRules)).toBe('already_decided');
    expect(reviewStep(approved, { actorId: 2, approve: true }, creditRules)).toBe('already_decided');
    expect(reviewStep(approved, { actorId: 1, approve: true }, creditRules)).toBe('already_decided');
  });
});

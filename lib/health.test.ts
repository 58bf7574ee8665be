import { describe, expect, it } from 'vitest';
import { setDbHandle, type DbHandle } from '@/db';
import { setupTestDb } from '@/db/testing';
import { checkHealth } from './health';

const handle = setupTestDb();

describe('checkHealth', () => {
  it('reports the database that answers', async () => {
    expect(await checkHealth()).toEqual({ status: 'ok', database: handle.kind });
  });

  it('answers unavailable within its time limit when the database hangs, instead of hanging too', async () => {
    const hung = { ...handle, kind: handle.kind, db: { execute: () => new Promise(() => {}) } } as unknown as DbHandle;
    setDbHandle(hung);
    try {
      const health = await checkHealth(200);
      expect(health).toEqual({ status: 'unavailable', reason: 'The database did not answer within 200 ms.' });
    } finally {
      setDbHandle(handle);
    }
  });
});

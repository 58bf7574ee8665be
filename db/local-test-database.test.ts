import { describe, expect, it } from 'vitest';
import { assertLocalTestDatabase, RemoteTestDatabaseError } from './local-test-database';

describe('assertLocalTestDatabase', () => {
  it.each([
    'postgres://postgres@127.0.0.1:5432/dev',
    'postgres://postgres:secret@localhost/dev',
    'postgresql://postgres@LOCALHOST:5433/dev',
    'postgres://postgres@[::1]:5432/dev',
    'postgres:///dev?host=/var/run/postgresql',
  ])('allows %s', (url) => {
    expect(() => assertLocalTestDatabase(url, {})).not.toThrow();
  });

  it.each([
    'postgres://postgres:secret@db.example.com:5432/prod',
    'postgres://postgres@10.0.0.5/dev',
    'postgres://postgres@127.0.0.1.nip.io/dev',
    'postgres:///dev?host=db.example.com',
    'postgres://a:1,b:2/dev',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => assertLocalTestDatabase(url, {})).toThrow(RemoteTestDatabaseError);
  });

  it('never repeats the password in its message', () => {
    expect(() => assertLocalTestDatabase('postgres://postgres:hunter2@db.example.com/prod', {})).toThrow(/"db\.example\.com"/);
    expect(() => assertLocalTestDatabase('postgres://postgres:hunter2@db.example.com/prod', {})).not.toThrow(/hunter2/);
  });

  it('allows a remote server only with ALLOW_REMOTE_TEST_DATABASE=1', () => {
    const url = 'postgres://postgres@db.example.com/ci';
    expect(() => assertLocalTestDatabase(url, { ALLOW_REMOTE_TEST_DATABASE: 'yes' })).toThrow(RemoteTestDatabaseError);
    expect(() => assertLocalTestDatabase(url, { ALLOW_REMOTE_TEST_DATABASE: '1' })).not.toThrow();
  });
});

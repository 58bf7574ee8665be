import { describe, expect, it } from 'vitest';
import { unixSocketOf } from './index';

describe('a Unix socket named in DATABASE_URL the libpq way', () => {
  it('becomes the socket path of postgres.js, the rest of the URL kept', () => {
    expect(unixSocketOf('postgres://app@localhost/refund_desk?host=/var/run/postgresql&sslmode=disable')).toEqual({
      url: 'postgres://app@localhost/refund_desk?sslmode=disable',
      socket: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(unixSocketOf('postgres://app@localhost:5433/db?host=/tmp/').socket).toBe('/tmp/.s.PGSQL.5433');
  });

  it('leaves a TCP address alone', () => {
    const url = 'postgres://app:secret@db.internal:5432/refund_desk?sslmode=require';
    expect(unixSocketOf(url)).toEqual({ url, socket: null });
  });
});

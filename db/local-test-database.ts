/**
 * The tests and the end-to-end server CREATE and DROP databases on the server of DATABASE_URL.
 * That is only ever allowed on this machine: any other host is refused unless
 * ALLOW_REMOTE_TEST_DATABASE=1 says it is meant.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export class RemoteTestDatabaseError extends Error {
  constructor(host: string) {
    super(
      `Refusing to create or drop test databases on "${host}": DATABASE_URL must point at localhost, 127.0.0.1 or ::1 for tests. ` +
        'Set ALLOW_REMOTE_TEST_DATABASE=1 if that server really is a throwaway test server.',
    );
    this.name = 'RemoteTestDatabaseError';
  }
}

/** The host a PostgreSQL URL connects to; a Unix socket (empty host, or a `host=/path` parameter) counts as local. */
function hostOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//…@'); // unparseable (several hosts?): refused, without the password
  }
  const socket = parsed.searchParams.get('host');
  if (parsed.hostname === '') return socket && !socket.startsWith('/') ? socket : 'localhost';
  return parsed.hostname;
}

/** Throws RemoteTestDatabaseError unless `url` is on this machine or the environment allows remote test databases. */
export function assertLocalTestDatabase(url: string, env: Record<string, string | undefined> = process.env): void {
  if (env.ALLOW_REMOTE_TEST_DATABASE === '1') return;
  const host = hostOf(url);
  if (!LOCAL_HOSTS.has(host.toLowerCase())) throw new RemoteTestDatabaseError(host);
}

/**
 * Prepared statements for the queries the app repeats, as PgJDBC's `prepareThreshold` does.
 *
 * drizzle sends every query unnamed (postgres.js `prepare: false`) unless it was built with
 * `.prepare(name)`, so PostgreSQL parses and plans it again each time: on the decision path that
 * was about half of the database's time (`bench/decisions/results.md`). `preparingClient` wraps the
 * postgres.js client (and the clients of its transactions and savepoints) so that a query text seen
 * `PREPARE_AFTER` times goes as a named statement, which postgres.js keeps per connection and
 * re-prepares itself when a schema change invalidates it. A text seen fewer times (values written
 * into the SQL) stays unnamed, and the counts are bounded.
 */
export const PREPARE_AFTER = 3;
const MAX_TEXTS = 5_000;

type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type Scoped = (...args: unknown[]) => unknown;

export function preparingClient<T extends object>(client: T, seen = new Map<string, number>()): T {
  const hot = (query: string) => {
    const n = (seen.get(query) ?? 0) + 1;
    if (n <= PREPARE_AFTER) {
      if (seen.size >= MAX_TEXTS) seen.clear();
      seen.set(query, n);
    }
    return n >= PREPARE_AFTER;
  };
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          (value as Unsafe).call(target, query, params, { ...options, prepare: Boolean(options?.prepare) || hot(query) });
      }
      if (property === 'begin' || property === 'savepoint') {
        // The callback is the last argument; the client it receives prepares the same way.
        return (...args: unknown[]) => {
          const work = args.pop() as (inner: object) => unknown;
          return (value as Scoped).call(target, ...args, (inner: object) => work(preparingClient(inner, seen)));
        };
      }
      return (value as Scoped).bind(target);
    },
  });
}

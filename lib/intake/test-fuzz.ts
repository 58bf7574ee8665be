/**
 * For the fuzz tests of the route handlers (app/api/v1/*.fuzz.test.ts): hostile values (broken
 * text, NUL, lone surrogates, deep nesting, huge bodies, wrong types), bodies made from a valid one
 * with one field changed, and a fingerprint of tables to show that a refused request wrote nothing.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';

export const weirdText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    'Unknown',
    'Pending',
    'In progress',
    'cancelled',
    '-1',
    '0',
    '1e5',
    '0.123456789',
    'NaN',
    '9'.repeat(30),
  ),
);

/** Any value a field might be given. */
export const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  weirdText,
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
  fc.double(),
  fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString()),
  fc.constant(null),
  fc.boolean(),
);

export type Body = Record<string, unknown>;

/** A valid body with one change: a field replaced, dropped, or one added. */
export function mutated(good: () => Body) {
  const keys = Object.keys(good());
  return fc
    .record({
      field: fc.constantFrom(...keys, 'unexpected', '__proto__', 'constructor', 'a\u0000', '\ud800'),
      value: anyValue,
      how: fc.constantFrom('replace', 'replace', 'drop', 'keep'),
    })
    .map(({ field, value, how }) => {
      const body = good();
      if (how === 'drop') delete body[field];
      else if (how === 'replace') Object.defineProperty(body, field, { value, enumerable: true, writable: true, configurable: true });
      return body;
    });
}

const nested = (depth: number, open: string, close: string, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/**
 * Raw text bodies, sent as they are: broken JSON, JSON of anything, deep nesting (which would
 * overflow a recursive walk), bodies over any limit, and NUL or lone surrogates as JSON escapes.
 */
export const rawBody = fc.oneof(
  fc.string().map((s) => `{${s}`),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '{}',
    '"x"',
    '{"a":1}{',
    '\u0000',
    '{"a":"\\u0000"}',
    '{"\\u0000":1}',
    '{"a":"\\ud800"}',
    '{"a":"\\udfff x"}',
    nested(20_000, '[', ']'),
    nested(20_000, '{"a":', '}'),
    `{"data":${nested(5_000, '{"x":', '}')}}`,
    `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    `[${'1,'.repeat(300_000)}1]`,
  ),
);

/** Any body: a valid one changed, any JSON, raw text, or the valid one itself. */
export const anyBody = (good: () => Body) =>
  fc.oneof(
    { weight: 4, arbitrary: mutated(good) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 2, arbitrary: rawBody },
    { weight: 1, arbitrary: fc.constant(null).map(() => good()) },
  );

/** Header values as an HTTP client may send them (no NUL or line breaks: the HTTP parser refuses those first). */
export const headerValue = fc.option(
  fc.oneof(
    fc.stringMatching(/^[\x21-\x7e]{1,12}$/),
    fc.stringMatching(/^[\x20-\x7e\xa0-\xff]{1,300}$/),
    fc.constantFrom('x', ' ', 'ÿÿÿÿÿÿÿÿÿ', 'a'.repeat(201), 'a'.repeat(5000)),
  ),
  { nil: undefined },
);

/** Every table of the app (not drizzle's own), for fingerprinting. */
export async function appTables(db: Db): Promise<string[]> {
  const result = await db.execute(
    sql.raw(`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { t: string }[];
  return rows.map((r) => r.t);
}

/** Row count and the sum of row versions (xmin changes on every update) of each table. */
export async function fingerprint(db: Db, tables: readonly string[]): Promise<string> {
  const query = tables
    .map((t) => `select '${t}' as t, count(*)::text as n, coalesce(sum(xmin::text::bigint), 0)::text as v from "${t}"`)
    .join(' union all ');
  const result = await db.execute(sql.raw(query));
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { t: string; n: string; v: string }[];
  return rows.map((r) => `${r.t}:${r.n}:${r.v}`).join(' ');
}

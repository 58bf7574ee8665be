/** The statement cache on PostgreSQL: repeated query texts become named statements, one-off texts never do. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, queryRows, type DbHandle } from './index';
import { isPostgres, setupTestDb } from './testing';
import { PREPARE_AFTER } from './statement-cache';

describe.runIf(isPostgres())('prepared statements for repeated queries (PostgreSQL)', () => {
  const test = setupTestDb({ setDefault: false, when: isPostgres() });
  let one: DbHandle;
  beforeAll(async () => {
    one = await openPostgres(test.url!, 1); // one connection: its prepared statements are what it shows
  });
  afterAll(async () => {
    await one?.close();
  });

  const prepared = async (text: string) =>
    (
      await queryRows<{ n: number }>(
        one.db,
        sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${text}%`} and statement not like '%pg_prepared_statements%'`,
      )
    )[0]!.n;

  it('names a query once its text has been seen PREPARE_AFTER times, in and out of transactions', async () => {
    for (let i = 0; i < PREPARE_AFTER - 1; i++) await one.db.execute(sql`select ${i}::int as repeated_query`);
    expect(await prepared('repeated_query')).toBe(0);
    await one.db.execute(sql`select ${7}::int as repeated_query`);
    expect(await prepared('repeated_query')).toBe(1);

    await one.db.transaction(async (tx) => {
      for (let i = 0; i < PREPARE_AFTER; i++) await tx.execute(sql`select ${i}::int as in_transaction`);
      await tx.transaction(async (inner) => {
        for (let i = 0; i < PREPARE_AFTER; i++) await inner.execute(sql`select ${i}::int as in_savepoint`);
      });
    });
    expect(await prepared('in_transaction')).toBe(1);
    expect(await prepared('in_savepoint')).toBe(1);
  });

  it('leaves texts that carry their values unnamed, and still answers after the schema under a statement changes', async () => {
    for (let i = 0; i < 5; i++) await one.db.execute(sql.raw(`select ${i} as literal_value_${i}`));
    expect(await prepared('literal_value_')).toBe(0);

    await one.db.execute(sql`create table cache_probe (a int)`);
    for (let i = 0; i < PREPARE_AFTER + 1; i++) await one.db.execute(sql`select * from cache_probe where ${i} >= 0`);
    await one.db.execute(sql`alter table cache_probe add column b text`);
    const rows = await queryRows<{ a: number; b: string | null }>(one.db, sql`select * from cache_probe where ${1} >= 0`);
    expect(rows).toEqual([]);
  });
});

/**
 * npm run bench:queue -- --prepare [--tickets N]: creates the database of DATABASE_URL afresh,
 * migrates it and seeds N tickets (default 1,000,000) with their stored policy suggestions.
 */
import { sql } from 'drizzle-orm';
import { migrate, openPostgres } from '@/db';
import { seedDatabase } from '@/lib/demo';
import { suggestFor } from '@/lib/tickets/suggestion';

export async function prepare(url: string, tickets: number) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || ['postgres', 'test', 'template0', 'template1'].includes(name)) {
    throw new Error(`Refusing to recreate database "${name}": use a scratch database such as rd_bench_queue.`);
  }
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = await openPostgres(server.toString(), 1);
  await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  await admin.close();

  const handle = await openPostgres(url, 4);
  try {
    await migrate(handle);
    const result = await seedDatabase(handle, {
      tickets,
      seed: 42,
      databaseUrl: url,
      log: console.log,
      annotate: (facts, { now }) => suggestFor(facts, now),
    });
    await handle.db.execute(sql`vacuum analyze`);
    return result;
  } finally {
    await handle.close();
  }
}

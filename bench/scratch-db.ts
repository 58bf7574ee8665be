/**
 * The benchmarks' scratch databases: made afresh on the PostgreSQL server of DATABASE_URL, which
 * must be this machine, as for the tests (`ALLOW_REMOTE_TEST_DATABASE=1` lifts that), and dropped
 * again with `dropScratchDatabase`.
 */
import { sql } from 'drizzle-orm';
import { openPostgres } from '@/db';
import { assertLocalTestDatabase } from '@/db/local-test-database';

function server(name: string): string {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(`Set DATABASE_URL to a PostgreSQL server on this machine (the benchmark makes and drops its database ${name} there).`);
  assertLocalTestDatabase(base);
  return base;
}

/** The URL of scratch database `name` on DATABASE_URL's server (made or not). */
export function scratchUrl(name: string): string {
  const url = new URL(server(name));
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(name: string, statements: string[]): Promise<void> {
  const admin = await openPostgres(server(name), 1);
  try {
    for (const statement of statements) await admin.db.execute(sql.raw(statement));
  } finally {
    await admin.close();
  }
}

/** Drops scratch database `name` if it exists and makes it empty; its URL. */
export async function freshScratchDatabase(name: string): Promise<string> {
  await onServer(name, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
  return scratchUrl(name);
}

export async function dropScratchDatabase(name: string): Promise<void> {
  await onServer(name, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
}

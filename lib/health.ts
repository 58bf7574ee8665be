import { sql } from 'drizzle-orm';
import { getDbHandle, type DbKind } from '@/db';

export const HEALTH_TIMEOUT_MS = 800;

export type Health = { status: 'ok'; database: DbKind } | { status: 'unavailable'; reason: string };

/**
 * Whether the database answers `select 1` within `timeoutMs`. Never waits longer: a hung pool or a
 * dead connection is reported as unavailable instead of hanging the health check.
 */
export async function checkHealth(timeoutMs = HEALTH_TIMEOUT_MS): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Health>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'unavailable', reason: `The database did not answer within ${timeoutMs} ms.` }), timeoutMs);
  });
  const probe = (async (): Promise<Health> => {
    const { db, kind } = await getDbHandle();
    await db.execute(sql`select 1`);
    return { status: 'ok', database: kind };
  })().catch((error: unknown): Health => {
    console.error('[health] database check failed', error);
    return { status: 'unavailable', reason: 'The database does not answer.' };
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

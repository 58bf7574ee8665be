import { asc, gt } from 'drizzle-orm';
import type { Db } from '@/db';
import { auditEvents } from '@/db/schema';
import { GENESIS_HASH, hashEvent } from './canonical';

export type VerifyResult = { ok: true; count: number; head: string } | { ok: false; count: number; badSeq: number; problem: string };

/** Walks the whole chain in sequence order, a page at a time, and reports the first bad row. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expectedSeq - 1))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) {
      const count = expectedSeq - 1;
      if (row.seq !== expectedSeq) {
        return { ok: false, count, badSeq: expectedSeq, problem: `event ${expectedSeq} is missing (next is ${row.seq})` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, count, badSeq: row.seq, problem: `event ${row.seq} does not link to the event before it` };
      }
      if (hashEvent(prevHash, row) !== row.hash) {
        return { ok: false, count, badSeq: row.seq, problem: `event ${row.seq} was altered after it was written` };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) return { ok: true, count: expectedSeq - 1, head: prevHash };
  }
}

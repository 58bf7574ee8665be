import type { KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { GENESIS_HASH, hashEvent } from './canonical';
import { checkpointSignatureOk, type Checkpoint, type CheckpointLine } from './checkpoints';
import { readEvents } from './rows';
import { countUnsealed } from './sealer';

export type VerifyResult =
  | {
      ok: true;
      /** Sealed events, all verified: the chain runs 1…count. */
      count: number;
      /** The newest event's hash (the genesis hash when the chain is empty). */
      head: string;
      /** Committed events not sealed yet (protected by the triggers, not by the chain). */
      unsealed: number;
      /** Checkpoints the chain was checked against; null when none were given. */
      checkpoints: number | null;
    }
  | {
      ok: false;
      /** Events verified before the problem. */
      count: number;
      /** The first bad position in the chain; absent when the problem is a checkpoint. */
      badSeq?: number;
      problem: string;
      unsealed: number;
    };

export interface VerifyOptions {
  pageSize?: number;
  /** Lines of a checkpoint file (`readCheckpointFile`): every one must be signed by `publicKey` and match the chain. */
  checkpoints?: CheckpointLine[];
  publicKey?: KeyObject;
  /** Called after each page with the number of events verified so far. */
  onProgress?: (verified: number) => void;
}

const describe = (c: Checkpoint) => `checkpoint ${c.seq} ${c.hash} at ${c.at}`;

/**
 * Walks the sealed chain in sequence order, a page at a time (the next page is read while this one
 * is hashed; memory stays constant), and reports the first bad row. With checkpoints, also that the
 * chain passes through every checkpoint and does not end before the newest: deleting or rewriting
 * the newest events is then found too.
 */
export async function verifyAuditChain(db: Db, options: VerifyOptions | number = {}): Promise<VerifyResult> {
  const { pageSize = 5000, checkpoints: lines, publicKey, onProgress } = typeof options === 'number' ? { pageSize: options } : options;
  const unsealed = await countUnsealed(db);
  const fail = (count: number, problem: string, badSeq?: number): VerifyResult => ({
    ok: false,
    count,
    problem,
    unsealed,
    ...(badSeq ? { badSeq } : {}),
  });

  const checkpoints: Checkpoint[] = [];
  for (const entry of lines ?? []) {
    if ('error' in entry) return fail(0, `checkpoint file line ${entry.line} is not a checkpoint (${entry.error}): refused`);
    if (!publicKey) return fail(0, 'checkpoints given without a key to check their signatures');
    if (!checkpointSignatureOk(entry.checkpoint, publicKey))
      return fail(
        0,
        `${describe(entry.checkpoint)} (line ${entry.line}): the signature does not verify with the audit key; forged or altered, refused`,
      );
    checkpoints.push(entry.checkpoint);
  }
  checkpoints.sort((a, b) => a.seq - b.seq);
  let nextCheckpoint = 0;

  const fetchPage = (afterSeq: number) => readEvents(db, sql`seq is not null and seq > ${afterSeq}`, sql`seq`, pageSize);

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let pending = fetchPage(0);
  for (;;) {
    const page = await pending;
    const full = page.length === pageSize;
    if (full) {
      pending = fetchPage(page[page.length - 1]!.seq);
      pending.catch(() => {});
    }
    for (const row of page) {
      const count = expectedSeq - 1;
      if (row.seq !== expectedSeq) return fail(count, `event ${expectedSeq} is missing (next is ${row.seq})`, expectedSeq);
      if (row.prevHash !== prevHash) return fail(count, `event ${row.seq} does not link to the event before it`, expectedSeq);
      if (hashEvent(prevHash, row) !== row.hash) return fail(count, `event ${row.seq} was altered after it was written`, expectedSeq);
      prevHash = row.hash;
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.seq <= expectedSeq) {
        const c = checkpoints[nextCheckpoint]!;
        if (c.seq === expectedSeq && c.hash !== row.hash)
          return fail(
            count,
            `${describe(c)}: the database has another event at seq ${c.seq} (hash ${row.hash}); history was rewritten`,
            c.seq,
          );
        nextCheckpoint += 1;
      }
      expectedSeq += 1;
    }
    onProgress?.(expectedSeq - 1);
    if (!full) break;
  }
  const count = expectedSeq - 1;
  const newest = checkpoints[checkpoints.length - 1];
  if (newest && newest.seq > count) return fail(count, `${describe(newest)}: the database now ends at ${count}`, count + 1);
  return { ok: true, count, head: prevHash, unsealed, checkpoints: lines ? checkpoints.length : null };
}

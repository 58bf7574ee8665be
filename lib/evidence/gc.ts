/**
 * `npm run evidence:gc`: removes stored files that no evidence row names (as its file or its
 * thumbnail) and that are older than a grace period — orphans of uploads whose row never
 * committed. The grace period covers uploads in flight (stored, row not yet committed); a put of
 * content already stored refreshes its time, so a file about to be named again is never old.
 */
import { inArray, or } from 'drizzle-orm';
import type { Db } from '@/db';
import { evidence } from '@/db/schema';
import { evidenceStore, type EvidenceStore } from './storage';

export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

export interface GcResult {
  scanned: number;
  referenced: number;
  young: number;
  removed: string[];
}

export async function collectEvidenceGarbage(
  db: Db,
  options: { graceMs?: number; dryRun?: boolean; store?: EvidenceStore; now?: Date } = {},
): Promise<GcResult> {
  const store = options.store ?? evidenceStore();
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? DEFAULT_GRACE_MS);
  const result: GcResult = { scanned: 0, referenced: 0, young: 0, removed: [] };
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const keys = batch;
    batch = [];
    const rows = await db
      .select({ file: evidence.storageKey, thumbnail: evidence.thumbnailKey })
      .from(evidence)
      .where(or(inArray(evidence.storageKey, keys), inArray(evidence.thumbnailKey, keys)));
    const named = new Set(rows.flatMap((r) => [r.file, r.thumbnail]));
    for (const key of keys) {
      if (named.has(key)) {
        result.referenced++;
        continue;
      }
      if (!options.dryRun) await store.remove(key);
      result.removed.push(key);
    }
  };
  for await (const object of store.list()) {
    result.scanned++;
    if (object.modifiedAt.getTime() > cutoff) {
      result.young++;
      continue;
    }
    batch.push(object.key);
    if (batch.length >= 500) await flush();
  }
  await flush();
  return result;
}

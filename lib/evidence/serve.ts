/**
 * Serving evidence to staff: the stored file or its thumbnail, streamed, never to anyone else.
 * Every download of a file (not of a thumbnail, not a later range of the same PDF) is audited.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { evidence } from '@/db/schema';
import { record } from '@/lib/audit';
import { auditActor, authorize, authorizeStaff, type Ctx } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { evidenceIdSchema } from '@/lib/validation/tickets';
import { evidenceStore, type OpenedEvidence } from './storage';

export interface ServedEvidence extends OpenedEvidence {
  id: number;
  ticketId: number;
  sha256: string;
  mimeType: string;
  originalName: string;
  /** The range served (inclusive), when one was asked for and satisfiable. */
  range: { start: number; end: number } | null;
}

export class RangeNotSatisfiable extends Error {
  constructor(readonly size: number) {
    super('Range not satisfiable');
  }
}

/** One `bytes=` range of a file of `size` bytes; null for none (or several, served whole). */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new RangeNotSatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) throw new RangeNotSatisfiable(size);
  return { start, end };
}

/**
 * Opens evidence `idInput` for a staff member: `file` (with one byte range for PDFs) or its
 * `thumbnail`. Unknown ids, malformed ids and files missing from storage are all `not_found`.
 */
export async function openEvidenceFile(
  ctx: Ctx,
  idInput: unknown,
  options: { variant: 'file' | 'thumbnail'; range?: string | null },
): Promise<ServedEvidence> {
  const db = await getDb();
  await authorizeStaff(db, ctx, 'tickets.read');
  const parsed = evidenceIdSchema.safeParse(idInput);
  const missing = () => new AppError('not_found', `There is no evidence file ${String(idInput).slice(0, 40)}.`);
  if (!parsed.success) throw missing();
  const [file] = await db.select().from(evidence).where(eq(evidence.id, parsed.data));
  if (!file) throw missing();
  const key = options.variant === 'thumbnail' ? file.thumbnailKey : file.storageKey;
  if (!key) throw new AppError('not_found', `Evidence ${file.id} has no thumbnail.`);
  const store = evidenceStore();
  let size: number | null;
  try {
    size = await store.stat(key);
  } catch (error) {
    if ((error as Error).name !== 'InvalidEvidenceKeyError') throw error;
    size = null;
  }
  if (size === null) {
    console.error(`[evidence ${file.id}] stored ${options.variant} unavailable: ${key}`);
    throw new AppError('not_found', `The file of evidence ${file.id} is missing from storage.`);
  }
  const range = options.variant === 'file' && file.mimeType === 'application/pdf' ? parseRange(options.range ?? null, size) : null;
  if (options.variant === 'file' && (!range || range.start === 0)) {
    await db.transaction(async (tx) => {
      const actor = await authorize(tx, ctx, 'tickets.read');
      await record(tx, {
        actor: auditActor(actor),
        action: 'evidence.downloaded',
        entityType: 'evidence',
        entityId: file.id,
        after: { ticketId: file.ticketId, sha256: file.sha256, range: range ? `${range.start}-${range.end}` : null },
        origin: ctx.origin,
      });
    });
  }
  const opened = await store.open(key, range ?? undefined);
  return {
    id: file.id,
    ticketId: file.ticketId,
    sha256: options.variant === 'thumbnail' ? key : file.sha256,
    mimeType: options.variant === 'thumbnail' ? 'image/webp' : file.mimeType,
    originalName: file.originalName,
    size,
    body: opened.body,
    range,
  };
}

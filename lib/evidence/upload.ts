/**
 * Attaching evidence files to a ticket: staff from the ticket page, the panel through the API.
 * Every file is treated as hostile: its type is decided from its bytes (PNG, JPEG, WebP, GIF,
 * HEIC/HEIF, PDF; nothing else), images are decoded and re-encoded (./sanitise.ts) and only the
 * re-encoded pixels are kept, PDFs are kept as they are and only ever served as downloads.
 *
 * A request is accepted whole or refused whole: any refused file refuses the request, with one
 * sentence per file, and then nothing is written to storage or to the evidence tables (only the
 * audit row of the refusal, in its own transaction). Accepted files are stored before their rows
 * commit, so a row never names a missing file; a failed commit leaves an orphan for `evidence:gc`.
 */
import { rm } from 'node:fs/promises';
import { and, count, eq } from 'drizzle-orm';
import { getDb, pgError } from '@/db';
import { evidence, evidenceUploads, tickets } from '@/db/schema';
import { record } from '@/lib/audit';
import { auditActor, authorize, type Actor, type Ctx } from '@/lib/auth/actor';
import { replayOf, requestHash, retryOnDeadlock } from '@/lib/command';
import { evidenceLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { notifyTicketChanged } from '@/lib/live/notify';
import { idempotencyKeySchema } from '@/lib/validation/decisions';
import { ticketIdSchema } from '@/lib/validation/tickets';
import { parseInput } from '@/lib/validation/parse';
import { discard, type ReceivedUpload } from './multipart';
import { bandsOf, toHex, toSigned } from './phash';
import { findReuse, type ReuseMatch } from './reuse';
import { ImageRefused, sanitiseImage, type SanitisedImage } from './sanitise';
import { describeUnknown, evidenceStore, readHead, sniffType } from './storage';

export const ACCEPTED_TYPES_SENTENCE = 'Accepted are PNG, JPEG, WebP, GIF and HEIC/HEIF images and PDF documents.';
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/heic', 'image/heif']);

export const evidenceFileUrl = (id: number) => `/api/evidence/${id}`;
export const evidenceThumbnailUrl = (id: number) => `/api/evidence/${id}/thumbnail`;

export interface UploadedEvidence {
  id: number;
  ticketId: number;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  perceptualHash: string | null;
  url: string;
  thumbnailUrl: string | null;
  uploadedAt: string;
  /** Near-identical evidence on other customers' tickets. */
  reuse: ReuseMatch[];
}

export interface UploadResult {
  evidence: UploadedEvidence[];
  replayed: boolean;
}

type Prepared =
  { kind: 'image'; name: string; image: SanitisedImage } | { kind: 'pdf'; name: string; path: string; size: number; sha256: string };

const actorKey = (actor: Actor) =>
  actor.kind === 'staff' ? `staff:${actor.id}` : actor.kind === 'api_key' ? `api_key:${actor.id}` : `system:${actor.name}`;

async function prepare(file: ReceivedUpload['files'][number], maxPixels: number): Promise<Prepared> {
  const head = await readHead(file.path);
  const { mimeType } = sniffType(head);
  if (mimeType === 'application/pdf') return { kind: 'pdf', name: file.name, path: file.path, size: file.size, sha256: file.sha256 };
  if (!IMAGE_TYPES.has(mimeType)) throw new ImageRefused(`is ${describeUnknown(head)}, which is not accepted. ${ACCEPTED_TYPES_SENTENCE}`);
  const image = await sanitiseImage(file.path, mimeType, maxPixels);
  // The uploaded bytes go as soon as their pixels are safely re-encoded.
  await rm(file.path, { force: true });
  return { kind: 'image', name: file.name, image };
}

/** `File "x" is empty (0 bytes).` */
const sentence = (name: string, reason: string) => {
  const text = `File "${name.length > 80 ? `${name.slice(0, 77)}…` : name}" ${reason}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

/**
 * Puts a refused upload on record, in its own small transaction: nothing else is written, but the
 * refusal is in the audit log. A caller who may not upload at all is refused by `authorize` and
 * leaves no row.
 */
async function recordRefusal(
  ctx: Ctx,
  ticketId: number,
  refused: { problems: string[]; files: { name: string; reason: string }[] },
  reason: string,
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const actor = await authorize(tx, ctx, 'evidence.upload');
    await record(tx, {
      actor: auditActor(actor),
      action: 'evidence.refused',
      entityType: 'ticket',
      entityId: ticketId,
      after: refused,
      reason: reason.slice(0, 1000),
      origin: ctx.origin,
    });
  });
}

async function refuse(ctx: Ctx, ticketId: number, refusals: { name: string; reason: string }[], problems: string[]): Promise<never> {
  const sentences = [...problems, ...refusals.map((r) => sentence(r.name, r.reason))];
  await recordRefusal(ctx, ticketId, { problems, files: refusals }, sentences.join(' '));
  const fieldErrors: Record<string, string[]> = {};
  if (problems.length) fieldErrors.request = problems;
  for (const r of refusals) (fieldErrors[r.name] ??= []).push(sentence(r.name, r.reason));
  throw new AppError(
    'invalid',
    sentences.length === 1 ? sentences[0]! : `${sentences.length} problems: ${sentences.join(' ')}`,
    fieldErrors,
  );
}

/** A request refused before its files could be read (no Idempotency-Key, too large, not multipart, a body that breaks off). */
export async function recordRequestRefusal(ctx: Ctx, ticketId: number, refusal: AppError): Promise<void> {
  await recordRefusal(ctx, ticketId, { problems: [refusal.message], files: [] }, refusal.message);
}

async function loadEvidence(ids: number[]): Promise<UploadedEvidence[]> {
  const db = await getDb();
  const rows = await Promise.all(ids.map((id) => db.select().from(evidence).where(eq(evidence.id, id))));
  return Promise.all(
    rows.flat().map(async (row) => ({
      id: row.id,
      ticketId: row.ticketId,
      originalName: row.originalName,
      mimeType: row.mimeType,
      sizeBytes: row.sizeBytes,
      width: row.width,
      height: row.height,
      sha256: row.sha256,
      perceptualHash: row.perceptualHash,
      url: evidenceFileUrl(row.id),
      thumbnailUrl: row.thumbnailKey ? evidenceThumbnailUrl(row.id) : null,
      uploadedAt: row.uploadedAt.toISOString(),
      reuse: await findReuse(db, row.id),
    })),
  );
}

/**
 * Stores the files of `upload` (read by ./multipart.ts) as evidence of ticket `ticketId`, or refuses
 * them all. With an `idempotencyKey` the same request again returns the same evidence
 * (`replayed: true`), another request with that key is a conflict. Always removes the temporary files.
 */
export async function uploadEvidence(
  ctx: Ctx,
  input: { ticketId: unknown; upload: ReceivedUpload; idempotencyKey?: string | null },
): Promise<UploadResult> {
  const { upload } = input;
  try {
    const ticketId = parseInput(ticketIdSchema, input.ticketId);
    const idempotencyKey = input.idempotencyKey == null ? null : parseInput(idempotencyKeySchema, input.idempotencyKey);
    const limits = evidenceLimits();
    const db = await getDb();
    const actor = await authorize(db, ctx, 'evidence.upload');
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw new AppError('not_found', `There is no ticket T-${ticketId}.`);

    const refusals: { name: string; reason: string }[] = upload.files
      .filter((f) => f.refusal)
      .map((f) => ({ name: f.name, reason: f.refusal! }));
    const problems = [...upload.problems];
    const hash = requestHash({ ticketId, files: upload.files.map((f) => `${f.sha256}:${f.name}`).join('/') });
    if (idempotencyKey) {
      const [earlier] = await db
        .select()
        .from(evidenceUploads)
        .where(and(eq(evidenceUploads.actor, actorKey(actor)), eq(evidenceUploads.idempotencyKey, idempotencyKey)));
      const replay = await replayOf(
        earlier && { id: earlier.id, requestHash: earlier.requestHash, requestedBy: 0 },
        { hash, actorId: 0 },
        async () => loadEvidence(earlier!.evidenceIds),
      );
      if (replay) return { evidence: replay, replayed: true };
    }
    const [{ held } = { held: 0 }] = await db.select({ held: count() }).from(evidence).where(eq(evidence.ticketId, ticketId));
    const sending = upload.files.length;
    if (held + sending > limits.maxFilesPerTicket && problems.length === 0) {
      problems.push(
        held >= limits.maxFilesPerTicket
          ? `Ticket T-${ticketId} already holds ${held} files, the most a ticket may hold.`
          : `Ticket T-${ticketId} holds ${held} files and may hold ${limits.maxFilesPerTicket}: send at most ${limits.maxFilesPerTicket - held} more.`,
      );
    }
    if (problems.length || refusals.length) return await refuse(ctx, ticketId, refusals, problems);

    const prepared: Prepared[] = [];
    for (const file of upload.files) {
      try {
        prepared.push(await prepare(file, limits.maxPixels));
      } catch (error) {
        if (!(error instanceof ImageRefused)) throw error;
        refusals.push({ name: file.name, reason: error.message });
      }
    }
    if (refusals.length) return await refuse(ctx, ticketId, refusals, []);

    // Stored first: a row never names a missing file.
    const store = evidenceStore();
    const uploadedAt = new Date();
    const uploader = { uploadedBy: actor.kind === 'staff' ? actor.id : null, uploadedByKey: actor.kind === 'api_key' ? actor.id : null };
    // Every object of the request is written at once (an object store answers each put in its own round trip).
    const rows = await Promise.all(
      prepared.map(async (item): Promise<typeof evidence.$inferInsert> => {
        if (item.kind === 'pdf') {
          const stored = await store.putFile(item.path, item.sha256, item.size, 'application/pdf');
          return {
            ticketId,
            sha256: stored.sha256,
            storageKey: stored.storageKey,
            mimeType: 'application/pdf',
            sizeBytes: item.size,
            originalName: item.name,
            uploadedAt,
            ...uploader,
          };
        }
        const [stored, thumb] = await Promise.all([store.put(item.image.bytes), store.put(item.image.thumbnail)]);
        const bands = bandsOf(item.image.phash);
        return {
          ticketId,
          sha256: stored.sha256,
          storageKey: stored.storageKey,
          thumbnailKey: thumb.storageKey,
          mimeType: item.image.mimeType,
          sizeBytes: stored.size,
          width: item.image.width,
          height: item.image.height,
          perceptualHash: toHex(item.image.phash),
          phash: toSigned(item.image.phash),
          phashBand0: bands[0],
          phashBand1: bands[1],
          phashBand2: bands[2],
          phashBand3: bands[3],
          originalName: item.name,
          uploadedAt,
          ...uploader,
        };
      }),
    );

    const ids = await retryOnDeadlock(() =>
      db.transaction(async (tx) => {
        const caller = await authorize(tx, ctx, 'evidence.upload');
        await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
        const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(evidence).where(eq(evidence.ticketId, ticketId));
        if (n + rows.length > limits.maxFilesPerTicket) {
          throw new AppError(
            'conflict',
            `Ticket T-${ticketId} now holds ${n} files and may hold ${limits.maxFilesPerTicket}: send at most ${Math.max(0, limits.maxFilesPerTicket - n)} more.`,
          );
        }
        const inserted = await tx.insert(evidence).values(rows).returning({ id: evidence.id });
        const evidenceIds = inserted.map((r) => r.id);
        if (idempotencyKey) {
          await tx.insert(evidenceUploads).values({ ticketId, actor: actorKey(caller), idempotencyKey, requestHash: hash, evidenceIds });
        }
        for (const [i, row] of rows.entries()) {
          await record(tx, {
            actor: auditActor(caller),
            action: 'evidence.uploaded',
            entityType: 'evidence',
            entityId: evidenceIds[i]!,
            after: {
              ticketId,
              originalName: row.originalName,
              mimeType: row.mimeType,
              sizeBytes: row.sizeBytes,
              sha256: row.sha256,
              width: row.width ?? null,
              height: row.height ?? null,
              perceptualHash: row.perceptualHash ?? null,
            },
            origin: ctx.origin,
          });
        }
        await notifyTicketChanged(tx, { id: ticketId, kind: 'updated' });
        return evidenceIds;
      }),
    ).catch(async (error: unknown) => {
      // Two requests with one key at once: the loser replays the winner (or conflicts).
      if (idempotencyKey && pgError(error)?.code === '23505') {
        const [earlier] = await db
          .select()
          .from(evidenceUploads)
          .where(and(eq(evidenceUploads.actor, actorKey(actor)), eq(evidenceUploads.idempotencyKey, idempotencyKey)));
        if (earlier) {
          const replay = await replayOf(
            { id: earlier.id, requestHash: earlier.requestHash, requestedBy: 0 },
            { hash, actorId: 0 },
            async () => earlier.evidenceIds,
          );
          if (replay) return { replayedIds: replay };
        }
      }
      throw error;
    });
    if (!Array.isArray(ids)) return { evidence: await loadEvidence(ids.replayedIds), replayed: true };
    return { evidence: await loadEvidence(ids), replayed: false };
  } finally {
    await discard(upload);
  }
}

/** What the upload routes share: read the multipart body as a stream, then upload. */
import type { NextRequest } from 'next/server';
import type { Ctx } from '@/lib/auth/actor';
import { evidenceLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { getDb } from '@/db';
import { created, Reply } from '@/lib/http';
import { resolveTicketRef } from '@/lib/intake/tickets';
import { receiveMultipart, type ReceivedUpload } from './multipart';
import { recordRequestRefusal, uploadEvidence } from './upload';

/** Multipart overhead allowed per file beyond its bytes (part headers, boundaries). */
const PART_OVERHEAD = 16 * 1024;

export async function handleUpload(ctx: Ctx, request: NextRequest, ticketParam: string, options: { requireIdempotencyKey: boolean }) {
  // The desk's ticket id, or `panel:<the panel's ticket id>` (as on every ticket path of the API).
  const ticketId = await resolveTicketRef(await getDb(), ticketParam);
  const idempotencyKey = request.headers.get('idempotency-key');
  let upload: ReceivedUpload;
  try {
    if (options.requireIdempotencyKey && !idempotencyKey) {
      throw new AppError(
        'invalid',
        'Idempotency-Key: send an Idempotency-Key header (8–200 characters, a fresh random value for each attempt).',
        {
          'Idempotency-Key': ['Required.'],
        },
      );
    }
    const limits = evidenceLimits();
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > limits.maxFilesPerTicket * (limits.maxFileBytes + PART_OVERHEAD)) {
      throw new AppError('too_large', `The request is larger than ${limits.maxFilesPerTicket} files of the largest size a file may have.`);
    }
    upload = await receiveMultipart(request.body, request.headers.get('content-type'), {
      maxFileBytes: limits.maxFileBytes,
      maxFiles: limits.maxFilesPerTicket,
    });
  } catch (error) {
    if (error instanceof AppError) await recordRequestRefusal(ctx, ticketId, error);
    throw error;
  }
  const result = await uploadEvidence(ctx, { ticketId, upload, idempotencyKey });
  return result.replayed
    ? new Reply({ evidence: result.evidence }, 200, { 'Idempotent-Replayed': 'true' })
    : created({ evidence: result.evidence });
}

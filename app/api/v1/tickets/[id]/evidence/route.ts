import { handleUpload } from '@/lib/evidence/transport';
import { route } from '@/lib/http';

/**
 * POST /api/v1/tickets/{id}/evidence — the panel forwards files the customer uploaded; `{id}` is the
 * desk's ticket id or `panel:<panel ticket id>`.
 * `Authorization: Bearer <API key with the evidence:write scope>`, `Idempotency-Key` header,
 * multipart/form-data with one or more files in the `file` field (read as a stream, never whole).
 * → 201 `{ evidence: [...] }`; the same key and files again → 200 with the same evidence
 * (`Idempotent-Replayed: true`); the same key with other files → 409; any refused file → 422 with
 * one sentence per file (`fieldErrors` by file name) and nothing stored.
 */
export const POST = route<{ id: string }>({ auth: { apiKey: 'evidence.upload' }, streamBody: true }, async ({ ctx, params, request }) =>
  handleUpload(ctx, request, params.id, { requireIdempotencyKey: true }),
);

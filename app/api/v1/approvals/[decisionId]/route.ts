import type { NextRequest } from 'next/server';
import { reviewDecision } from '@/lib/decisions';
import { AppError } from '@/lib/errors';
import { staffRoute } from '@/lib/http';

type Params = { decisionId: string };

/**
 * POST /api/v1/approvals/{decisionId} with `{ "approve": true }` or `{ "approve": false, "reason": "…" }`
 * (supervisors and admins) → 200 with the decision. An optional `Idempotency-Key` header is recorded
 * with the review; repeating a review returns the first result (see lib/decisions/README.md).
 */
export const POST = staffRoute<Params>(async (ctx, body, params, request: NextRequest) => {
  if (!/^[1-9]\d{0,14}$/.test(params.decisionId))
    throw new AppError('not_found', `There is no decision ${params.decisionId.slice(0, 40)}.`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid', 'The body must be a JSON object: { "approve": true } or { "approve": false, "reason": "…" }.');
  }
  for (const key of ['decisionId', 'idempotencyKey']) {
    if (key in body)
      throw new AppError('invalid', `${key}: comes from the URL and the Idempotency-Key header, not the body.`, {
        [key]: ['Not allowed in the body.'],
      });
  }
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  const result = await reviewDecision(ctx, { ...body, decisionId: Number(params.decisionId), idempotencyKey });
  return result.decision;
});

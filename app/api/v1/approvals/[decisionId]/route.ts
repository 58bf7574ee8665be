import { reviewDecision } from '@/lib/decisions';
import { idFromPath, jsonObject, refuseBodyFields, route } from '@/lib/http';

/**
 * POST /api/v1/approvals/{decisionId} with `{ "approve": true }` or `{ "approve": false, "reason": "…" }`
 * (supervisors and admins) → 200 with the decision. An optional `Idempotency-Key` header is recorded
 * with the review; repeating a review returns the first result (see lib/decisions/README.md).
 */
export const POST = route<{ decisionId: string }>({ auth: { staff: 'decisions.review' } }, async ({ ctx, body, params, request }) => {
  const decisionId = idFromPath(params.decisionId, 'decision');
  const input = jsonObject(body, '{ "approve": true } or { "approve": false, "reason": "…" }');
  refuseBodyFields(input, ['decisionId', 'idempotencyKey']);
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  const result = await reviewDecision(ctx, { ...input, decisionId, idempotencyKey });
  return result.decision;
});

import { created, route } from '@/lib/http';
import { upsertOrder, upsertOrderBatch } from '@/lib/intake/orders';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';

/**
 * POST /api/v1/orders — one order (201 new, 200 updated: `{ id, created }`) or `{ "orders": [...] }`
 * with 1–100 (200 `{ accepted, refused, results }`, each item accepted or refused with its reason),
 * upserted by the panel's order number (`intake:write`).
 */
export const POST = route(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body }) => {
    if (body && typeof body === 'object' && !Array.isArray(body) && 'orders' in body) return upsertOrderBatch(ctx, body);
    const result = await upsertOrder(ctx, body);
    return result.created ? created(result) : result;
  },
);

import { created, route } from '@/lib/http';
import { upsertCustomer } from '@/lib/intake/catalog';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';

/**
 * POST /api/v1/customers — one panel user, upserted by the panel user id (`intake:write`).
 * 201 `{ id, created: true }` for a new one, 200 for an update.
 */
export const POST = route(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body }) => {
    const result = await upsertCustomer(ctx, body);
    return result.created ? created(result) : result;
  },
);

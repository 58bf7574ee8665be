import { created, route } from '@/lib/http';
import { upsertService } from '@/lib/intake/catalog';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';

/**
 * POST /api/v1/services — one service of the panel's catalogue, upserted by its panel id
 * (`intake:write`). 201 `{ id, created: true }` for a new one, 200 for an update.
 */
export const POST = route(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body }) => {
    const result = await upsertService(ctx, body);
    return result.created ? created(result) : result;
  },
);

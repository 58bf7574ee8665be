import { created, route } from '@/lib/http';
import { recordPayment } from '@/lib/intake/payments';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';

/**
 * POST /api/v1/payments — a payment (`kind: "payment"`, upserted by its panel id: 201 new, 200
 * updated) or a later change of one (`kind`: credited, duplicate, dispute_opened, chargeback: 200),
 * `intake:write`.
 */
export const POST = route(
  { auth: { apiKey: 'intake.write' }, maxBodyBytes: MAX_INTAKE_BODY_BYTES, idempotent: true },
  async ({ ctx, body }) => {
    const result = await recordPayment(ctx, body);
    return result.created ? created(result) : result;
  },
);

import { z } from 'zod';

/** Retry one outbox job (the deliveries page). */
export const retryProviderJobSchema = z.object({
  jobId: z.coerce.number({ error: 'Choose a delivery.' }).int().positive('Choose a delivery.'),
});
export type RetryProviderJobInput = z.input<typeof retryProviderJobSchema>;

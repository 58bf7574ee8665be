import { z } from 'zod';

export const staffIdSchema = z.coerce.number({ error: 'Choose a staff member.' }).int().positive('Choose a staff member.');

export const setStaffActiveSchema = z.object({
  userId: staffIdSchema,
  isActive: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: 'Say whether the account is active (true or false).',
  }),
});
export type SetStaffActiveInput = z.input<typeof setStaffActiveSchema>;

export const setStaffRoleSchema = z.object({
  userId: staffIdSchema,
  role: z.enum(['agent', 'supervisor', 'admin'], { error: 'Choose a role: agent, supervisor or admin.' }),
});
export type SetStaffRoleInput = z.input<typeof setStaffRoleSchema>;

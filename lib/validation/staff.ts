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

/** NIST SP 800-63B: the length rule is checked here too (the list of common passwords only on the server). */
export const MIN_PASSWORD_LENGTH = 12;

const staffRoleSchema = z.enum(['agent', 'supervisor', 'admin'], { error: 'Choose a role: agent, supervisor or admin.' });

export const createStaffSchema = z.object({
  name: z.string().trim().min(1, 'Enter the person’s name.').max(120, 'Use at most 120 characters.'),
  email: z.string().trim().toLowerCase().min(1, 'Enter an email address.').email('Enter a valid email address.').max(254),
  role: staffRoleSchema,
});
export type CreateStaffInput = z.input<typeof createStaffSchema>;

export const staffUserSchema = z.object({ userId: staffIdSchema });
export type StaffUserInput = z.input<typeof staffUserSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(200, 'That password is too long.'),
    newPassword: z
      .string()
      .min(
        MIN_PASSWORD_LENGTH,
        `Use at least ${MIN_PASSWORD_LENGTH} characters; a few ordinary words in a row make a strong, memorable password.`,
      )
      .max(200, 'Use at most 200 characters.'),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords differ; type the same one twice.',
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

import { z } from 'zod';
import { textProblem } from './parse';

const safeText = (value: string) => !textProblem(value);

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address.')
    .email('Enter a valid email address.')
    .refine(safeText, 'Enter a valid email address.'),
  password: z
    .string()
    .min(1, 'Enter your password.')
    .max(200, 'That password is too long.')
    .refine(safeText, 'The password has a character that cannot be used.'),
});
export type LoginInput = z.infer<typeof loginSchema>;

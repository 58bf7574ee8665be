import type { z } from 'zod';
import { AppError } from '@/lib/errors';

const fieldName = (path: PropertyKey[]) => path.map(String).join('.') || 'input';

/** Parses with a shared schema; bad input becomes an `invalid` error naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) (fieldErrors[fieldName(issue.path)] ??= []).push(issue.message);
  const first = result.error.issues[0];
  const message = first ? `${fieldName(first.path)}: ${first.message}` : 'The input is not valid.';
  throw new AppError('invalid', message, fieldErrors);
}

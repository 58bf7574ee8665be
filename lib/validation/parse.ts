import type { z } from 'zod';
import { AppError } from '@/lib/errors';

const fieldName = (path: PropertyKey[]) => path.map(String).join('.') || 'input';

/** How deep a JSON input may nest; deeper input is refused before anything walks it recursively. */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a text value that PostgreSQL (or any reader) cannot take, or null. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'Remove the NUL character (\\u0000): text cannot contain it.';
  if (LONE_SURROGATE.test(value)) return 'The text has a broken character (a lone UTF-16 surrogate); send it as valid UTF-8.';
  return null;
}

/**
 * The same refusal inside a zod schema, with the same sentence, for text read without `parseInput`
 * (query strings read forgivingly): `z.string().superRefine(refuseUnsafeText)`.
 */
export function refuseUnsafeText(value: string, ctx: z.RefinementCtx<string>): void {
  const message = textProblem(value);
  if (message) ctx.addIssue({ code: 'custom', message, input: value });
}

/**
 * Finds, without recursion, the first string (value or key) that `textProblem` refuses, or nesting
 * deeper than MAX_INPUT_DEPTH. Returns the field path and the sentence, or null.
 */
export function findUnsafeInput(input: unknown): { path: PropertyKey[]; message: string } | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const message = textProblem(value);
      if (message) return { path, message };
    } else if (value && typeof value === 'object') {
      if (path.length >= MAX_INPUT_DEPTH)
        return { path, message: `Nested more than ${MAX_INPUT_DEPTH} levels deep; send a flatter value.` };
      for (const [key, child] of Object.entries(value)) {
        const message = textProblem(key);
        if (message) return { path, message: `A field name: ${message}` };
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return null;
}

function invalid(issues: { path: PropertyKey[]; message: string }[]): never {
  // A Map, then own properties: field names such as `constructor` or `__proto__` are fields like any other.
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const name = fieldName(issue.path);
    byField.set(name, [...(byField.get(name) ?? []), issue.message]);
  }
  const fieldErrors: Record<string, string[]> = Object.fromEntries(byField);
  const first = issues[0];
  const message = first ? `${fieldName(first.path)}: ${first.message}` : 'The input is not valid.';
  throw new AppError('invalid', message, fieldErrors);
}

/**
 * Refuses what `findUnsafeInput` finds (as `invalid`, naming where), before anything else reads the
 * input: `parseInput` does, and so does the route wrapper before it walks a body for its idempotency hash.
 */
export function refuseUnsafeInput(input: unknown): void {
  const unsafe = findUnsafeInput(input);
  if (unsafe) invalid([unsafe]);
}

/**
 * Parses with a shared schema; bad input becomes an `invalid` error naming each field. Text that
 * PostgreSQL would refuse (NUL, lone surrogates) and over-deep nesting are refused first, so they
 * never reach the database or a recursive walk.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  refuseUnsafeInput(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // An unknown field (strict objects) is named as its own field, not as the object holding it.
  invalid(
    result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'Unknown field: remove it.' }))
        : [issue],
    ),
  );
}

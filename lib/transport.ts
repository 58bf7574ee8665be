import { randomUUID } from 'node:crypto';
import { isAppError, type ErrorCode } from '@/lib/errors';

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: ErrorCode | 'internal';
      message: string;
      fieldErrors?: Record<string, string[]>;
      /** Facts the form shows beside the message (AppError's `details`). */
      details?: Record<string, unknown>;
    };

/**
 * Turns any error into a safe result. Typed errors keep their message; anything else is logged
 * with an id and reported as a generic sentence, so internals never reach the browser.
 */
export function toFailure(error: unknown): Extract<ActionResult<never>, { ok: false }> {
  if (isAppError(error)) {
    return {
      ok: false,
      code: error.code,
      message: error.message,
      fieldErrors: error.fieldErrors,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  const errorId = randomUUID().slice(0, 8);
  console.error(`[error ${errorId}]`, error);
  return {
    ok: false,
    code: 'internal',
    message: `Something went wrong on our side (error ${errorId}). Nothing was changed; please try again.`,
  };
}

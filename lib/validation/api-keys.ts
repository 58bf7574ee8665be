import { z } from 'zod';
import { isApiKeyScope, unknownScopesMessage } from '@/lib/api-keys/scopes';

export const API_KEY_NAME_MAX = 100;

/** An expiry: a day (`2027-01-01`, the key is refused from 00:00 UTC that day) or an ISO 8601 time with a zone; empty = never. */
const expiresSchema = z
  .union([z.string(), z.date(), z.null(), z.undefined()], { error: 'Give the expiry as a date (YYYY-MM-DD) or leave it empty.' })
  .transform((value, ctx) => {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
    const text = typeof value === 'string' ? value.trim() : null;
    const when =
      value instanceof Date
        ? value
        : /^\d{4}-\d{2}-\d{2}$/.test(text!)
          ? new Date(`${text}T00:00:00Z`)
          : z.iso.datetime({ offset: true }).safeParse(text).success
            ? new Date(text!)
            : null;
    if (!when || Number.isNaN(when.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'Give the expiry as a date (YYYY-MM-DD) or an ISO 8601 time with a time zone.' });
      return z.NEVER;
    }
    if (when.getTime() <= Date.now()) {
      ctx.addIssue({ code: 'custom', message: 'The expiry is in the past; choose a later date or leave it empty.' });
      return z.NEVER;
    }
    return when;
  });

/** `scopes` as a list, or one comma-separated string (the command line); every one must be in the permission table. */
const scopesSchema = z
  .union([z.array(z.string({ error: 'Give each scope as text.' })), z.string(), z.literal(false)], {
    error: 'Choose at least one scope.',
  })
  .transform((value, ctx) => {
    const list = value === false ? [] : typeof value === 'string' ? value.split(',') : value;
    const scopes = [...new Set(list.map((s) => s.trim()).filter(Boolean))];
    if (scopes.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Choose at least one scope.' });
      return z.NEVER;
    }
    const unknown = scopes.filter((s) => !isApiKeyScope(s));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: unknownScopesMessage(unknown) });
      return z.NEVER;
    }
    return scopes;
  });

export const createApiKeySchema = z.object({
  name: z
    .string({ error: 'Give the key a name.' })
    .trim()
    .min(1, 'Give the key a name, e.g. the system that will use it.')
    .max(API_KEY_NAME_MAX, `Use at most ${API_KEY_NAME_MAX} characters.`),
  scopes: scopesSchema,
  expiresAt: expiresSchema.optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({
  apiKeyId: z.coerce.number({ error: 'Choose an API key.' }).int().positive('Choose an API key.'),
});
export type RevokeApiKeyInput = z.input<typeof revokeApiKeySchema>;

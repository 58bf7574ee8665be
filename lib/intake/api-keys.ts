/**
 * API keys for machines (the panel). A key is `rdk_` + 43 random characters; only its SHA-256 is
 * stored (a key is high-entropy, so a fast hash is enough and lets us look it up by hash). The
 * plaintext is returned once, by `createApiKey`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { apiKeys } from '@/db/schema';
import { record, type AuditActor, type Origin } from '@/lib/audit';
import { AppError } from '@/lib/errors';

export const API_KEY_PREFIX = 'rdk_';
/** Lets a key post order events to `POST /api/v1/orders/{orderNumber}/events`. */
export const ORDER_EVENTS_SCOPE = 'order-events';

/** Who is calling, for core functions that machines call: the key (not its secret) and the request's origin. */
export interface ApiKeyCtx {
  apiKey: { id: number; name: string; scopes: string[] };
  origin: Origin;
}

export const hashApiKey = (plaintext: string) => createHash('sha256').update(plaintext, 'utf8').digest('hex');

/** How an API key appears in the audit log. */
export const apiKeyActor = (key: { name: string }): AuditActor => ({ id: null, label: `api-key:${key.name}`, role: null });

const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system', role: null };

/**
 * Creates a key and returns its plaintext; this is the only time it is seen (store it at once).
 * Audited, by `actor` (an admin through the admin screens; `system` for the demo's own key).
 */
export async function createApiKey(
  db: Db | Tx,
  input: { name: string; scopes: string[]; createdBy?: number | null; actor?: AuditActor; origin?: Origin },
): Promise<{ id: number; name: string; prefix: string; scopes: string[]; plaintext: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw new AppError('invalid', 'name: Give the key a name of 1 to 100 characters.', {
      name: ['Give the key a name of 1 to 100 characters.'],
    });
  const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0)
    throw new AppError('invalid', 'scopes: Give the key at least one scope.', { scopes: ['Give the key at least one scope.'] });
  const plaintext = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = plaintext.slice(0, API_KEY_PREFIX.length + 8);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name, prefix, keyHash: hashApiKey(plaintext), scopes, createdBy: input.createdBy ?? null })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes });
    await record(tx, {
      actor: input.actor ?? SYSTEM_ACTOR,
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: row!.id,
      after: { name, prefix, scopes },
      origin: input.origin ?? { via: 'system' },
    });
    return { ...row!, plaintext };
  });
}

const UNKNOWN_KEY = 'The API key is unknown or has been revoked.';

function checkScope(key: { name: string; scopes: string[] }, scope: string) {
  if (!key.scopes.includes(scope)) throw new AppError('forbidden', `The API key "${key.name}" does not have the "${scope}" scope.`);
}

/**
 * The caller behind `Authorization: Bearer rdk_…`: a known, unrevoked key with `scope`.
 * Missing, malformed, unknown or revoked → `unauthenticated` (401); without the scope → `forbidden` (403).
 * Notes when the key was last used (at most once a minute; bookkeeping, not audited).
 */
export async function authenticateApiKey(
  db: Db | Tx,
  header: string | null | undefined,
  scope: string,
  origin: Origin = { via: 'api' },
): Promise<ApiKeyCtx> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match) throw new AppError('unauthenticated', 'Send the API key in the Authorization header: "Authorization: Bearer rdk_…".');
  const plaintext = match[1]!;
  if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 200) throw new AppError('unauthenticated', UNKNOWN_KEY);
  const [key] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashApiKey(plaintext)));
  if (!key || key.revokedAt) throw new AppError('unauthenticated', UNKNOWN_KEY);
  checkScope(key, scope);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  return { apiKey: { id: key.id, name: key.name, scopes: key.scopes }, origin };
}

/** Re-reads the key inside a core function's transaction: revoked since → 401, scope removed → 403. */
export async function requireApiKey(tx: Db | Tx, ctx: ApiKeyCtx, scope: string): Promise<{ id: number; name: string; scopes: string[] }> {
  const [key] = await tx
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.id, ctx.apiKey.id));
  if (!key || key.revokedAt) throw new AppError('unauthenticated', UNKNOWN_KEY);
  checkScope(key, scope);
  return { id: key.id, name: key.name, scopes: key.scopes };
}

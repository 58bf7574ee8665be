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
import { auditActor, authorize, UNKNOWN_API_KEY, type ApiKeyCtx } from '@/lib/auth/actor';
import type { ApiKeyScope, Permission } from '@/lib/auth/permissions';

export const API_KEY_PREFIX = 'rdk_';
/** Lets a key post order events to `POST /api/v1/orders/{orderNumber}/events` (see ../auth/permissions). */
export const ORDER_EVENTS_SCOPE: ApiKeyScope = 'order-events';

export const hashApiKey = (plaintext: string) => createHash('sha256').update(plaintext, 'utf8').digest('hex');

const SYSTEM_ACTOR: AuditActor = auditActor({ kind: 'system', name: 'system' });

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
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row!.id,
      after: { name, prefix, scopes },
      origin: input.origin ?? { via: 'system' },
    });
    return { ...row!, plaintext };
  });
}

/**
 * The caller behind `Authorization: Bearer rdk_…`: a known, unrevoked key holding `permission`.
 * Missing, malformed, unknown or revoked → `unauthenticated` (401); without the scope → `forbidden` (403).
 * Notes when the key was last used (at most once a minute; bookkeeping, not audited). Core functions
 * re-read the key with `authorize` inside their transaction.
 */
export async function authenticateApiKey(
  db: Db | Tx,
  header: string | null | undefined,
  permission: Permission,
  origin: Origin = { via: 'api' },
): Promise<ApiKeyCtx> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match) throw new AppError('unauthenticated', 'Send the API key in the Authorization header: "Authorization: Bearer rdk_…".');
  const plaintext = match[1]!;
  if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 200) throw new AppError('unauthenticated', UNKNOWN_API_KEY);
  const [key] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashApiKey(plaintext)));
  if (!key) throw new AppError('unauthenticated', UNKNOWN_API_KEY);
  const ctx: ApiKeyCtx = { kind: 'api_key', apiKeyId: key.id, origin };
  await authorize(db, ctx, permission);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  return ctx;
}

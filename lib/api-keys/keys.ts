/**
 * API keys for machines (the panel). A key is `rdk_` + 43 random characters; only its SHA-256 is
 * stored (a key is high-entropy, so a fast hash is enough and lets us look it up by hash). The
 * plaintext is returned once, at creation.
 *
 * Admins manage keys (`staff.manage`) on /admin/api-keys; `npm run apikey:create` creates one as
 * the system actor. Every change is audited (`api_key.created`, `api_key.revoked`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db';
import { apiKeys, apiKeyUsage, staffUsers } from '@/db/schema';
import { record, type AuditActor, type Origin } from '@/lib/audit';
import { auditActor, authorize, authorizeStaff, type Actor, type Ctx } from '@/lib/auth/actor';
import type { ApiKeyScope } from '@/lib/auth/permissions';
import { formatUtcMinutes } from '@/lib/dates';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation/parse';
import { API_KEY_NAME_MAX, createApiKeySchema, revokeApiKeySchema } from '@/lib/validation/api-keys';

export const API_KEY_PREFIX = 'rdk_';
/** Lets a key post order events to `POST /api/v1/orders/{orderNumber}/events` (see ../auth/permissions). */
export const ORDER_EVENTS_SCOPE: ApiKeyScope = 'order-events';

export const hashApiKey = (plaintext: string) => createHash('sha256').update(plaintext, 'utf8').digest('hex');

const SYSTEM_ACTOR: AuditActor = auditActor({ kind: 'system', name: 'system' });

export interface CreatedApiKey {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  /** The key itself: shown once, never stored. */
  plaintext: string;
}

async function insertKey(
  tx: Tx,
  values: { name: string; scopes: string[]; expiresAt: Date | null; createdBy: number | null },
  audit: { actor: AuditActor; origin: Origin },
): Promise<CreatedApiKey> {
  const plaintext = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = plaintext.slice(0, API_KEY_PREFIX.length + 8);
  const [row] = await tx
    .insert(apiKeys)
    .values({ ...values, prefix, keyHash: hashApiKey(plaintext) })
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, expiresAt: apiKeys.expiresAt });
  await record(tx, {
    actor: audit.actor,
    action: 'api_key.created',
    entityType: 'api_key',
    entityId: row!.id,
    after: { name: values.name, prefix, scopes: values.scopes, ...(values.expiresAt ? { expiresAt: values.expiresAt.toISOString() } : {}) },
    origin: audit.origin,
  });
  return { ...row!, plaintext };
}

/**
 * Creates a key for trusted code of our own (tests, the demo's fake panel), audited as `actor`
 * (default `system`). No caller is authorized and the scopes are taken as given (tests make keys
 * with scopes no permission names); people and the command line go through `issueApiKey`.
 */
export async function createApiKey(
  db: Db | Tx,
  input: { name: string; scopes: string[]; expiresAt?: Date | null; createdBy?: number | null; actor?: AuditActor; origin?: Origin },
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (!name || name.length > API_KEY_NAME_MAX)
    throw new AppError('invalid', `name: Give the key a name of 1 to ${API_KEY_NAME_MAX} characters.`, {
      name: [`Give the key a name of 1 to ${API_KEY_NAME_MAX} characters.`],
    });
  const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0)
    throw new AppError('invalid', 'scopes: Give the key at least one scope.', { scopes: ['Give the key at least one scope.'] });
  return db.transaction((tx) =>
    insertKey(
      tx,
      { name, scopes, expiresAt: input.expiresAt ?? null, createdBy: input.createdBy ?? null },
      { actor: input.actor ?? SYSTEM_ACTOR, origin: input.origin ?? { via: 'system' } },
    ),
  );
}

/** Admins (and the system actor, for the command line): a person must hold `staff.manage`. */
const authorizeManager = (tx: Tx, ctx: Ctx): Promise<Actor> =>
  ctx.kind === 'system' ? authorize(tx, ctx, 'staff.manage') : authorizeStaff(tx, ctx, 'staff.manage');

/**
 * Creates a key — `{ name, scopes, expiresAt? }`, scopes from the permission table, expiry a day
 * (`YYYY-MM-DD`, from 00:00 UTC) or an ISO time — and returns it with its plaintext, shown once.
 * Admins only (checked inside the transaction); audited as `api_key.created`.
 */
export async function issueApiKey(ctx: Ctx, input: unknown): Promise<CreatedApiKey> {
  const values = parseInput(createApiKeySchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeManager(tx, ctx);
    return insertKey(
      tx,
      {
        name: values.name,
        scopes: values.scopes,
        expiresAt: values.expiresAt ?? null,
        createdBy: actor.kind === 'staff' ? actor.id : null,
      },
      { actor: auditActor(actor), origin: ctx.origin },
    );
  });
}

export interface ApiKeySummary {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  /** The admin who created it; null for the command line or the demo. */
  createdBy: { id: number; name: string; email: string } | null;
  lastUsedAt: Date | null;
  /** Requests let through today (UTC). */
  requestsToday: number;
  /** Requests refused by the rate limit today (UTC). */
  refusedToday: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

/** Every key (never its hash), newest first, with who made it, its use today and its status. Admins only. */
export async function listApiKeys(ctx: Ctx): Promise<ApiKeySummary[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await authorizeManager(tx, ctx);
    const today = sql`(now() at time zone 'utc')::date`;
    const rows = await tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        creatorId: staffUsers.id,
        creatorName: staffUsers.name,
        creatorEmail: staffUsers.email,
        lastUsedAt: sql<Date | null>`coalesce(${apiKeyUsage.lastUsedAt}, ${apiKeys.lastUsedAt})`.mapWith(apiKeys.lastUsedAt),
        requestsToday: sql<number>`case when ${apiKeyUsage.day} = ${today} then ${apiKeyUsage.requestsToday} else 0 end`.mapWith(Number),
        refusedToday: sql<number>`case when ${apiKeyUsage.day} = ${today} then ${apiKeyUsage.refusedToday} else 0 end`.mapWith(Number),
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
        isExpired: sql<boolean>`coalesce(${apiKeys.expiresAt} <= now(), false)`,
      })
      .from(apiKeys)
      .leftJoin(staffUsers, eq(staffUsers.id, apiKeys.createdBy))
      .leftJoin(apiKeyUsage, eq(apiKeyUsage.apiKeyId, apiKeys.id))
      .orderBy(desc(apiKeys.id));
    return rows.map(({ creatorId, creatorName, creatorEmail, isExpired, ...row }) => ({
      ...row,
      createdBy: creatorId === null ? null : { id: creatorId, name: creatorName!, email: creatorEmail! },
      status: row.revokedAt ? 'revoked' : isExpired ? 'expired' : 'active',
    }));
  });
}

/**
 * Revokes a key: its very next request is refused (401) on every instance. Admins only; audited as
 * `api_key.revoked`. Revoking a revoked key is a conflict naming when it happened.
 */
export async function revokeApiKey(ctx: Ctx, input: unknown) {
  const { apiKeyId } = parseInput(revokeApiKeySchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const actor = await authorizeManager(tx, ctx);
    const [before] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, apiKeyId))
      .for('update');
    if (!before) throw new AppError('not_found', `There is no API key with id ${apiKeyId}.`);
    if (before.revokedAt)
      throw new AppError('conflict', `The API key "${before.name}" was already revoked on ${formatUtcMinutes(before.revokedAt)}.`);
    const [after] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiKeys.id, apiKeyId))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt });
    await record(tx, {
      actor: auditActor(actor),
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: apiKeyId,
      before: { name: before.name, prefix: before.prefix, revoked: false },
      after: { revoked: true },
      origin: ctx.origin,
    });
    return after!;
  });
}

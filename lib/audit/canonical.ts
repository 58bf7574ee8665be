import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields of an audit row that its hash covers. */
export interface ChainedFields {
  seq: number;
  at: Date;
  actorId: number | null;
  actorLabel: string;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  origin: unknown;
}

export function hashEvent(prevHash: string, event: ChainedFields): string {
  // Named one by one: a stored row carries more columns (prev_hash, hash) than the hash covers.
  const body = canonicalJson({
    seq: event.seq,
    at: event.at.toISOString(),
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    actorRole: event.actorRole,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: event.before,
    after: event.after,
    reason: event.reason,
    origin: event.origin,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** What jsonb will give back for a value: dates become strings, undefined disappears. */
export function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

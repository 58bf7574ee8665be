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

/** The fields as read back for sealing or verifying: `at` may be the text `Date.toISOString` would give. */
export type HashableEvent = Omit<ChainedFields, 'at'> & { at: Date | string };

export function hashEvent(prevHash: string, event: HashableEvent): string {
  return createHash('sha256')
    .update(`${prevHash}\n${chainedBody(event)}`)
    .digest('hex');
}

/**
 * `canonicalJson` of the hashed fields, written out directly (the verifier hashes millions of
 * rows): the same text as `canonicalJson({ seq, at, actorId, … })`, keys in sorted order, a field
 * that is undefined left out. Fields named one by one: a stored row carries more columns (id,
 * prev_hash, hash) than the hash covers.
 */
export function chainedBody(event: HashableEvent): string {
  const at = typeof event.at === 'string' ? event.at : event.at.toISOString();
  let out = '';
  const field = (key: string, value: unknown) => {
    if (value === undefined) return;
    out += `${out ? ',' : ''}"${key}":${canonicalJson(value)}`;
  };
  // Sorted: action, actorId, actorLabel, actorRole, after, at, before, entityId, entityType, origin, reason, seq.
  field('action', event.action);
  field('actorId', event.actorId);
  field('actorLabel', event.actorLabel);
  field('actorRole', event.actorRole);
  field('after', event.after);
  field('at', at);
  field('before', event.before);
  field('entityId', event.entityId);
  field('entityType', event.entityType);
  field('origin', event.origin);
  field('reason', event.reason);
  field('seq', event.seq);
  return `{${out}}`;
}

/** What jsonb will give back for a value: dates become strings, undefined disappears. */
export function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

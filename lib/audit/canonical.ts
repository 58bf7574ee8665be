import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth: the same value always gives the same text. Written
 * with plain loops (no entries/filter/map arrays): the verifier runs it on millions of rows.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '';
    for (let i = 0; i < value.length; i += 1) out += `${i ? ',' : ''}${canonicalJson(value[i])}`;
    return `[${out}]`;
  }
  const object = value as Record<string, unknown>;
  // Default sort: UTF-16 code unit order, as `a < b` compares strings.
  const keys = Object.keys(object).sort();
  let out = '';
  for (const key of keys) {
    const v = object[key];
    if (v !== undefined) out += `${out ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `{${out}}`;
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
  // Sorted: action, actorId, actorLabel, actorRole, after, at, before, entityId, entityType, origin, reason, seq.
  let out = field('', 'action', event.action);
  out = field(out, 'actorId', event.actorId);
  out = field(out, 'actorLabel', event.actorLabel);
  out = field(out, 'actorRole', event.actorRole);
  out = field(out, 'after', event.after);
  out = field(out, 'at', at);
  out = field(out, 'before', event.before);
  out = field(out, 'entityId', event.entityId);
  out = field(out, 'entityType', event.entityType);
  out = field(out, 'origin', event.origin);
  out = field(out, 'reason', event.reason);
  out = field(out, 'seq', event.seq);
  return `{${out}}`;
}

/** `out` with `"key":value` appended (a field that is undefined left out). */
function field(out: string, key: string, value: unknown): string {
  return value === undefined ? out : `${out}${out ? ',' : ''}"${key}":${canonicalJson(value)}`;
}

/** What jsonb will give back for a value: dates become strings, undefined disappears. */
export function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

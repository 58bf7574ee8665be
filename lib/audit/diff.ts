/**
 * A field-by-field difference of an audit event's `before` and `after`, nested values too: every
 * leaf that was added, removed or changed, by its path (`findings.targetPublic`, `items[2].amount`).
 * Pure: used by the audit page and its tests.
 */
export interface DiffEntry {
  /** Dotted path; array items as `[i]`; the empty string for a value that is not an object. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const join = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`);

function walk(path: string, before: unknown, after: unknown, out: DiffEntry[]) {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ path, kind: 'added', after });
    return;
  }
  if (after === undefined) {
    out.push({ path, kind: 'removed', before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) walk(join(path, key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i += 1)
      walk(join(path, i), i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, kind: 'changed', before, after });
}

/**
 * The differences between two JSON values. A null or absent side (an event that creates or only
 * reads) lists every leaf of the other side as added (or removed). Unchanged leaves are omitted.
 */
export function diffValues(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk('', before ?? undefined, after ?? undefined, out);
  // A whole added/removed object is spelled out leaf by leaf, so every field reads on its own line.
  return out.flatMap((entry) => {
    if (entry.kind === 'changed') return [entry];
    const value = entry.kind === 'added' ? entry.after : entry.before;
    const found: [string, unknown][] = [];
    leaves(entry.path, value, found);
    if (found.length === 0) return [entry];
    return found.map(([path, leaf]) =>
      entry.kind === 'added' ? { path, kind: 'added' as const, after: leaf } : { path, kind: 'removed' as const, before: leaf },
    );
  });
}

function leaves(path: string, value: unknown, out: [string, unknown][]) {
  if (isObject(value)) for (const [key, v] of Object.entries(value)) leaves(join(path, key), v, out);
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(join(path, i), v, out));
  else out.push([path, value]);
}

/** A value as one short line for the diff table. */
export function showValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

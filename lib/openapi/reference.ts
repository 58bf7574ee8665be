/**
 * Reading the OpenAPI document for the reference page (/docs/api): fields of a body with their
 * types, a curl example per operation. Pure.
 */
import type { JsonSchema } from './document';

export interface Field {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** A readable type: `string (≤ 64)`, `number | string`, `"a" | "b"`, `array of Order`, `date-time`. */
export function typeText(schema: JsonSchema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const parts = ((schema.anyOf ?? schema.oneOf) as JsonSchema[]).map(typeText);
    return [...new Set(parts)].join(' | ');
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  const text = types
    .map((t) => {
      if (t === 'string' && schema.format === 'date-time') return 'date-time';
      if (t === 'string' && schema.format === 'email') return 'email';
      if (t === 'array') return `array of ${typeText(schema.items as JsonSchema)}`;
      if (t === 'integer') return 'integer';
      return t;
    })
    .join(' | ');
  const limits: string[] = [];
  if (typeof schema.minLength === 'number' && schema.minLength > 0) limits.push(`≥ ${schema.minLength} chars`);
  if (typeof schema.maxLength === 'number') limits.push(`≤ ${schema.maxLength} chars`);
  if (typeof schema.minItems === 'number') limits.push(`${schema.minItems}–${schema.maxItems ?? '∞'} items`);
  if (typeof schema.pattern === 'string' && schema.pattern.length <= 24) limits.push(`/${schema.pattern}/`);
  return limits.length ? `${text || 'any'} (${limits.join(', ')})` : text || 'any';
}

/** The fields of an object schema, required first. */
export function fieldsOf(schema: JsonSchema): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties)
    .map(([name, s]) => ({ name, type: typeText(s), required: required.has(name), description: String(s.description ?? '') }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}

/** The shapes a body may take: one object, or each branch of a union (with its description). */
export function variantsOf(schema: JsonSchema): { title: string; fields: Field[] }[] {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!branches) return [{ title: '', fields: fieldsOf(schema) }];
  return branches.map((b, i) => ({ title: String(b.description ?? `Variant ${i + 1}`), fields: fieldsOf(b) }));
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A copy-paste curl call. */
export function curlExample(input: {
  baseUrl: string;
  method: string;
  path: string;
  pathExamples?: Record<string, string>;
  body?: unknown;
  /** Files sent as a form (`-F file=@…`), not JSON. */
  multipart?: boolean;
  idempotent: boolean;
}): string {
  const path = input.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.pathExamples?.[name] ?? name));
  const lines = [
    `curl -X ${input.method.toUpperCase()} ${shellQuote(`${input.baseUrl}/api/v1${path}`)}`,
    `  -H "Authorization: Bearer $REFUND_DESK_KEY"`,
  ];
  if (input.body !== undefined && input.multipart) {
    if (input.idempotent) lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
    lines.push(`  -F 'file=@screenshot.png'`);
  } else if (input.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    if (input.idempotent) lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
    lines.push(`  -d ${shellQuote(JSON.stringify(input.body, null, 2))}`);
  }
  return lines.join(' \\\n');
}

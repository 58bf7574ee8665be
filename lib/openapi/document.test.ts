import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { validate, compileErrors } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, PERMISSIONS } from '@/lib/auth/permissions';
import { openApiDocument, scopesOf } from './document';
import { OPERATIONS } from './operations';
import { WEBHOOK_KINDS } from './webhooks';
import { providerJobKind } from '@/db/schema';
import { orderEventInputSchema } from '@/lib/validation/intake';

type Doc = {
  paths: Record<
    string,
    Record<string, { security: { apiKey: string[] }[]; parameters?: { $ref?: string; name?: string }[]; 'x-permission': string }>
  >;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }> };
};
const doc = () => JSON.parse(JSON.stringify(openApiDocument())) as Doc;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? routeFiles(path) : name === 'route.ts' ? [path] : [];
  });
}

/** The API-key routes under app/api/v1: method, OpenAPI path, permission. */
function apiKeyRoutes() {
  const root = join(process.cwd(), 'app/api/v1');
  return routeFiles(root).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const permissions = [...text.matchAll(/apiKey:\s*'([\w.:-]+)'/g)].map((m) => m[1]!);
    if (!permissions.length) return [];
    const path =
      '/' +
      relative(root, file)
        .split(sep)
        .slice(0, -1)
        .map((part) => part.replace(/^\[(\w+)\]$/, '{$1}'))
        .join('/');
    const methods = [...text.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) =>
      m[1]!.toLowerCase(),
    );
    return methods.map((method) => ({ file: relative(process.cwd(), file), method, path, permissions }));
  });
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@readme/openapi-parser)', async () => {
    const result = await validate(doc() as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(openApiDocument().openapi).toMatch(/^3\.1\./);
  });

  it('lists every route file under app/api/v1 that takes an API key, with its scopes', () => {
    const routes = apiKeyRoutes();
    expect(routes.length).toBeGreaterThan(0);
    const d = doc();
    for (const r of routes) {
      const op = d.paths[r.path]?.[r.method];
      expect(op, `${r.method.toUpperCase()} ${r.path} (${r.file}) is missing from the document`).toBeDefined();
      expect(r.permissions).toContain(op!['x-permission']);
      expect(op!.security[0]!.apiKey).toEqual(scopesOf(op!['x-permission']));
    }
  });

  it('names a real permission with at least one API-key scope for each operation', () => {
    for (const op of OPERATIONS) {
      expect(Object.keys(PERMISSIONS), op.operationId).toContain(op.permission);
      const scopes = scopesOf(op.permission);
      expect(scopes.length, op.operationId).toBeGreaterThan(0);
      for (const s of scopes) expect(API_KEY_SCOPES as readonly string[]).toContain(s);
    }
  });

  it('takes Idempotency-Key on every POST and answers problem+json errors with Retry-After on 429', () => {
    const d = doc() as unknown as Doc & { components: { responses: Record<string, { headers?: Record<string, unknown> }> } };
    for (const [path, methods] of Object.entries(d.paths))
      if (methods.post)
        expect(
          methods.post.parameters?.some((p) => p.$ref === '#/components/parameters/IdempotencyKey'),
          path,
        ).toBe(true);
    expect(d.components.responses.E429!.headers).toHaveProperty('Retry-After');
    for (const s of [400, 401, 403, 404, 409, 413, 415, 422, 429]) expect(d.components.responses).toHaveProperty(`E${s}`);
  });

  it('describes request bodies as strict input and documents every field', () => {
    const d = doc();
    for (const name of ['Service', 'Customer', 'Ticket', 'TicketMessage']) {
      const schema = d.components.schemas[name]!;
      expect(schema.additionalProperties, name).toBe(false);
      for (const [field, s] of Object.entries(schema.properties ?? {}))
        expect((s as { description?: string }).description, `${name}.${field}`).toBeTruthy();
    }
  });

  it('has a webhook for every kind of outbox job', () => {
    expect(Object.keys(doc().webhooks).sort()).toEqual([...providerJobKind.enumValues].sort());
    expect(Object.keys(WEBHOOK_KINDS).sort()).toEqual([...providerJobKind.enumValues].sort());
  });
});

describe('the examples', () => {
  it('pass the schemas they illustrate (bodies as the server parses them, answers as described)', () => {
    for (const op of OPERATIONS) {
      if (op.body) {
        const examples = op.body.examples ? Object.values(op.body.examples).map((e) => e.value) : [op.body.example];
        for (const example of examples) {
          const body = op.path.endsWith('/events') ? { ...(example as object), orderNumber: '918273' } : example;
          const schema = op.path.endsWith('/events') ? orderEventInputSchema : op.body.schema;
          const result = schema.safeParse(body);
          expect(result.success, `${op.operationId}: ${result.error?.message}`).toBe(true);
        }
      }
      for (const [status, r] of Object.entries(op.responses))
        if (r.example !== undefined) expect(r.schema.safeParse(r.example).success, `${op.operationId} ${status}`).toBe(true);
    }
  });
});

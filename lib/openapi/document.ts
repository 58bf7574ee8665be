/**
 * The OpenAPI 3.1 document of the panel-facing API (`GET /api/v1/openapi.json`, and the reference
 * page /docs/api), generated from the zod schemas the server validates with: request bodies with
 * zod 4's `z.toJSONSchema(schema, { io: 'input' })`, answers with `io: 'output'`.
 */
import { z } from 'zod';
import { PERMISSIONS } from '@/lib/auth/permissions';
import { MAX_INTAKE_BODY_BYTES } from '@/lib/intake/schemas';
import { OPERATIONS, type Operation } from './operations';
import { WEBHOOK_EXAMPLE, WEBHOOK_HEADERS, WEBHOOK_KINDS, SIGNATURE_TOLERANCE_S } from './webhooks';

export type JsonSchema = Record<string, unknown>;

/** One schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), without `$schema` and the long date-time regexes. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  if (out.$defs) throw new Error('A schema with $defs: give it a component of its own.');
  return tidy(out) as JsonSchema;
}

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // `format: date-time` says it; the generated regex is 400 characters of noise for readers.
    if (k === 'pattern' && (node as JsonSchema).format === 'date-time') continue;
    out[k] = tidy(v);
  }
  return out;
}

/** The API-key scopes that hold a permission (the permission table is the one source). */
export function scopesOf(permission: string): string[] {
  const rule = (PERMISSIONS as Record<string, { scopes: readonly string[] } | undefined>)[permission];
  return rule ? [...rule.scopes] : [];
}

export const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: the body is not JSON, or a header (such as Idempotency-Key) is malformed.',
  401: 'No API key, an unknown, expired or revoked one.',
  403: 'The key lacks the scope of this operation.',
  404: 'Something named in the path or body does not exist.',
  409: 'Conflict: the Idempotency-Key was used for another request, or the same request is still being worked on (retry), or an event id was reused.',
  413: `The body is larger than allowed (${MAX_INTAKE_BODY_BYTES / 1024 / 1024} MB for intake).`,
  415: 'The body is not sent as `Content-Type: application/json`.',
  422: 'The body does not pass the checks: `fieldErrors` names every bad field, including unknown ones.',
  429: 'Too many requests for this key: wait `Retry-After` seconds.',
};

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: '`about:blank#<code>`.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: {
      type: 'string',
      enum: [
        'bad_request',
        'unauthenticated',
        'forbidden',
        'not_found',
        'conflict',
        'too_large',
        'unsupported_media_type',
        'invalid',
        'rate_limited',
        'internal',
      ],
    },
    detail: { type: 'string', description: 'A sentence naming what was wrong.' },
    fieldErrors: {
      type: 'object',
      description: 'Field path (dotted, e.g. `orders.3.status`) → what is wrong with it.',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
};

const ERROR_EXAMPLES: Record<number, Record<string, unknown>> = {
  422: {
    type: 'about:blank#invalid',
    title: 'Invalid request',
    status: 422,
    code: 'invalid',
    detail: 'status: Unknown status "Done": use Pending, In progress, Processing, Partial, Completed, Canceled.',
    fieldErrors: { status: ['Unknown status "Done": use Pending, In progress, Processing, Partial, Completed, Canceled.'] },
  },
  429: {
    type: 'about:blank#rate_limited',
    title: 'Too many requests',
    status: 429,
    code: 'rate_limited',
    detail: 'Too many requests for this API key: try again in 1 second.',
  },
};

const STATUS_CODE: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'invalid',
  429: 'rate_limited',
};

function errorResponses(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, text] of Object.entries(ERROR_TEXT)) {
    const code = Number(status);
    out[`E${status}`] = {
      description: text,
      ...(code === 429 && {
        headers: {
          'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer', minimum: 1 } },
        },
      }),
      ...(code === 401 && {
        headers: { 'WWW-Authenticate': { description: '`Bearer realm="refund-desk"`.', schema: { type: 'string' } } },
      }),
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          example: ERROR_EXAMPLES[code] ?? {
            type: `about:blank#${STATUS_CODE[code]}`,
            title: STATUS_CODE[code],
            status: code,
            code: STATUS_CODE[code],
            detail: text,
          },
        },
      },
    };
  }
  return out;
}

function operationObject(op: Operation, schemas: Record<string, JsonSchema>) {
  const scopes = scopesOf(op.permission);
  const parameters: unknown[] = [];
  for (const p of op.pathParams ?? [])
    parameters.push({
      name: p.name,
      in: 'path',
      required: true,
      description: p.description,
      schema: { type: 'string' },
      example: p.example,
    });
  if (op.query) {
    const q = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), description, schema: rest });
    }
  }
  if (op.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });

  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    schemas[r.name] ??= jsonSchema(r.schema, 'output');
    responses[status] = {
      description: r.description,
      ...(op.idempotent && { headers: { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } }),
      content: {
        'application/json': { schema: { $ref: `#/components/schemas/${r.name}` }, ...(r.example !== undefined && { example: r.example }) },
      },
    };
  }
  for (const status of op.errors) responses[String(status)] = { $ref: `#/components/responses/E${status}` };

  let requestBody: unknown;
  if (op.body) {
    schemas[op.body.name] ??= jsonSchema(op.body.schema, 'input');
    requestBody = {
      required: true,
      content: {
        [op.body.multipart ? 'multipart/form-data' : 'application/json']: {
          schema: { $ref: `#/components/schemas/${op.body.name}` },
          ...(op.body.examples ? { examples: op.body.examples } : { example: op.body.example }),
        },
      },
    };
  }

  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description}\n\nScope: ${scopes.map((s) => `\`${s}\``).join(' or ') || '(none)'}.${op.maxBodyBytes ? ` Bodies up to ${op.maxBodyBytes / 1024 / 1024} MB.` : ''}`,
    security: [{ apiKey: scopes }],
    'x-permission': op.permission,
    'x-scopes': scopes,
    ...(parameters.length && { parameters }),
    ...(requestBody !== undefined && { requestBody }),
    responses,
  };
}

function webhooks(schemas: Record<string, JsonSchema>) {
  const out: Record<string, unknown> = {};
  const header = (name: string, description: string, example: string) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema: { type: 'string' },
    example,
  });
  for (const [kind, w] of Object.entries(WEBHOOK_KINDS)) {
    const name = `Webhook_${kind}`;
    schemas[name] = jsonSchema(w.body, 'output');
    out[kind] = {
      post: {
        operationId: `webhook_${kind}`,
        summary: w.summary,
        description: `${w.description}\n\nSent to \`PANEL_WEBHOOK_URL\`, signed (see the security section of /docs/api). Retried with backoff until a 2xx; a 4xx other than 408/429 is treated as a configuration problem and retried slowly.`,
        parameters: [
          header(WEBHOOK_HEADERS.eventId, 'The event id (the body’s `eventId`): de-duplicate by it.', WEBHOOK_EXAMPLE.eventId),
          header(
            WEBHOOK_HEADERS.timestamp,
            `Unix seconds when signed; refuse it when more than ${SIGNATURE_TOLERANCE_S} s from your clock.`,
            '1795795200',
          ),
          header(
            WEBHOOK_HEADERS.signature,
            '`sha256=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with `PANEL_WEBHOOK_SECRET`.',
            'sha256=5d2b…',
          ),
          header(WEBHOOK_HEADERS.attempt, 'The attempt number, from 1.', '1'),
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: `#/components/schemas/${name}` },
              ...(kind === 'credit_granted' && { example: WEBHOOK_EXAMPLE }),
            },
          },
        },
        responses: {
          '2XX': { description: 'Received (also for an event id handled before: do not act twice).' },
          default: { description: 'Anything else: the desk retries.' },
        },
      },
    };
  }
  return out;
}

let cached: Record<string, unknown> | null = null;

/** The document (built once per process: it depends only on code). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const schemas: Record<string, JsonSchema> = { Problem: problemSchema };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op, schemas);
  const hooks = webhooks(schemas);
  cached = {
    openapi: '3.1.1',
    info: {
      title: 'Refund Desk panel API',
      version: '1',
      summary: 'How an SMM panel hands its catalogue, orders, payments and refund tickets to Refund Desk, and what the desk sends back.',
      description:
        'Every call carries `Authorization: Bearer <API key>` (keys are made by admins on /admin/api-keys or with `npm run apikey:create`), each operation needs one scope. Every POST takes an `Idempotency-Key`. Unknown fields are refused; errors are RFC 9457 problem+json naming every bad field. Readable reference: /docs/api.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/api/v1' }],
    tags: [
      { name: 'Catalogue', description: 'Services and customers.' },
      { name: 'Orders', description: 'Orders and what happens to them.' },
      { name: 'Payments', description: 'Top-ups and their later changes.' },
      { name: 'Tickets', description: 'Tickets, customer replies, status and decisions.' },
    ],
    paths,
    webhooks: hooks,
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'rdk_…',
          description: 'An API key with the scopes the operation lists.',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A fresh random value (a UUID) per request; send the same value when retrying it. A repeat of the same request gets the first answer (with `Idempotent-Replayed: true`); the same key with another request gets 409.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
          example: '3f1e9c52-2b7a-4c1e-8f77-1d2a6c0b9e40',
        },
      },
      headers: {
        IdempotentReplayed: {
          description: '`true` when this is the stored answer of an earlier request with the same key.',
          schema: { type: 'string' },
        },
      },
      responses: errorResponses(),
    },
  };
  return cached;
}

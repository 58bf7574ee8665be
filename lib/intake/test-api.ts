/**
 * For the intake API's tests: calling the real route handlers (as Next would) with an API key,
 * and counting what the database holds, to show that a refused request wrote nothing.
 */
import { sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import type { Db } from '@/db';
import { createApiKey } from './api-keys';

export type Handler<P> = (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>;

export interface CallOptions<P> {
  method?: 'GET' | 'POST' | 'PATCH';
  /** The path and query (`/api/v1/orders`). */
  path: string;
  params?: P;
  /** A value to send as JSON, or a string sent as it is. */
  body?: unknown;
  key?: string;
  idempotencyKey?: string;
  contentType?: string | null;
  /** More headers (a staff call's Origin), set last. */
  headers?: Record<string, string>;
}

export async function call<P = Record<string, never>>(handler: Handler<P>, options: CallOptions<P>) {
  const headers: Record<string, string> = { 'user-agent': 'panel-test/1' };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  Object.assign(headers, options.headers);
  const method = options.method ?? 'POST';
  const request = new NextRequest(`http://localhost${options.path}`, {
    method,
    headers,
    ...(method !== 'GET' && { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return {
    status: response.status,
    headers: response.headers,
    json: json as Record<string, unknown> & { fieldErrors?: Record<string, string[]> },
  };
}

let keys = 0;
/** A new API key with these scopes; its plaintext. */
export async function apiKey(db: Db, scopes: string[]): Promise<{ id: number; plaintext: string }> {
  const key = await createApiKey(db, { name: `intake-test-${(keys += 1)}-${process.pid}`, scopes });
  return { id: key.id, plaintext: key.plaintext };
}

/** The tables the intake writes to. */
export const INTAKE_TABLES = [
  'services',
  'customers',
  'orders',
  'order_events',
  'payments',
  'tickets',
  'ticket_messages',
  'audit_events',
  'api_idempotency_keys',
] as const;

/** Rows per table the intake writes to, and a digest of their contents (updates count too). */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of INTAKE_TABLES) {
    const result = await db.execute(
      sql.raw(`select count(*)::text as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${table} t`),
    );
    const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as { n: string; h: string };
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

const uid = () => Math.random().toString(36).slice(2, 10);
const past = (ms = 3_600_000) => new Date(Date.now() - ms).toISOString();

/** Valid bodies, each with fresh panel ids. */
export const bodies = {
  service: (over: Record<string, unknown> = {}) => ({
    id: `svc-${uid()}`,
    name: 'Instagram Followers [R30]',
    category: 'Instagram Followers',
    rate: '0.27819',
    currency: 'USD',
    min: 10,
    max: 100000,
    refill: true,
    refillDays: 30,
    cancel: true,
    ...over,
  }),
  customer: (over: Record<string, unknown> = {}) => {
    const id = uid();
    return {
      id: `cus-${id}`,
      username: `user_${id}`,
      email: `user_${id}@customer.example`,
      currency: 'USD',
      createdAt: past(86_400_000),
      ...over,
    };
  },
  order: (customer: string, service: string, over: Record<string, unknown> = {}) => ({
    number: `${Math.floor(Math.random() * 1e9)}`,
    customer,
    service,
    link: 'https://instagram.com/acme ',
    quantity: '1000',
    charge: '0.27819',
    currency: 'USD',
    startCount: '3572',
    remains: '157',
    status: 'Partial',
    createdAt: past(7_200_000),
    ...over,
  }),
  payment: (customer: string, over: Record<string, unknown> = {}) => ({
    kind: 'payment',
    id: `pay-${uid()}`,
    customer,
    method: 'card',
    processor: 'Stripe',
    transactionId: `ch_${uid()}`,
    amount: '25.12345678',
    currency: 'USD',
    paidAt: past(),
    ...over,
  }),
  ticket: (customer: string, over: Record<string, unknown> = {}) => ({
    panelId: `T-${uid()}`,
    customer,
    claim: 'partial_delivery',
    requestedRemedy: 'balance_credit',
    orderNumber: null,
    link: null,
    explanation: 'Only part arrived',
    message: 'Hello, my order stopped half way.',
    ...over,
  }),
};

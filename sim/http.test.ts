import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, retryAfterMs, send } from './http';
import type { SimRequest } from './world';

/** A stand-in server answering from a script, recording what it received. */
let server: Server;
let baseUrl: string;
let script: { status: number; headers?: Record<string, string>; body: unknown }[] = [];
const seen: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      const next = script.shift() ?? { status: 500, body: {} };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request: SimRequest = { seq: 1, kind: 'order', method: 'POST', path: '/orders', body: { number: '1' }, idempotencyKey: 'sim-1-abc' };

describe('sending a request', () => {
  it('sends the key, JSON and the Idempotency-Key; waits Retry-After on 429 and retries "still being worked on" with the same key', async () => {
    seen.length = 0;
    script = [
      { status: 429, headers: { 'retry-after': '0' }, body: { code: 'rate_limited' } },
      {
        status: 409,
        body: { code: 'conflict', detail: 'A request with this Idempotency-Key is still being worked on; send it again in a moment.' },
      },
      { status: 201, body: { id: '1', created: true } },
    ];
    const pauses: number[] = [];
    const answer = await send({ baseUrl, key: 'rdk_test', onRetryAfter: (ms) => pauses.push(ms) }, request);
    expect(answer).toMatchObject({ status: 201, attempts: 3, rateLimited: 1, body: { id: '1', created: true } });
    expect(pauses.length).toBe(1);
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['sim-1-abc', 'sim-1-abc', 'sim-1-abc']);
    expect(seen[0]!.headers.authorization).toBe('Bearer rdk_test');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body)).toEqual({ number: '1' });
  });

  it('gives a refusal back as it is (no retry)', async () => {
    seen.length = 0;
    script = [{ status: 409, body: { code: 'conflict', detail: 'This Idempotency-Key was already used for a different request.' } }];
    const answer = await send({ baseUrl, key: 'k' }, request);
    expect(answer.status).toBe(409);
    expect(seen.length).toBe(1);
  });

  it('reads Retry-After as seconds or a date, and percentiles', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '@/lib/provider/signature';
import { webhookBody } from '@/lib/provider/worker';
import { NODE_VERIFY_SNIPPET, PHP_VERIFY_SNIPPET, WEBHOOK_KINDS } from './webhooks';

type Verify = (rawBody: string, headers: Record<string, string>, secret: string, toleranceSeconds?: number) => boolean;

const SECRET = 'a-panel-webhook-secret-of-32-chars';
let dir: string;
let verify: Verify;

beforeAll(async () => {
  // The snippet exactly as the reference page shows it, loaded as an ES module.
  dir = mkdtempSync(join(tmpdir(), 'snippet-'));
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, NODE_VERIFY_SNIPPET);
  ({ verifyRefundDeskWebhook: verify } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
    verifyRefundDeskWebhook: Verify;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A body and headers exactly as the worker sends them (lib/provider). */
function delivery(now = Date.now()) {
  const job = {
    eventId: '7f0c7d2e-3f7a-4d0e-9a55-0d5b8a1c2e11',
    kind: 'credit_granted' as const,
    createdAt: new Date('2026-11-27T16:00:00Z'),
    payload: { ticketId: 1, customerExternalId: '58213', amount: '4.20', currency: 'USD', ledgerEntryId: 7, message: 'Ünïcode ✓' },
  };
  const body = webhookBody(job);
  return { body, headers: signatureHeaders(SECRET, job.eventId, body, now), job };
}

describe('the Node verification snippet of /docs/api', () => {
  it('accepts what lib/provider signs', () => {
    const { body, headers } = delivery();
    expect(verify(body, headers, SECRET)).toBe(true);
  });

  it('refuses another secret, a changed body, a stale timestamp and a malformed signature', () => {
    const { body, headers } = delivery();
    expect(verify(body, headers, 'another-secret-another-secret')).toBe(false);
    expect(verify(body.replace('4.20', '42.0'), headers, SECRET)).toBe(false);
    const old = delivery(Date.now() - 10 * 60_000);
    expect(verify(old.body, old.headers, SECRET)).toBe(false);
    expect(verify(body, { ...headers, 'x-refund-desk-signature': 'sha256=zz' }, SECRET)).toBe(false);
    expect(verify(body, { ...headers, 'x-refund-desk-timestamp': '' }, SECRET)).toBe(false);
  });

  it('describes every field the worker sends', () => {
    const { body } = delivery();
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(WEBHOOK_KINDS.credit_granted.body.safeParse(parsed).success).toBe(true);
  });

  it('has a PHP twin using the same text to sign', () => {
    expect(PHP_VERIFY_SNIPPET).toContain("hash_hmac('sha256', $timestamp . '.' . $rawBody, $secret)");
    expect(PHP_VERIFY_SNIPPET).toContain('HTTP_X_REFUND_DESK_SIGNATURE');
    expect(PHP_VERIFY_SNIPPET).toContain('hash_equals');
  });
});

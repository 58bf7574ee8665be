import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePanel, type FakePanel } from './fake-panel';
import { HEADER_EVENT_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, signatureHeaders, signWebhook, verifyWebhook } from './signature';

const SECRET = 'test-secret-0123456789abcdef';

describe('verifyWebhook', () => {
  const body = '{"eventId":"e1","kind":"refill"}';
  const now = Date.UTC(2026, 10, 27, 16, 0, 0);
  const ts = Math.floor(now / 1000);

  it('accepts the signature of these bytes at this time, and nothing else', () => {
    const signature = signWebhook(SECRET, ts, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook({ secret: SECRET, body, timestamp: String(ts), signature, now })).toEqual({ ok: true, timestamp: ts });
    expect(verifyWebhook({ secret: SECRET, body: body.replace('refill', 'cancel'), timestamp: String(ts), signature, now })).toMatchObject({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifyWebhook({ secret: 'another-secret-0123456789', body, timestamp: String(ts), signature, now })).toMatchObject({
      ok: false,
    });
    expect(verifyWebhook({ secret: SECRET, body, timestamp: String(ts + 1), signature, now })).toMatchObject({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifyWebhook({ secret: SECRET, body, timestamp: String(ts), signature: 'sha256=abc', now })).toMatchObject({ ok: false });
    expect(verifyWebhook({ secret: SECRET, body, timestamp: null, signature, now })).toMatchObject({ ok: false });
  });

  it('allows five minutes of clock difference either way', () => {
    for (const skew of [-300, 300]) {
      const signature = signWebhook(SECRET, ts + skew, body);
      expect(verifyWebhook({ secret: SECRET, body, timestamp: String(ts + skew), signature, now }).ok).toBe(true);
    }
    for (const skew of [-301, 301]) {
      const signature = signWebhook(SECRET, ts + skew, body);
      expect(verifyWebhook({ secret: SECRET, body, timestamp: String(ts + skew), signature, now })).toMatchObject({
        ok: false,
        reason: 'stale timestamp',
      });
    }
  });
});

describe('the fake panel checks signatures', () => {
  let panel: FakePanel;
  beforeAll(async () => {
    panel = await startFakePanel({ secret: SECRET, log: () => {} });
  });
  afterAll(() => panel.close());

  const post = (body: string, headers: Record<string, string>) =>
    fetch(panel.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const bodyFor = (eventId: string) =>
    JSON.stringify({ eventId, kind: 'credit_granted', occurredAt: new Date().toISOString(), customerExternalId: 'c-1', amount: '1.50' });

  it('accepts a correctly signed webhook (200) and acts on it', async () => {
    const body = bodyFor('sig-ok');
    const response = await post(body, signatureHeaders(SECRET, 'sig-ok', body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, duplicate: false });
    expect(panel.acted).toContain('sig-ok');
  });

  it('rejects a wrong signature, a stale timestamp and a modified body with 401, acting on none', async () => {
    const body = bodyFor('sig-bad');
    const wrong = {
      ...signatureHeaders(SECRET, 'sig-bad', body),
      [HEADER_SIGNATURE]: signWebhook('not-the-secret-at-all', Math.floor(Date.now() / 1000), body),
    };
    const staleTs = Math.floor(Date.now() / 1000) - 600;
    const stale = {
      [HEADER_EVENT_ID]: 'sig-bad',
      [HEADER_TIMESTAMP]: String(staleTs),
      [HEADER_SIGNATURE]: signWebhook(SECRET, staleTs, body),
    };
    const modified = signatureHeaders(SECRET, 'sig-bad', body);
    const responses = [
      await post(body, wrong),
      await post(body, stale),
      await post(body.replace('1.50', '150.00'), modified),
      await post(body, { [HEADER_EVENT_ID]: 'sig-bad' }),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(await responses[1]!.json()).toEqual({ error: 'invalid signature: stale timestamp' });
    expect(panel.acted).not.toContain('sig-bad');
  });

  it('answers a repeat of an event id with 200 without acting again', async () => {
    const body = bodyFor('sig-twice');
    for (let i = 0; i < 3; i += 1) expect((await post(body, signatureHeaders(SECRET, 'sig-twice', body))).status).toBe(200);
    expect(panel.acted.filter((id) => id === 'sig-twice')).toHaveLength(1);
    expect(panel.received.filter((r) => r.eventId === 'sig-twice').map((r) => r.note)).toEqual([null, 'duplicate', 'duplicate']);
  });

  it('refuses a body whose event id differs from the header, and answers 503 while down', async () => {
    const body = bodyFor('sig-a');
    expect((await post(body, signatureHeaders(SECRET, 'sig-b', body))).status).toBe(400);
    panel.setDown(true);
    try {
      expect((await post(body, signatureHeaders(SECRET, 'sig-a', body))).status).toBe(503);
    } finally {
      panel.setDown(false);
    }
    expect(panel.acted).not.toContain('sig-a');
  });
});

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFakePanel } from './fake-panel';
import { signatureHeaders } from './signature';

const SECRET = 'fake-panel-test-secret-0123456789';

const sendWebhook = (url: string, body: Record<string, unknown>) => {
  const raw = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(SECRET, String(body.eventId), raw) },
    body: raw,
  });
};

async function readAll(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('the fake panel', () => {
  it('posts the order events of a cancel back to the intake endpoint, in order, with its API key', async () => {
    const requests: { url: string; authorization: string | undefined; body: Record<string, unknown> }[] = [];
    const app = createServer((req, res) => {
      void readAll(req).then((body) => {
        requests.push({ url: req.url!, authorization: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const panel = await startFakePanel({
      secret: SECRET,
      appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/`,
      apiKey: 'rdk_test',
      followUpDelayMs: 20,
      log: () => {},
    });
    try {
      const response = await sendWebhook(panel.url, {
        eventId: 'evt-cancel',
        kind: 'cancel',
        occurredAt: new Date().toISOString(),
        customerExternalId: 'c-1',
        orderNumber: 'A 17/2',
        amount: '12.50',
        currency: 'USD',
      });
      expect(response.status).toBe(200);
      await panel.idle();
      expect(requests.map((r) => [r.url, r.authorization, r.body.kind, r.body.eventId])).toEqual([
        ['/api/v1/orders/A%2017%2F2/events', 'Bearer rdk_test', 'cancel_requested', 'evt-cancel:cancel_requested'],
        ['/api/v1/orders/A%2017%2F2/events', 'Bearer rdk_test', 'cancel_result', 'evt-cancel:cancel_result'],
      ]);
      expect(requests[0]!.body).toMatchObject({ data: { requestEventId: 'evt-cancel' }, at: expect.any(String) });
      // The panel's side of the cancel protocol: it cancels and refunds the charge itself, naming the request it answers.
      expect(requests[1]!.body).toMatchObject({
        data: { status: 'Canceled', requestEventId: 'evt-cancel', refunded: '12.50', currency: 'USD' },
      });
      expect(panel.posted.map((p) => p.status)).toEqual([201, 201]);
    } finally {
      await panel.close();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });

  it('fails at the configured rate without remembering the event, so a retry is acted on', async () => {
    const panel = await startFakePanel({ secret: SECRET, failRate: 1, log: () => {} });
    try {
      const body = { eventId: 'evt-flaky', kind: 'credit_granted', occurredAt: new Date().toISOString(), customerExternalId: 'c-1' };
      expect((await sendWebhook(panel.url, body)).status).toBe(503);
      expect(panel.acted).toEqual([]);
      panel.setFailRate(0);
      expect((await sendWebhook(panel.url, body)).status).toBe(200);
      expect(panel.acted).toEqual(['evt-flaky']);
    } finally {
      await panel.close();
    }
  });
});

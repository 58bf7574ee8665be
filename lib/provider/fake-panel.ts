/**
 * A stand-in for the SMM panel's webhook receiver, for the demo, end-to-end runs and tests.
 *
 * It checks each webhook's signature and timestamp (bad → 401), remembers event ids and answers a
 * repeat with 200 without acting again (the de-duplication that makes at-least-once delivery
 * exactly-once), and for reprocess / refill / cancel posts plausible order events back to the
 * Refund Desk intake endpoint, as a real panel would once its provider answers. Its follow-up events
 * carry event ids derived from the webhook's, so even a restarted fake panel (which has forgotten
 * what it saw) cannot record them twice: the intake endpoint is idempotent by event id too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEADER_EVENT_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifyWebhook } from './signature';

export interface PanelOrderEvent {
  eventId: string;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface ReceivedWebhook {
  at: Date;
  eventId: string | null;
  kind: string | null;
  status: number;
  /** Why it was refused, or `duplicate` for a repeat that was acknowledged without acting. */
  note: string | null;
}

export interface PostedEvent {
  orderNumber: string;
  event: PanelOrderEvent;
  /** The intake endpoint's HTTP status; null when it could not be reached. */
  status: number | null;
}

export interface FakePanelOptions {
  secret: string;
  port?: number;
  host?: string;
  /** Where to post order events back (the Refund Desk) and with which API key. */
  appUrl?: string | null;
  apiKey?: string | null;
  /** Share of valid webhooks answered 503 at random (0–1). */
  failRate?: number;
  /** Delay before the second follow-up event (e.g. status_changed after reprocess_sent). */
  followUpDelayMs?: number;
  /**
   * Share of cancels refused (0–1) because "the order has already started" (default 0): the panel
   * answers `cancel_result` Rejected with the order now `processing`, and refunds nothing.
   */
  cancelRefuseRate?: number;
  log?: (line: string) => void;
  random?: () => number;
  /** Replaces the HTTP post to the intake endpoint (tests). */
  postEvent?: (orderNumber: string, event: PanelOrderEvent) => Promise<number | null>;
}

export interface FakePanel {
  url: string;
  port: number;
  /** Every webhook request, with the answer given. */
  received: ReceivedWebhook[];
  /** Event ids acted upon, in order: each at most once. */
  acted: string[];
  /** The bodies of the webhooks acted upon, by event id. */
  bodies: Map<string, Record<string, unknown>>;
  posted: PostedEvent[];
  /** While down, every webhook is answered 503. */
  setDown: (down: boolean) => void;
  setFailRate: (rate: number) => void;
  /** Share of cancels refused as already started (0–1). */
  setCancelRefuseRate: (rate: number) => void;
  /** Resolves when every follow-up event scheduled so far has been posted. */
  idle: () => Promise<void>;
  close: () => Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The order events a panel would report after acting on a webhook: [delay, event] pairs.
 *
 * A `cancel` is the panel's side of the cancel protocol (README, webhooks): it records the request
 * (`cancel_requested`), then either cancels the order and refunds its charge to the balance itself
 * (`cancel_result` `Canceled`, `refunded` = the charge, the order now canceled) or, when the order
 * has already started, refuses (`cancel_result` `Rejected`, `orderStatus: processing`, nothing
 * refunded). Both name the webhook they answer (`requestEventId`).
 */
export function followUpsFor(
  body: Record<string, unknown>,
  delayMs: number,
  now = Date.now(),
  { refuseCancel = false }: { refuseCancel?: boolean } = {},
): { delayMs: number; event: Omit<PanelOrderEvent, 'at'> }[] {
  const id = String(body.eventId);
  const refillId = `R${id.replace(/[^0-9a-f]/gi, '').slice(0, 8)}`;
  switch (body.kind) {
    case 'reprocess':
      return [
        {
          delayMs: 0,
          event: {
            eventId: `${id}:reprocess_sent`,
            kind: 'reprocess_sent',
            data: { via: 'refund-desk', requestedAt: new Date(now).toISOString() },
          },
        },
        {
          delayMs,
          event: { eventId: `${id}:status_changed`, kind: 'status_changed', data: { to: 'processing', providerStatus: 'In progress' } },
        },
      ];
    case 'refill':
      return [
        { delayMs: 0, event: { eventId: `${id}:refill_requested`, kind: 'refill_requested', data: { refillId, via: 'refund-desk' } } },
        { delayMs, event: { eventId: `${id}:refill_result`, kind: 'refill_result', data: { refillId, status: 'Completed' } } },
      ];
    case 'cancel':
      return [
        {
          delayMs: 0,
          event: { eventId: `${id}:cancel_requested`, kind: 'cancel_requested', data: { via: 'refund-desk', requestEventId: id } },
        },
        {
          delayMs,
          event: {
            eventId: `${id}:cancel_result`,
            kind: 'cancel_result',
            data: refuseCancel
              ? {
                  status: 'Rejected',
                  requestEventId: id,
                  message: 'The order has already started at the provider.',
                  orderStatus: 'processing',
                  providerStatus: 'In progress',
                }
              : {
                  status: 'Canceled',
                  requestEventId: id,
                  refunded: typeof body.amount === 'string' ? body.amount : null,
                  currency: typeof body.currency === 'string' ? body.currency : null,
                  providerStatus: 'Canceled',
                },
          },
        },
      ];
    default:
      return [];
  }
}

/** Starts the fake panel; port 0 (the default) picks a free one. */
export async function startFakePanel(options: FakePanelOptions): Promise<FakePanel> {
  const log = options.log ?? ((line: string) => console.log(line));
  const random = options.random ?? Math.random;
  const followUpDelayMs = options.followUpDelayMs ?? 2_000;
  let down = false;
  let failRate = options.failRate ?? 0;
  let cancelRefuseRate = options.cancelRefuseRate ?? 0;
  const received: ReceivedWebhook[] = [];
  const acted: string[] = [];
  const bodies = new Map<string, Record<string, unknown>>();
  const posted: PostedEvent[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  let closing = false;

  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (closing) return resolve(false);
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!closing);
      }, ms);
      timers.set(timer, () => resolve(false));
    });

  const postEvent =
    options.postEvent ??
    (async (orderNumber: string, event: PanelOrderEvent): Promise<number | null> => {
      if (!options.appUrl || !options.apiKey) {
        log(`[fake-panel] would post ${event.kind} for order ${orderNumber}, but APP_URL or PANEL_API_KEY is not set`);
        return null;
      }
      const url = `${options.appUrl.replace(/\/$/, '')}/api/v1/orders/${encodeURIComponent(orderNumber)}/events`;
      for (let attempt = 1; ; attempt += 1) {
        let status: number | null = null;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
            body: JSON.stringify(event),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          if (response.ok || (status >= 400 && status < 500 && status !== 429)) {
            if (!response.ok)
              log(`[fake-panel] intake refused ${event.kind} for order ${orderNumber}: ${status} ${(await response.text()).slice(0, 300)}`);
            return status;
          }
        } catch (error) {
          const cause = (error as Error & { cause?: { code?: string } }).cause;
          log(`[fake-panel] could not reach ${url}: ${cause?.code ?? (error as Error).message}`);
        }
        if (attempt >= 5 || !(await wait(500 * 2 ** attempt))) return status;
      }
    });

  const track = (promise: Promise<unknown>) => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };

  /** Posts the follow-up events one after the other, each after its delay and the previous one's answer. */
  function schedule(orderNumber: string, steps: ReturnType<typeof followUpsFor>) {
    track(
      (async () => {
        for (const step of steps) {
          if (!(await wait(step.delayMs))) return;
          const full: PanelOrderEvent = { ...step.event, at: new Date().toISOString() };
          try {
            const status = await postEvent(orderNumber, full);
            posted.push({ orderNumber, event: full, status });
            log(`[fake-panel] posted ${full.kind} for order ${orderNumber} → ${status ?? 'unreachable'}`);
          } catch (error) {
            log(`[fake-panel] posting ${full.kind} failed: ${(error as Error).message}`);
          }
        }
      })(),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method === 'GET' && req.url === '/health')
      return send(res, 200, { ok: true, down, received: received.length, acted: acted.length });
    if (req.method === 'GET' && req.url === '/events') return send(res, 200, { received, posted });
    if (req.method !== 'POST') return send(res, 405, { error: 'POST webhooks here' });
    const raw = await readBody(req);
    const answer = (status: number, eventId: string | null, kind: string | null, note: string | null, body: unknown) => {
      received.push({ at: new Date(), eventId, kind, status, note });
      log(`[fake-panel] ${kind ?? '?'} ${eventId ?? '(no event id)'} → ${status}${note ? ` (${note})` : ''}`);
      send(res, status, body);
    };
    const headerId = req.headers[HEADER_EVENT_ID];
    const eventId = typeof headerId === 'string' ? headerId : null;
    if (raw === null) return answer(413, eventId, null, 'body too large', { error: 'body too large' });
    if (down) return answer(503, eventId, null, 'down', { error: 'panel is down for maintenance' });
    const check = verifyWebhook({
      secret: options.secret,
      body: raw,
      timestamp: req.headers[HEADER_TIMESTAMP] as string | undefined,
      signature: req.headers[HEADER_SIGNATURE] as string | undefined,
    });
    if (!check.ok) return answer(401, eventId, null, check.reason, { error: `invalid signature: ${check.reason}` });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return answer(400, eventId, null, 'body is not a JSON object', { error: 'body must be a JSON object' });
    }
    const kind = typeof body.kind === 'string' ? body.kind : null;
    if (!eventId || body.eventId !== eventId)
      return answer(400, eventId, kind, 'event id header and body differ', { error: 'X-Refund-Desk-Event-Id must equal body.eventId' });
    if (failRate > 0 && random() < failRate) return answer(503, eventId, kind, 'random failure', { error: 'temporarily unavailable' });
    if (bodies.has(eventId)) return answer(200, eventId, kind, 'duplicate', { ok: true, duplicate: true });

    bodies.set(eventId, body);
    acted.push(eventId);
    answer(200, eventId, kind, null, { ok: true, duplicate: false });
    const orderNumber = typeof body.orderNumber === 'string' && body.orderNumber ? body.orderNumber : null;
    const followUps = followUpsFor(body, followUpDelayMs, Date.now(), {
      refuseCancel: kind === 'cancel' && cancelRefuseRate > 0 && random() < cancelRefuseRate,
    });
    if (followUps.length && !orderNumber) log(`[fake-panel] ${kind} ${eventId} names no order number; nothing to do`);
    if (orderNumber && followUps.length) schedule(orderNumber, followUps);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[fake-panel] error: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/webhook`;

  return {
    url,
    port,
    received,
    acted,
    bodies,
    posted,
    setDown: (value) => {
      down = value;
    },
    setFailRate: (rate) => {
      failRate = rate;
    },
    setCancelRefuseRate: (rate) => {
      cancelRefuseRate = rate;
    },
    idle: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    close: async () => {
      closing = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The NOTIFY channel on which a new outbox job wakes the workers (polling still covers a missed one). */
export const PROVIDER_JOBS_CHANNEL = 'provider_jobs';

export interface DeliveryConfig {
  /** Where the panel receives the webhooks; null: delivery is off and jobs stay pending. */
  url: string | null;
  /** The HMAC key shared with the panel. */
  secret: string;
  /** How often the worker looks for due jobs when nothing woke it. */
  pollMs: number;
  /** How long one request may take, answer included. */
  timeoutMs: number;
  /** After this many failed attempts a job is `failed` and no longer retried. */
  maxAttempts: number;
  /** First retry delay; doubled on every further failure, capped at `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /**
   * How long a claimed job is reserved for the worker that claimed it. A worker that dies between
   * claiming and recording the answer leaves the job for another worker after this much time.
   */
  leaseMs: number;
  /** Jobs claimed per round. */
  batchSize: number;
}

export const DELIVERY_DEFAULTS = {
  pollMs: 1_000,
  timeoutMs: 10_000,
  maxAttempts: 12,
  baseBackoffMs: 10_000,
  maxBackoffMs: 3_600_000,
  leaseMs: 60_000,
  batchSize: 10,
} as const;

type Env = Record<string, string | undefined>;

export class DeliveryConfigError extends Error {
  override name = 'DeliveryConfigError';
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new DeliveryConfigError(`${name} must be a positive whole number of milliseconds (got "${raw}").`);
  return n;
}

/**
 * Reads the delivery settings: PANEL_WEBHOOK_URL, PANEL_WEBHOOK_SECRET (required with a URL),
 * WORKER_POLL_MS. Throws DeliveryConfigError with a message meant for the operator.
 */
export function readDeliveryConfig(env: Env = process.env): DeliveryConfig {
  const rawUrl = env.PANEL_WEBHOOK_URL?.trim() || null;
  let url: string | null = null;
  if (rawUrl) {
    let parsed: URL;
    try {
      parsed = new URL(rawUrl);
    } catch {
      throw new DeliveryConfigError(`PANEL_WEBHOOK_URL is not a URL: "${rawUrl}".`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new DeliveryConfigError('PANEL_WEBHOOK_URL must be an http:// or https:// URL.');
    url = parsed.toString();
  }
  const secret = env.PANEL_WEBHOOK_SECRET ?? '';
  if (url && secret.length < 16) {
    throw new DeliveryConfigError(
      'PANEL_WEBHOOK_SECRET is not set (or shorter than 16 characters). It is required when PANEL_WEBHOOK_URL is set: the panel checks every webhook’s signature with it. Use a long random string, for example `openssl rand -hex 32`, and give the panel the same value.',
    );
  }
  const timeoutMs = positiveInt(env, 'PANEL_WEBHOOK_TIMEOUT_MS', DELIVERY_DEFAULTS.timeoutMs);
  return {
    url,
    secret,
    pollMs: positiveInt(env, 'WORKER_POLL_MS', DELIVERY_DEFAULTS.pollMs),
    timeoutMs,
    maxAttempts: DELIVERY_DEFAULTS.maxAttempts,
    baseBackoffMs: DELIVERY_DEFAULTS.baseBackoffMs,
    maxBackoffMs: DELIVERY_DEFAULTS.maxBackoffMs,
    leaseMs: Math.max(DELIVERY_DEFAULTS.leaseMs, timeoutMs * 3),
    batchSize: DELIVERY_DEFAULTS.batchSize,
  };
}

/** A value kept in a file of `.data/`, generated once (the embedded demo's secrets). */
export function keptValue(file: string, generate: () => string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generate(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The embedded demo's webhook secret: PANEL_WEBHOOK_SECRET when set, otherwise generated once into
 * `.data/panel-webhook-secret` (as lib/config.ts does for NEXTAUTH_SECRET) and put in the environment.
 */
export function ensureEmbeddedWebhookSecret(dataDir: string): string {
  process.env.PANEL_WEBHOOK_SECRET ||= keptValue(path.join(dataDir, 'panel-webhook-secret'), () => randomBytes(32).toString('hex'));
  return process.env.PANEL_WEBHOOK_SECRET;
}

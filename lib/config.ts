import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DATA_DIR = path.join(process.cwd(), '.data');

/**
 * Makes sure NEXTAUTH_SECRET is set. On the embedded database a secret is generated once and kept
 * in .data/; on PostgreSQL (production) a missing secret is an error with a clear message.
 */
export function ensureAuthSecret(): void {
  if (process.env.NEXTAUTH_SECRET) return;
  if (process.env.DATABASE_URL) {
    throw new Error(
      'NEXTAUTH_SECRET is not set. Refund Desk refuses to start on PostgreSQL without it: set NEXTAUTH_SECRET to a long random string (for example `openssl rand -base64 32`), the same on every instance.',
    );
  }
  const file = path.join(DATA_DIR, 'nextauth-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  process.env.NEXTAUTH_SECRET = readFileSync(file, 'utf8').trim();
}

/** ensureAuthSecret for process entry points: a missing production secret stops the process with its message. */
export function ensureAuthSecretOrExit(): void {
  try {
    ensureAuthSecret();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}

/** The per-API-key rate limit: a token bucket refilled at `perSecond` up to `burst` tokens. */
export interface ApiRateLimit {
  /** Requests per second a key may keep up; 0 turns the limit off (requests are still counted). */
  perSecond: number;
  /** How many requests a key may send at once after a quiet moment (the bucket's size). */
  burst: number;
}

export const DEFAULT_API_RATE_LIMIT: ApiRateLimit = { perSecond: 50, burst: 100 };

/**
 * `API_RATE_LIMIT_PER_SECOND` (default 50; 0 = no limit) and `API_RATE_LIMIT_BURST` (default twice
 * the rate, at least 1). A value that is not a number, or a negative one, is an error naming it.
 */
export function readApiRateLimit(env: Record<string, string | undefined> = process.env): ApiRateLimit {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min)
      throw new Error(`${name} is not valid: give a number of at least ${min} (got "${raw.slice(0, 40)}").`);
    return value;
  };
  const perSecond = read('API_RATE_LIMIT_PER_SECOND', DEFAULT_API_RATE_LIMIT.perSecond, 0);
  const defaultBurst = env.API_RATE_LIMIT_PER_SECOND?.trim() ? Math.max(1, Math.ceil(perSecond * 2)) : DEFAULT_API_RATE_LIMIT.burst;
  return { perSecond, burst: read('API_RATE_LIMIT_BURST', defaultBurst, 1) };
}

export interface EvidenceLimits {
  /** Largest file accepted, in bytes (`EVIDENCE_MAX_FILE_BYTES`, default 10 MB). */
  maxFileBytes: number;
  /** Files a ticket may hold (`EVIDENCE_MAX_FILES_PER_TICKET`, default 20). */
  maxFilesPerTicket: number;
  /** Largest image accepted, in pixels (`EVIDENCE_MAX_PIXELS`, default 40 megapixels). */
  maxPixels: number;
}

function positiveIntEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number; it is "${raw}".`);
  return value;
}

/** The evidence upload limits, read at every call (tests and operators change them through the environment). */
export function evidenceLimits(): EvidenceLimits {
  return {
    maxFileBytes: positiveIntEnv('EVIDENCE_MAX_FILE_BYTES', 10 * 1024 * 1024),
    maxFilesPerTicket: positiveIntEnv('EVIDENCE_MAX_FILES_PER_TICKET', 20),
    maxPixels: positiveIntEnv('EVIDENCE_MAX_PIXELS', 40_000_000),
  };
}

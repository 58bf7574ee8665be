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

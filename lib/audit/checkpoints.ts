/**
 * Signed checkpoints of the audit chain's head, kept outside PostgreSQL.
 *
 * A hash chain alone cannot show that its newest events were deleted (or all of them, or rewritten
 * by someone who holds the database superuser): what is left still links up. So every
 * AUDIT_CHECKPOINT_EVERY events or AUDIT_CHECKPOINT_SECONDS seconds the worker signs the head
 * (seq, hash, time) with Ed25519 and appends it to AUDIT_CHECKPOINT_FILE (JSON Lines, append-only)
 * and, with AUDIT_CHECKPOINT_WEBHOOK=1, sends it to the panel through the outbox. `audit:verify
 * --checkpoints FILE` then checks the chain against every checkpoint.
 */
import { randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { providerJobs } from '@/db/schema';
import { DATA_DIR } from '@/lib/config';
import { canonicalJson } from './canonical';
import type { ChainHead } from './sealer';
import { auditKeyId } from './signing';

export interface Checkpoint {
  seq: number;
  hash: string;
  /** When the head was signed (ISO 8601, UTC). */
  at: string;
  /** Which key signed it (`auditKeyId`). */
  keyId: string;
  /** Ed25519 signature of `checkpointMessage`, base64. */
  sig: string;
}

export interface CheckpointConfig {
  file: string;
  everyEvents: number;
  everyMs: number;
  webhook: boolean;
}

type Env = Record<string, string | undefined>;

export const CHECKPOINT_DEFAULTS = { everyEvents: 1_000, everySeconds: 60 } as const;

/**
 * AUDIT_CHECKPOINT_FILE, or `.data/audit-checkpoints.jsonl`. An embedded database in another folder
 * (PGLITE_DIR: tests, end-to-end runs) keeps its own file beside that folder, so checkpoints of one
 * database are never checked against another.
 */
export const defaultCheckpointFile = (env: Env = process.env) =>
  env.AUDIT_CHECKPOINT_FILE ||
  (!env.DATABASE_URL && env.PGLITE_DIR
    ? `${env.PGLITE_DIR.replace(/\/+$/, '')}.audit-checkpoints.jsonl`
    : path.join(DATA_DIR, 'audit-checkpoints.jsonl'));

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}").`);
  return n;
}

/**
 * AUDIT_CHECKPOINT_FILE (default .data/audit-checkpoints.jsonl), AUDIT_CHECKPOINT_EVERY (events,
 * default 1000), AUDIT_CHECKPOINT_SECONDS (default 60), AUDIT_CHECKPOINT_WEBHOOK=1 (also to the panel).
 */
export function readCheckpointConfig(env: Env = process.env): CheckpointConfig {
  return {
    file: defaultCheckpointFile(env),
    everyEvents: Math.round(positive(env, 'AUDIT_CHECKPOINT_EVERY', CHECKPOINT_DEFAULTS.everyEvents)),
    everyMs: positive(env, 'AUDIT_CHECKPOINT_SECONDS', CHECKPOINT_DEFAULTS.everySeconds) * 1000,
    webhook: env.AUDIT_CHECKPOINT_WEBHOOK === '1' && Boolean(env.PANEL_WEBHOOK_URL),
  };
}

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`refund-desk audit checkpoint v1\n${canonicalJson({ seq: c.seq, hash: c.hash, at: c.at })}`);
}

export function signCheckpoint(head: ChainHead, key: KeyObject, at: Date = new Date()): Checkpoint {
  const body = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...body, keyId: auditKeyId(key), sig: sign(null, checkpointMessage(body), key).toString('base64') };
}

export function checkpointSignatureOk(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.sig, 'base64'));
  } catch {
    return false;
  }
}

/** Appends one line and flushes it to disk before returning. */
export function appendCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o644);
  try {
    appendFileSync(fd, `${JSON.stringify(checkpoint)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type CheckpointLine = { line: number; checkpoint: Checkpoint } | { line: number; error: string };

/** Every line of a checkpoint file, parsed (a line that is not a checkpoint is reported, not skipped). */
export function readCheckpointFile(file: string): CheckpointLine[] {
  if (!existsSync(file)) return [];
  const out: CheckpointLine[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        const c = JSON.parse(text) as Checkpoint;
        if (!Number.isSafeInteger(c.seq) || typeof c.hash !== 'string' || typeof c.at !== 'string' || typeof c.sig !== 'string')
          throw new Error('missing seq, hash, at or sig');
        out.push({ line: i + 1, checkpoint: c });
      } catch (error) {
        out.push({ line: i + 1, error: (error as Error).message });
      }
    });
  return out;
}

/** The newest checkpoint of a file (by seq), or null. */
export function lastCheckpoint(file: string): Checkpoint | null {
  let last: Checkpoint | null = null;
  for (const entry of readCheckpointFile(file))
    if ('checkpoint' in entry && (!last || entry.checkpoint.seq >= last.seq)) last = entry.checkpoint;
  return last;
}

/** Puts a checkpoint in the outbox as an `audit_checkpoint` webhook to the panel. */
export async function enqueueCheckpointWebhook(db: Db, checkpoint: Checkpoint): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(providerJobs)
      .values({ eventId: randomUUID(), kind: 'audit_checkpoint', payload: { checkpoint } })
      .returning({ id: providerJobs.id });
    await tx.execute(sql`select pg_notify('provider_jobs', ${String(row!.id)})`);
  });
}

/**
 * Decides when to checkpoint: the head moved, and `everyEvents` events or `everyMs` passed since the
 * last checkpoint (read from the file at start, so a restart does not repeat one).
 */
export class Checkpointer {
  private last: { seq: number; atMs: number } | null;

  constructor(
    private readonly db: Db,
    private readonly key: KeyObject,
    private readonly config: CheckpointConfig,
    private readonly now: () => number = Date.now,
  ) {
    const last = lastCheckpoint(config.file);
    this.last = last ? { seq: last.seq, atMs: Date.parse(last.at) } : null;
  }

  /** Writes a checkpoint of `head` when one is due (or `force`d and the head moved); returns it. */
  async maybeCheckpoint(head: ChainHead | null, force = false): Promise<Checkpoint | null> {
    if (!head || head.seq === this.last?.seq) return null;
    if (this.last && head.seq < this.last.seq)
      throw new Error(
        `the audit chain now ends at seq ${head.seq}, before the last checkpoint (seq ${this.last.seq}): events were deleted; run audit:verify`,
      );
    const due =
      force || !this.last || head.seq - this.last.seq >= this.config.everyEvents || this.now() - this.last.atMs >= this.config.everyMs;
    if (!due) return null;
    const checkpoint = signCheckpoint(head, this.key, new Date(this.now()));
    appendCheckpoint(this.config.file, checkpoint);
    this.last = { seq: head.seq, atMs: this.now() };
    if (this.config.webhook) await enqueueCheckpointWebhook(this.db, checkpoint);
    return checkpoint;
  }
}

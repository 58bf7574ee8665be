import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Evidence files on disk, content-addressed: the key is the SHA-256 of the bytes, the file lives at
 * `<dir>/ab/cd/<sha256>.<ext>`, so the same file is stored once and a key can never point outside
 * the directory. Writes are atomic (temporary file + rename) and idempotent.
 */

export interface StoredEvidence {
  storageKey: string;
  sha256: string;
  size: number;
  /** The type sniffed from the bytes; application/octet-stream when unknown. */
  mimeType: string;
}

/** `EVIDENCE_DIR`, or `<cwd>/.data/evidence`; read at every call so tests can point it elsewhere. */
export function evidenceDir(): string {
  return process.env.EVIDENCE_DIR ?? path.join(process.cwd(), '.data', 'evidence');
}

const KEY = /^[0-9a-f]{64}$/;

export class InvalidEvidenceKeyError extends Error {
  constructor(key: unknown) {
    super(`Invalid evidence key ${JSON.stringify(String(key).slice(0, 80))}: expected 64 lowercase hex digits`);
    this.name = 'InvalidEvidenceKeyError';
  }
}

export const isEvidenceKey = (key: unknown): key is string => typeof key === 'string' && KEY.test(key);

interface Sniffed {
  mimeType: string;
  ext: string;
}

const TYPES: readonly (Sniffed & { magic: readonly number[]; offset?: number })[] = [
  { mimeType: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimeType: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { mimeType: 'image/gif', ext: 'gif', magic: [0x47, 0x49, 0x46, 0x38] },
  { mimeType: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mimeType: 'image/webp', ext: 'webp', magic: [0x57, 0x45, 0x42, 0x50], offset: 8 },
];
const UNKNOWN: Sniffed = { mimeType: 'application/octet-stream', ext: 'bin' };
const EXTENSIONS = [...TYPES.map((t) => t.ext), UNKNOWN.ext];

/** The file type from its first bytes, never from a name. */
export function sniffType(bytes: Uint8Array): Sniffed {
  for (const type of TYPES) {
    const offset = type.offset ?? 0;
    if (bytes.length >= offset + type.magic.length && type.magic.every((b, i) => bytes[offset + i] === b)) {
      if (type.ext === 'webp' && !(bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46)) continue;
      return { mimeType: type.mimeType, ext: type.ext };
    }
  }
  return UNKNOWN;
}

function filePath(dir: string, key: string, ext: string): string {
  return path.join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.${ext}`);
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Stores `bytes` (no-op when the same content is already stored) and returns its key. */
export async function putEvidence(bytes: Uint8Array, dir = evidenceDir()): Promise<StoredEvidence> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { mimeType, ext } = sniffType(bytes);
  const target = filePath(dir, sha256, ext);
  if (!(await exists(target))) {
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }
  return { storageKey: sha256, sha256, size: bytes.byteLength, mimeType };
}

/** The stored bytes of `storageKey`; rejects anything that is not a 64-hex-digit key. */
export async function readEvidence(storageKey: string, dir = evidenceDir()): Promise<Buffer> {
  if (!isEvidenceKey(storageKey)) throw new InvalidEvidenceKeyError(storageKey);
  for (const ext of EXTENSIONS) {
    try {
      return await readFile(filePath(dir, storageKey, ext));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const missing = new Error(`No evidence stored under ${storageKey}`) as NodeJS.ErrnoException;
  missing.code = 'ENOENT';
  throw missing;
}

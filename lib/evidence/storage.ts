import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { s3Store, s3Configured } from './s3';

/**
 * Evidence files, content-addressed: the key is the SHA-256 of the bytes, so the same file is stored
 * once and a key can never name anything outside the store. Two stores behind one interface:
 *
 * - the local folder (default): `<dir>/ab/cd/<sha256>.<ext>`, written atomically (temporary file +
 *   rename) and idempotently;
 * - S3-compatible object storage when `EVIDENCE_S3_BUCKET` is set (./s3.ts): object `<prefix><sha256>`.
 *
 * A put of content that is already stored refreshes its modification time, so `evidence:gc` (which
 * removes only files older than its grace period that no row names) never removes a file a new row
 * is about to name.
 */

export interface StoredEvidence {
  storageKey: string;
  sha256: string;
  size: number;
  /** The type sniffed from the bytes; application/octet-stream when unknown. */
  mimeType: string;
}

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** An open stored file: its size and a stream of the bytes asked for (all, or one inclusive range). */
export interface OpenedEvidence {
  size: number;
  body: ReadableStream<Uint8Array>;
}

export interface EvidenceStore {
  readonly kind: 'local' | 's3';
  put(bytes: Uint8Array): Promise<StoredEvidence>;
  /** Stores a file from disk, streamed; `sha256` and `size` are what the caller measured while writing it. */
  putFile(file: string, sha256: string, size: number, mimeType: string): Promise<StoredEvidence>;
  read(key: string): Promise<Buffer>;
  open(key: string, range?: { start: number; end: number }): Promise<OpenedEvidence>;
  /** Size of the stored file, or null when there is none. */
  stat(key: string): Promise<number | null>;
  list(): AsyncIterable<StoredObject>;
  remove(key: string): Promise<void>;
}

/** `EVIDENCE_DIR`, or `<cwd>/.data/evidence`; read at every call so tests can point it elsewhere. */
export function evidenceDir(): string {
  return process.env.EVIDENCE_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), '.data', 'evidence');
}

const KEY = /^[0-9a-f]{64}$/;

export class InvalidEvidenceKeyError extends Error {
  constructor(key: unknown) {
    super(`Invalid evidence key ${JSON.stringify(String(key).slice(0, 80))}: expected 64 lowercase hex digits`);
    this.name = 'InvalidEvidenceKeyError';
  }
}

export const isEvidenceKey = (key: unknown): key is string => typeof key === 'string' && KEY.test(key);

export function checkKey(key: string): void {
  if (!isEvidenceKey(key)) throw new InvalidEvidenceKeyError(key);
}

export function missingEvidence(key: string): NodeJS.ErrnoException {
  const missing = new Error(`No evidence stored under ${key}`) as NodeJS.ErrnoException;
  missing.code = 'ENOENT';
  return missing;
}

export interface Sniffed {
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
/** ISO-BMFF brands of HEIC / HEIF stills and sequences (`ftyp` box at offset 4). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);
const UNKNOWN: Sniffed = { mimeType: 'application/octet-stream', ext: 'bin' };
const EXTENSIONS = [...TYPES.map((t) => t.ext), 'heic', 'heif', UNKNOWN.ext];

const ascii = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');

function sniffHeif(bytes: Uint8Array): Sniffed | null {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const boxSize = Math.min(bytes.length, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  const brands = [ascii(bytes, 8, 12)];
  for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(bytes, i, i + 4));
  if (brands.some((b) => HEIC_BRANDS.has(b))) return { mimeType: 'image/heic', ext: 'heic' };
  if (brands.some((b) => HEIF_BRANDS.has(b))) return { mimeType: 'image/heif', ext: 'heif' };
  return null;
}

/** The file type from its first bytes (give at least the first 64), never from a name. */
export function sniffType(bytes: Uint8Array): Sniffed {
  for (const type of TYPES) {
    const offset = type.offset ?? 0;
    if (bytes.length >= offset + type.magic.length && type.magic.every((b, i) => bytes[offset + i] === b)) {
      if (type.ext === 'webp' && !(bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46)) continue;
      return { mimeType: type.mimeType, ext: type.ext };
    }
  }
  return sniffHeif(bytes) ?? UNKNOWN;
}

/** What an unaccepted file looks like, for the refusal sentence ("an SVG image", "an HTML page"). */
export function describeUnknown(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 512)).toString('latin1').trimStart().toLowerCase();
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) return 'a ZIP archive';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'a gzip archive';
  if (bytes.length >= 2 && bytes[0] === 0x4d && bytes[1] === 0x5a) return 'a Windows program';
  if (bytes.length >= 4 && bytes[0] === 0x7f && ascii(bytes, 1, 4) === 'ELF') return 'a program';
  if (text.includes('<svg')) return 'an SVG image';
  if (/^(<!doctype html|<html|<head|<body|<script|<iframe|<meta)/.test(text) || text.includes('<script')) return 'an HTML page';
  if (text.startsWith('<?xml')) return 'an XML document';
  if (text.startsWith('#!')) return 'a script';
  if (sniffHeif(bytes) === null && ascii(bytes, 4, 8) === 'ftyp') return 'a video or another ISO media file';
  return 'of a type that is not accepted';
}

// ---------------------------------------------------------------------------------------------
// The local folder.

function filePath(dir: string, key: string, ext: string): string {
  // A runtime folder (EVIDENCE_DIR), not a build input: not for Turbopack to trace.
  return path.join(/*turbopackIgnore: true*/ dir, key.slice(0, 2), key.slice(2, 4), `${key}.${ext}`);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

async function findLocal(dir: string, key: string): Promise<{ file: string; size: number } | null> {
  checkKey(key);
  for (const ext of EXTENSIONS) {
    const file = filePath(dir, key, ext);
    try {
      const info = await stat(/*turbopackIgnore: true*/ file);
      return { file, size: info.size };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return null;
}

/** Refreshes an existing file's time (so gc's grace period starts again); false when there is none. */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  return utimes(file, now, now).then(
    () => true,
    (error: unknown) => {
      if (isMissing(error)) return false;
      throw error;
    },
  );
}

async function placeAtomically(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  if (await touch(target)) return;
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await write(temp);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

const EXT_OF: Record<string, string> = Object.fromEntries([
  ...TYPES.map((t) => [t.mimeType, t.ext]),
  ['image/heic', 'heic'],
  ['image/heif', 'heif'],
]);

export function localStore(dir = evidenceDir()): EvidenceStore {
  return {
    kind: 'local',
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const { mimeType, ext } = sniffType(bytes);
      await placeAtomically(filePath(dir, sha256, ext), (temp) => writeFile(temp, bytes, { flag: 'wx' }));
      return { storageKey: sha256, sha256, size: bytes.byteLength, mimeType };
    },
    async putFile(file, sha256, size, mimeType) {
      checkKey(sha256);
      // A copy, not a rename: the source may be on another file system (the temporary folder).
      await placeAtomically(filePath(dir, sha256, EXT_OF[mimeType] ?? UNKNOWN.ext), (temp) => copyFile(file, temp));
      return { storageKey: sha256, sha256, size, mimeType };
    },
    async read(key) {
      const found = await findLocal(dir, key);
      if (!found) throw missingEvidence(key);
      return readFile(/*turbopackIgnore: true*/ found.file);
    },
    async open(key, range) {
      const found = await findLocal(dir, key);
      if (!found) throw missingEvidence(key);
      const stream = createReadStream(/*turbopackIgnore: true*/ found.file, range ? { start: range.start, end: range.end } : {});
      return { size: found.size, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
    },
    async stat(key) {
      return (await findLocal(dir, key))?.size ?? null;
    },
    async *list() {
      let entries;
      try {
        entries = await readdir(dir, { recursive: true, withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const match = /^([0-9a-f]{64})\.[a-z]+$/.exec(entry.name);
        if (!entry.isFile() || !match) continue;
        const info = await stat(path.join(entry.parentPath, entry.name)).catch(() => null);
        if (info) yield { key: match[1]!, size: info.size, modifiedAt: info.mtime };
      }
    },
    async remove(key) {
      checkKey(key);
      for (const ext of EXTENSIONS)
        await unlink(filePath(dir, key, ext)).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    },
  };
}

/** The configured store: S3-compatible object storage when `EVIDENCE_S3_BUCKET` is set, else the local folder. */
export function evidenceStore(): EvidenceStore {
  return s3Configured() ? s3Store() : localStore();
}

/** Stores `bytes` (no-op when the same content is already stored) and returns its key. `dir`: a local folder instead of the configured store. */
export async function putEvidence(bytes: Uint8Array, dir?: string): Promise<StoredEvidence> {
  return (dir ? localStore(dir) : evidenceStore()).put(bytes);
}

/** The stored bytes of `storageKey`; rejects anything that is not a 64-hex-digit key. */
export async function readEvidence(storageKey: string, dir?: string): Promise<Buffer> {
  checkKey(storageKey);
  return (dir ? localStore(dir) : evidenceStore()).read(storageKey);
}

/** The first `length` bytes of a file on disk. */
export async function readHead(file: string, length = 4100): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidEvidenceKeyError, evidenceDir, isEvidenceKey, putEvidence, readEvidence, sniffType } from './storage';

const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rd-evidence-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('evidence storage', () => {
  it('stores content-addressed files and reads them back', async () => {
    const stored = await putEvidence(PNG_BYTES, dir);
    const sha = createHash('sha256').update(PNG_BYTES).digest('hex');
    expect(stored).toEqual({ storageKey: sha, sha256: sha, size: PNG_BYTES.length, mimeType: 'image/png' });
    expect(await listFiles(dir)).toEqual([path.join(sha.slice(0, 2), sha.slice(2, 4), `${sha}.png`)]);
    expect((await readEvidence(stored.storageKey, dir)).equals(PNG_BYTES)).toBe(true);
  });

  it('is idempotent and leaves no temporary files', async () => {
    const results = await Promise.all([putEvidence(PNG_BYTES, dir), putEvidence(PNG_BYTES, dir), putEvidence(PNG_BYTES, dir)]);
    expect(new Set(results.map((r) => r.storageKey)).size).toBe(1);
    const files = await listFiles(dir);
    expect(files).toHaveLength(1);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('keeps other types under their sniffed extension', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const stored = await putEvidence(jpeg, dir);
    expect(stored.mimeType).toBe('image/jpeg');
    expect((await readEvidence(stored.storageKey, dir)).equals(jpeg)).toBe(true);
    expect(sniffType(Buffer.from('hello')).mimeType).toBe('application/octet-stream');
    expect(sniffType(Buffer.from('%PDF-1.7\n')).mimeType).toBe('application/pdf');
  });

  it('rejects keys that are not 64 hex digits', async () => {
    for (const key of ['../../etc/passwd', 'abc', 'A'.repeat(64), `${'a'.repeat(63)}/`, `${'a'.repeat(64)}.png`, '']) {
      expect(isEvidenceKey(key)).toBe(false);
      await expect(readEvidence(key, dir)).rejects.toBeInstanceOf(InvalidEvidenceKeyError);
    }
  });

  it('reports a missing file as ENOENT', async () => {
    await expect(readEvidence('0'.repeat(64), dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads EVIDENCE_DIR at call time', () => {
    const before = process.env.EVIDENCE_DIR;
    process.env.EVIDENCE_DIR = '/somewhere/else';
    expect(evidenceDir()).toBe('/somewhere/else');
    if (before === undefined) delete process.env.EVIDENCE_DIR;
    else process.env.EVIDENCE_DIR = before;
    expect(evidenceDir()).toBe(before ?? path.join(process.cwd(), '.data', 'evidence'));
  });
});

/**
 * The S3 store against a real S3-compatible server (s3rver, started here on a free port), and
 * `evidence:gc` on both stores: orphans older than the grace period go, named and young files stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createBareTicket } from '@/lib/tickets/test-factories';
import { collectEvidenceGarbage } from './gc';
import { s3Store } from './s3';
import { evidenceStore, localStore } from './storage';
import { jpegWithGps, smallPng, tinyPdf } from './test-images';
import { receivedUpload } from './test-upload';
import { uploadEvidence } from './upload';

const handle = setupTestDb();
let server: S3rver;
let s3dir: string;
const env = { ...process.env };
const S3_ENV = [
  'EVIDENCE_S3_BUCKET',
  'EVIDENCE_S3_ENDPOINT',
  'EVIDENCE_S3_REGION',
  'EVIDENCE_S3_ACCESS_KEY_ID',
  'EVIDENCE_S3_SECRET_ACCESS_KEY',
  'EVIDENCE_DIR',
];

beforeAll(async () => {
  s3dir = mkdtempSync(path.join(tmpdir(), 'rd-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: 'evidence' }] });
  const { port } = await server.run();
  Object.assign(process.env, {
    EVIDENCE_S3_BUCKET: 'evidence',
    EVIDENCE_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    EVIDENCE_S3_REGION: 'us-east-1',
    EVIDENCE_S3_ACCESS_KEY_ID: 'S3RVER',
    EVIDENCE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    EVIDENCE_DIR: mkdtempSync(path.join(tmpdir(), 'rd-s3-local-')),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(s3dir, { recursive: true, force: true });
  rmSync(process.env.EVIDENCE_DIR!, { recursive: true, force: true });
  for (const name of S3_ENV) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
});

const text = async (stream: ReadableStream<Uint8Array>) => Buffer.from(await new Response(stream).arrayBuffer());

describe('the S3 store', () => {
  it('is the configured store, and puts, reads, ranges, lists and removes', async () => {
    const store = evidenceStore();
    expect(store.kind).toBe('s3');
    const pdf = tinyPdf();
    const stored = await store.put(pdf);
    expect(stored.mimeType).toBe('application/pdf');
    expect((await store.read(stored.storageKey)).equals(pdf)).toBe(true);
    expect(await store.stat(stored.storageKey)).toBe(pdf.length);
    const part = await store.open(stored.storageKey, { start: 0, end: 7 });
    expect(part.size).toBe(pdf.length);
    expect((await text(part.body)).toString()).toBe('%PDF-1.4');
    const keys: string[] = [];
    for await (const object of store.list()) keys.push(object.key);
    expect(keys).toContain(stored.storageKey);
    await store.remove(stored.storageKey);
    expect(await store.stat(stored.storageKey)).toBeNull();
    await expect(store.read(stored.storageKey)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.read('../x')).rejects.toThrow(/Invalid evidence key/);
  });

  it('stores an upload there, sanitised, and nothing in the local folder', async () => {
    const { ticket } = await createBareTicket(handle.db);
    const ctx = ctxFor(await createStaff(handle.db));
    const { evidence } = await uploadEvidence(ctx, {
      ticketId: ticket.id,
      upload: receivedUpload([{ name: 'gps.jpg', bytes: await jpegWithGps() }]),
    });
    const kept = await s3Store().read(evidence[0]!.sha256);
    expect((await sharp(kept).metadata()).exif).toBeUndefined();
    const local: string[] = [];
    for await (const object of localStore().list()) local.push(object.key);
    expect(local).toEqual([]);
  });

  it('evidence:gc removes old orphans only', async () => {
    const store = evidenceStore();
    const { ticket } = await createBareTicket(handle.db);
    const ctx = ctxFor(await createStaff(handle.db));
    const { evidence } = await uploadEvidence(ctx, {
      ticketId: ticket.id,
      upload: receivedUpload([{ name: 'kept.png', bytes: await smallPng('#010203', 90) }]),
    });
    const orphan = await store.put(await smallPng('#0a0b0c', 91));
    // Ten minutes from now, with a five-minute grace period: everything counts as old.
    const later = new Date(Date.now() + 10 * 60_000);
    const dry = await collectEvidenceGarbage(handle.db, { graceMs: 5 * 60_000, now: later, dryRun: true });
    expect(dry.removed).toContain(orphan.storageKey);
    expect(await store.stat(orphan.storageKey)).not.toBeNull();
    const young = await collectEvidenceGarbage(handle.db, { graceMs: 60 * 60_000 });
    expect(young.removed).toEqual([]);
    const result = await collectEvidenceGarbage(handle.db, { graceMs: 5 * 60_000, now: later });
    expect(result.removed).toContain(orphan.storageKey);
    expect(result.removed).not.toContain(evidence[0]!.sha256);
    expect(await store.stat(orphan.storageKey)).toBeNull();
    expect(await store.stat(evidence[0]!.sha256)).not.toBeNull();
  });

  it('evidence:gc works on the local folder too, and a put of stored content makes it young again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rd-gc-local-'));
    try {
      const store = localStore(dir);
      const orphan = await store.put(await smallPng('#0d0e0f', 92));
      const entries = [];
      for await (const object of store.list()) entries.push(object);
      const [entry] = entries;
      const file = path.join(dir, orphan.storageKey.slice(0, 2), orphan.storageKey.slice(2, 4), `${orphan.storageKey}.png`);
      const old = new Date(Date.now() - 48 * 3_600_000);
      await utimes(file, old, old);
      expect(entry!.key).toBe(orphan.storageKey);
      await store.put(await smallPng('#0d0e0f', 92));
      expect((await collectEvidenceGarbage(handle.db, { store, graceMs: 3_600_000 })).removed).toEqual([]);
      await utimes(file, old, old);
      expect((await collectEvidenceGarbage(handle.db, { store, graceMs: 3_600_000 })).removed).toEqual([orphan.storageKey]);
      expect(await store.stat(orphan.storageKey)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Evidence uploads end to end through the route handlers (API key and staff session), with an
 * attack corpus the test makes itself. Every refusal: its sentence, nothing in storage, no row,
 * one audit row. Everything stored: re-encoded, without metadata, named safely.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import sharp from 'sharp';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { auditEvents, evidence, tickets } from '@/db/schema';
import type { Ctx } from '@/lib/auth/actor';
import { createApiKey } from '@/lib/intake/api-keys';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createBareTicket, createEvidenceRow } from '@/lib/tickets/test-factories';
import { readEvidence } from './storage';
import {
  av1Heif,
  bombPng,
  displayP3Heic,
  heicBomb,
  hevcHeic,
  htmlPage,
  jpegWithGps,
  polyglotPng,
  smallPng,
  svgWithScript,
  tinyPdf,
} from './test-images';
import { multipartBody, type Part } from './test-upload';

const session = vi.hoisted(() => ({ ctx: null as Ctx | null }));
vi.mock('@/lib/auth/session', () => ({ getCtx: async () => session.ctx }));

const { POST: apiPost } = await import('@/app/api/v1/tickets/[id]/evidence/route');
const { POST: staffPost } = await import('@/app/api/tickets/[ticketId]/evidence/route');
const { GET: getFile } = await import('@/app/api/evidence/[id]/route');
const { GET: getThumbnail } = await import('@/app/api/evidence/[id]/thumbnail/route');

const handle = setupTestDb();
let dir: string;
let apiKey: string;
let wrongKey: string;
const previous = { dir: process.env.EVIDENCE_DIR, url: process.env.NEXTAUTH_URL };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rd-evidence-upload-'));
  process.env.EVIDENCE_DIR = dir;
  process.env.NEXTAUTH_URL = 'http://desk.test';
  apiKey = (await createApiKey(handle.db, { name: 'panel uploads', scopes: ['evidence:write'] })).plaintext;
  wrongKey = (await createApiKey(handle.db, { name: 'panel events', scopes: ['order-events'] })).plaintext;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [
    ['EVIDENCE_DIR', previous.dir],
    ['NEXTAUTH_URL', previous.url],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => {
  session.ctx = null;
});

let keyCounter = 0;
const freshKey = () => `test-key-${Date.now()}-${++keyCounter}`;

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const evidenceCount = async (ticketId: number) =>
  (await handle.db.select({ n: count() }).from(evidence).where(eq(evidence.ticketId, ticketId)))[0]!.n;

const auditCount = async (action: 'evidence.refused' | 'evidence.uploaded' | 'evidence.downloaded') =>
  (await handle.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, action)))[0]!.n;

const refusalsOf = async (ticketId: number) =>
  (
    await handle.db
      .select({ reason: auditEvents.reason })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'evidence.refused'), eq(auditEvents.entityType, 'ticket'), eq(auditEvents.entityId, String(ticketId))),
      )
  ).map((r) => r.reason);

function apiRequest(ticketId: number | string, parts: Part[], headers: Record<string, string> = {}) {
  const { body, contentType } = multipartBody(parts);
  const request = new NextRequest(`http://desk.test/api/v1/tickets/${ticketId}/evidence`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType, 'idempotency-key': freshKey(), ...headers },
  });
  return apiPost(request, { params: Promise.resolve({ id: String(ticketId) }) });
}

const file = (filename: string, bytes: Uint8Array | string, type = 'image/png'): Part => ({ field: 'file', filename, bytes, type });

interface Problem {
  code: string;
  detail: string;
  fieldErrors?: Record<string, string[]>;
}

/** Posts `parts` and expects a refusal that wrote nothing but its audit row. */
async function expectRefused(parts: Part[], sentence: RegExp, ticketId?: number) {
  const id = ticketId ?? (await createBareTicket(handle.db)).ticket.id;
  const [before, rows, refusals] = [await storedFiles(), await evidenceCount(id), await auditCount('evidence.refused')];
  const response = await apiRequest(id, parts);
  const body = (await response.json()) as Problem;
  expect(response.status, body.detail).toBe(422);
  expect(body.detail).toMatch(sentence);
  expect(await storedFiles()).toEqual(before);
  expect(await evidenceCount(id)).toBe(rows);
  expect(await auditCount('evidence.refused')).toBe(refusals + 1);
  return body;
}

interface Uploaded {
  evidence: { id: number; originalName: string; mimeType: string; sizeBytes: number; sha256: string; width: number; height: number }[];
}

async function expectStored(parts: Part[]) {
  const { ticket } = await createBareTicket(handle.db);
  const response = await apiRequest(ticket.id, parts);
  const body = (await response.json()) as Uploaded & Problem;
  expect(response.status, body.detail).toBe(201);
  return { ticketId: ticket.id, ...body };
}

const stored = async (sha256: string) => readEvidence(sha256);

describe('the attack corpus', () => {
  it('stores a PNG/HTML polyglot re-encoded, without its HTML', async () => {
    const bytes = await polyglotPng();
    expect(bytes.includes(Buffer.from('<script>'))).toBe(true);
    const {
      evidence: [item],
    } = await expectStored([file('innocent.png', bytes)]);
    const kept = await stored(item!.sha256);
    expect(kept.includes(Buffer.from('<script'))).toBe(false);
    expect(kept.includes(Buffer.from('alert'))).toBe(false);
    expect(item).toMatchObject({ mimeType: 'image/png', width: 64, height: 64 });
    expect((await sharp(kept).metadata()).format).toBe('png');
  });

  it('refuses an SVG with a script', async () => {
    await expectRefused(
      [file('chart.svg', svgWithScript(), 'image/svg+xml')],
      /"chart\.svg" is an SVG image, which is not accepted\. Accepted are PNG, JPEG/,
    );
  });

  it('refuses HTML named .png and declared image/png', async () => {
    await expectRefused([file('photo.png', htmlPage())], /"photo\.png" is an HTML page, which is not accepted/);
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    await expectRefused(
      [file('cut.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg')],
      /"cut\.jpg" could not be (decoded|read)/,
    );
  });

  it('refuses a decompression bomb (a tiny file of 50,000 × 50,000 pixels) from its header', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(100_000);
    await expectRefused(
      [file('bomb.png', bomb)],
      /"bomb\.png" is 50,000 × 50,000 pixels \(2,500 megapixels\); images may have at most 40 megapixels/,
    );
  });

  it('stores a JPEG with GPS EXIF without any metadata', async () => {
    const bytes = await jpegWithGps();
    const before = await sharp(bytes).metadata();
    expect(before.exif).toBeDefined();
    const {
      evidence: [item],
    } = await expectStored([file('holiday.jpg', bytes, 'image/jpeg')]);
    const kept = await stored(item!.sha256);
    const after = await sharp(kept).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(kept.includes(Buffer.from('SpyCam'))).toBe(false);
    expect(kept.includes(Buffer.from('GPS'))).toBe(false);
    expect(item).toMatchObject({ mimeType: 'image/jpeg', width: 320, height: 240 });
  });

  it('refuses a zero-byte file', async () => {
    await expectRefused([file('empty.png', new Uint8Array(0))], /"empty\.png" is empty \(0 bytes\)/);
  });

  it('refuses an 11 MB file while reading it', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 7);
    (await smallPng()).copy(big);
    await expectRefused([file('huge.png', big)], /"huge\.png" is larger than 10 MB, the most a file may be/);
  });

  it('refuses the 21st file on a ticket', async () => {
    const { ticket } = await createBareTicket(handle.db);
    for (let i = 0; i < 20; i++) await createEvidenceRow(handle.db, ticket.id);
    await expectRefused(
      [file('one-more.png', await smallPng())],
      /Ticket T-\d+ already holds 20 files, the most a ticket may hold/,
      ticket.id,
    );
  });

  it('stores ../../etc/passwd.png under its content hash, named passwd.png', async () => {
    const {
      evidence: [item],
    } = await expectStored([file('../../etc/passwd.png', await smallPng('#112233'))]);
    expect(item!.originalName).toBe('passwd.png');
    for (const f of await storedFiles()) expect(path.relative(dir, f)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z]+$/);
  });

  it('cleans a 300-character name with control characters', async () => {
    const name = `evil\u0000\u0007\u001b\t\u202e${'x'.repeat(300)}.png`;
    const {
      evidence: [item],
    } = await expectStored([file(name, await smallPng('#445566'))]);
    expect(item!.originalName).toMatch(/^evil ?x+\.png$/);
    expect(item!.originalName.length).toBeLessThanOrEqual(200);
    // Line breaks in a name (percent-encoded, as clients send them) are removed too.
    const {
      evidence: [other],
    } = await expectStored([file('a\r\nContent-Type: text/html\r\n.png', await smallPng('#445567'))]);
    expect(other!.originalName).toBe('html.png'); // the last path segment only
  });

  it('stores two files sent under one field, and refuses a body with no file', async () => {
    const two = await expectStored([file('a.png', await smallPng('#aa0000')), file('b.png', await smallPng('#00aa00'))]);
    expect(two.evidence.map((e) => e.originalName)).toEqual(['a.png', 'b.png']);
    expect(await evidenceCount(two.ticketId)).toBe(2);
    await expectRefused([], /The request has no file: send one or more files in the "file" field/);
    await expectRefused([{ field: 'note', bytes: 'hello' }], /Unexpected field "note"/);
    await expectRefused(
      [{ field: 'upload', filename: 'x.png', bytes: await smallPng(), type: 'image/png' }],
      /"x\.png" was sent in the field "upload"/,
    );
  });

  it('refuses the whole request when one file of several is refused', async () => {
    await expectRefused([file('fine.png', await smallPng('#999999')), file('page.png', htmlPage())], /"page\.png" is an HTML page/);
  });

  it('keeps a PDF as it is, served only as a download, with ranges', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    const pdf = tinyPdf();
    const {
      evidence: [item],
    } = await expectStored([file('statement.pdf', pdf, 'application/pdf')]);
    expect((await stored(item!.sha256)).equals(pdf)).toBe(true);
    const whole = await getFile(new NextRequest(`http://desk.test/api/evidence/${item!.id}`), {
      params: Promise.resolve({ id: String(item!.id) }),
    });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment; filename="statement\.pdf"/);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(pdf)).toBe(true);
    const part = await getFile(new NextRequest(`http://desk.test/api/evidence/${item!.id}`, { headers: { range: 'bytes=0-7' } }), {
      params: Promise.resolve({ id: String(item!.id) }),
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('%PDF-1.4');
    const beyond = await getFile(
      new NextRequest(`http://desk.test/api/evidence/${item!.id}`, { headers: { range: `bytes=${pdf.length}-` } }),
      {
        params: Promise.resolve({ id: String(item!.id) }),
      },
    );
    expect(beyond.status).toBe(416);
  });
});

describe('HEIC and HEIF', () => {
  it('stores an iPhone-style HEVC HEIC as a JPEG, turned by its irot, without its metadata, with a thumbnail', async () => {
    const bytes = hevcHeic();
    // The case this covers: sharp reads the header but its prebuilt libvips has no HEVC decoder.
    expect((await sharp(bytes).metadata()).compression).toBe('hevc');
    await expect(sharp(bytes).jpeg().toBuffer()).rejects.toThrow();
    expect(bytes.includes(Buffer.from('iPhone 15 Pro'))).toBe(true);

    const {
      evidence: [item],
    } = await expectStored([file('IMG_0042.HEIC', bytes, 'image/heic')]);
    expect(item).toMatchObject({ originalName: 'IMG_0042.HEIC', mimeType: 'image/jpeg', width: 480, height: 640 });
    const kept = await stored(item!.sha256);
    const meta = await sharp(kept).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 480, height: 640 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    for (const trace of ['iPhone', 'Apple', 'GPS']) expect(kept.includes(Buffer.from(trace))).toBe(false);
    // Turned once, by irot (90° clockwise): 480 × 640 and the red square top right. Turned the other
    // way it would be bottom left; turned again by the EXIF Orientation, 640 × 480.
    const { data, info } = await sharp(kept).raw().toBuffer({ resolveWithObject: true });
    const isRed = (x: number, y: number) => {
      const [r, g, b] = data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3);
      return r! > 170 && g! < 80 && b! < 80;
    };
    expect(isRed(460, 20)).toBe(true);
    expect([isRed(20, 20), isRed(20, 620), isRed(460, 620)]).toEqual([false, false, false]);

    const [row] = await handle.db.select().from(evidence).where(eq(evidence.id, item!.id));
    expect(row!.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    const thumbnail = await sharp(await readEvidence(row!.thumbnailKey!)).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 240, height: 320 });
  });

  it('converts an HEVC HEIC in Display P3 to sRGB', async () => {
    const {
      evidence: [item],
    } = await expectStored([file('p3.heic', displayP3Heic(), 'image/heic')]);
    expect(item).toMatchObject({ mimeType: 'image/jpeg', width: 64, height: 48 });
    const kept = await stored(item!.sha256);
    expect((await sharp(kept).metadata()).icc).toBeUndefined();
    const { data } = await sharp(kept).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3)];
    // sRGB (224, 64, 44) and (49, 175, 80), not the P3 numbers (207, 77, 55) and (90, 173, 91) taken as sRGB.
    const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 6);
    expect(at(12, 24), 'left half').toSatisfy((px: number[]) => near(px, [224, 64, 44]));
    expect(at(52, 24), 'right half').toSatisfy((px: number[]) => near(px, [49, 175, 80]));
  });

  it('refuses a truncated HEVC HEIC', async () => {
    const bytes = hevcHeic();
    await expectRefused(
      [file('cut.heic', bytes.subarray(0, Math.floor(bytes.length / 2)), 'image/heic')],
      /^File "cut\.heic" could not be (decoded|read) as an image \(it is damaged (or truncated|or not what its first bytes claim)\)\.$/,
    );
  });

  it('refuses a HEIC decompression bomb from its header', async () => {
    await expectRefused(
      [file('bomb.heic', heicBomb(), 'image/heic')],
      /"bomb\.heic" is 50,000 × 50,000 pixels \(2,500 megapixels\); images may have at most 40 megapixels/,
    );
  });

  it('stores an AV1-coded HEIF, decoded by sharp itself, as a JPEG', async () => {
    const {
      evidence: [item],
    } = await expectStored([file('photo.heif', await av1Heif(), 'image/heif')]);
    expect(item).toMatchObject({ mimeType: 'image/jpeg', width: 96, height: 64 });
    expect((await sharp(await stored(item!.sha256)).metadata()).format).toBe('jpeg');
  });
});

describe('the API route', () => {
  it('needs an API key with evidence:write and an Idempotency-Key', async () => {
    const { ticket } = await createBareTicket(handle.db);
    const parts = [file('a.png', await smallPng())];
    expect((await apiRequest(ticket.id, parts, { authorization: '' })).status).toBe(401);
    const wrong = await apiRequest(ticket.id, parts, { authorization: `Bearer ${wrongKey}` });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as Problem).detail).toMatch(/evidence:write/);
    const { body, contentType } = multipartBody(parts);
    const noKey = await apiPost(
      new NextRequest(`http://desk.test/api/v1/tickets/${ticket.id}/evidence`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType },
      }),
      { params: Promise.resolve({ id: String(ticket.id) }) },
    );
    expect(noKey.status).toBe(422);
    expect((await apiRequest(999_999_999, parts)).status).toBe(404);
    expect(await evidenceCount(ticket.id)).toBe(0);
    // The missing key is on record; the callers without the scope never reached the upload.
    expect(await refusalsOf(ticket.id)).toEqual([expect.stringMatching(/^Idempotency-Key: send an Idempotency-Key header/)]);
  });

  it('takes the panel’s own ticket id as panel:<id>, like every ticket path of the API', async () => {
    const { ticket } = await createBareTicket(handle.db);
    await handle.db.update(tickets).set({ externalId: 'PT-4411' }).where(eq(tickets.id, ticket.id));
    const response = await apiRequest('panel:PT-4411', [file('a.png', await smallPng())]);
    expect(response.status).toBe(201);
    expect(await evidenceCount(ticket.id)).toBe(1);
    const unknown = await apiRequest('panel:PT-nope', [file('a.png', await smallPng())]);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Problem).detail).toBe('There is no ticket with the panel id "PT-nope".');
  });

  it('refuses a body that is not multipart', async () => {
    const { ticket } = await createBareTicket(handle.db);
    const response = await apiPost(
      new NextRequest(`http://desk.test/api/v1/tickets/${ticket.id}/evidence`, {
        method: 'POST',
        body: '{"file":"x"}',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': freshKey() },
      }),
      { params: Promise.resolve({ id: String(ticket.id) }) },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).detail).toMatch(/multipart\/form-data/);
    expect(await refusalsOf(ticket.id)).toEqual([expect.stringMatching(/multipart\/form-data/)]);
  });

  it('replays the same request with the same key and refuses other files with it', async () => {
    const { ticket } = await createBareTicket(handle.db);
    const key = freshKey();
    const png = await smallPng('#123456');
    const first = await apiRequest(ticket.id, [file('one.png', png)], { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await apiRequest(ticket.id, [file('one.png', png)], { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as Uploaded).evidence[0]!.id).toBe(((await first.json()) as Uploaded).evidence[0]!.id);
    const other = await apiRequest(ticket.id, [file('two.png', await smallPng('#654321'))], { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(await evidenceCount(ticket.id)).toBe(1);
    expect(
      (
        await handle.db
          .select({ n: count() })
          .from(auditEvents)
          .where(and(eq(auditEvents.action, 'evidence.uploaded'), eq(auditEvents.entityType, 'evidence')))
      )[0]!.n,
    ).toBeGreaterThan(0);
  });
});

describe('the staff route and serving', () => {
  const staffRequest = (ticketId: number, parts: Part[], origin = 'http://desk.test') => {
    const { body, contentType } = multipartBody(parts);
    return staffPost(
      new NextRequest(`http://desk.test/api/tickets/${ticketId}/evidence`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { 'content-type': contentType, origin },
      }),
      { params: Promise.resolve({ ticketId: String(ticketId) }) },
    );
  };

  it('uploads for a signed-in agent with our Origin; refuses a foreign Origin and an anonymous caller', async () => {
    const { ticket } = await createBareTicket(handle.db);
    const parts = [file('screen.png', await smallPng('#0f0f0f', 200))];
    expect((await staffRequest(ticket.id, parts)).status).toBe(401);
    session.ctx = ctxFor(await createStaff(handle.db, { role: 'agent' }));
    expect((await staffRequest(ticket.id, parts, 'http://evil.test')).status).toBe(403);
    const response = await staffRequest(ticket.id, parts);
    expect(response.status).toBe(201);
    const [item] = ((await response.json()) as Uploaded).evidence;
    const [row] = await handle.db.select().from(evidence).where(eq(evidence.id, item!.id));
    expect(row).toMatchObject({ uploadedBy: session.ctx.kind === 'staff' ? session.ctx.userId : -1, uploadedByKey: null });
    expect(row!.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    expect(row!.thumbnailKey).toMatch(/^[0-9a-f]{64}$/);

    const downloads = await auditCount('evidence.downloaded');
    const params = { params: Promise.resolve({ id: String(item!.id) }) };
    const served = await getFile(new NextRequest(`http://desk.test/api/evidence/${item!.id}`), params);
    expect(served.status).toBe(200);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    });
    expect(await auditCount('evidence.downloaded')).toBe(downloads + 1);
    const thumb = await getThumbnail(new NextRequest(`http://desk.test/api/evidence/${item!.id}/thumbnail`), params);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBeLessThanOrEqual(320);

    session.ctx = null;
    for (const get of [getFile, getThumbnail]) {
      const anonymous = await get(new NextRequest(`http://desk.test/api/evidence/${item!.id}`), params);
      expect(anonymous.status).toBe(401);
      const text = await anonymous.text();
      expect(text).toContain('unauthenticated');
      expect(text).not.toContain('PNG');
    }
  });
});

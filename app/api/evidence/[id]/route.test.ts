import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { setupTestDb } from '@/db/testing';
import type { Ctx } from '@/lib/auth/actor';
import { putEvidence } from '@/lib/evidence/storage';
import { createBareTicket, createEvidenceRow } from '@/lib/tickets/test-factories';

const session = vi.hoisted(() => ({ ctx: null as Ctx | null }));
vi.mock('@/lib/auth/session', () => ({ getCtx: async () => session.ctx }));

const { GET } = await import('./route');

const handle = setupTestDb();
let evidenceDir: string;
const previousEvidenceDir = process.env.EVIDENCE_DIR;
beforeAll(async () => {
  evidenceDir = mkdtempSync(path.join(tmpdir(), 'rd-evidence-route-'));
  process.env.EVIDENCE_DIR = evidenceDir;
});
afterAll(async () => {
  rmSync(evidenceDir, { recursive: true, force: true });
  if (previousEvidenceDir === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = previousEvidenceDir;
});
beforeEach(() => {
  session.ctx = null;
});

const get = (id: string, headers: Record<string, string> = {}) =>
  GET(new NextRequest(`http://localhost/api/evidence/${id}`, { headers }), { params: Promise.resolve({ id }) });

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7, 6, 5]);

async function storedFile(bytes: Uint8Array, originalName: string) {
  const { ticket } = await createBareTicket(handle.db);
  const stored = await putEvidence(bytes);
  return createEvidenceRow(handle.db, ticket.id, {
    sha256: stored.sha256,
    storageKey: stored.storageKey,
    mimeType: stored.mimeType,
    sizeBytes: stored.size,
    originalName,
  });
}

describe('GET /api/evidence/[id]', () => {
  it('answers an anonymous request with 401 problem+json', async () => {
    const response = await get('1');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('serves the bytes with the sniffed type and safe headers', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    const file = await storedFile(PNG, 'proof "final".png');
    const response = await get(String(file.id));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(PNG));
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
      'content-length': String(PNG.byteLength),
      'content-disposition': `inline; filename="proof _final_.png"; filename*=UTF-8''proof%20%22final%22.png`,
      etag: `"${file.sha256}"`,
    });
    const again = await get(String(file.id), { 'if-none-match': `"${file.sha256}"` });
    expect(again.status).toBe(304);
  });

  it('offers a file of unknown type as a download, never inline', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    const file = await storedFile(new TextEncoder().encode('<script>alert(1)</script>'), 'page.html');
    const response = await get(String(file.id));
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('answers unknown or malformed ids with 404 problem+json', async () => {
    session.ctx = ctxFor(await createStaff(handle.db));
    for (const id of ['987654321', 'abc', '-1']) {
      const response = await get(id);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it('refuses a deactivated user with 401', async () => {
    session.ctx = ctxFor(await createStaff(handle.db, { isActive: false }));
    expect((await get('1')).status).toBe(401);
  });
});

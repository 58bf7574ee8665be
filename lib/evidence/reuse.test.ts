/**
 * Reused screenshots: a resized, recompressed, slightly cropped copy on another customer's ticket is
 * found (by index) and confirmed; a screenshot of the same app with other numbers is not flagged;
 * the index lookup finds every hash within distance 7 and nothing beyond.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestDb } from '@/db/testing';
import { createStaff, ctxFor } from '@/lib/staff/test-factories';
import { createBareTicket, createEvidenceRow } from '@/lib/tickets/test-factories';
import { getTicketDetail } from '@/lib/tickets/detail';
import { bandsOf, hamming, phashOf, toHex, toSigned } from './phash';
import { findReuse, MAX_REUSE_DISTANCE, reuseCandidates } from './reuse';
import { profilePng, repostedCopy } from './test-images';
import { receivedUpload } from './test-upload';
import { uploadEvidence } from './upload';

const handle = setupTestDb();
let dir: string;
const previous = process.env.EVIDENCE_DIR;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rd-evidence-reuse-'));
  process.env.EVIDENCE_DIR = dir;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (previous === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = previous;
});

const original = { handle: 'jane.doe', posts: '231', followers: '12.4K', following: '512' };

async function upload(name: string, bytes: Buffer, customerTicket?: number) {
  const ticketId = customerTicket ?? (await createBareTicket(handle.db)).ticket.id;
  const ctx = ctxFor(await createStaff(handle.db));
  const { evidence } = await uploadEvidence(ctx, { ticketId, upload: receivedUpload([{ name, bytes }]) });
  return { ticketId, item: evidence[0]!, ctx };
}

describe('reused screenshots', () => {
  it('flags a cropped, resized, recompressed copy on another customer’s ticket, not the same app with other numbers', async () => {
    const png = await profilePng(original);
    const first = await upload('profile.png', png);
    const copy = await upload('proof.jpg', await repostedCopy(png, { crop: 0.02, width: 540, quality: 70 }));
    const otherNumbers = await upload('mine.png', await profilePng({ ...original, followers: '18.9K' }));
    const otherProfile = await upload(
      'other.png',
      await profilePng({ handle: 'mark_smith', posts: '87', followers: '3,118', following: '1,204' }),
    );

    expect(copy.item.reuse).toEqual([
      expect.objectContaining({ evidenceId: first.item.id, ticketId: first.ticketId, originalName: 'profile.png' }),
    ]);
    expect(copy.item.reuse[0]!.distance).toBeLessThanOrEqual(MAX_REUSE_DISTANCE);
    expect(otherNumbers.item.reuse).toEqual([]);
    expect(otherProfile.item.reuse).toEqual([]);
    // Both directions: the first ticket now shows the copy.
    expect((await findReuse(handle.db, first.item.id)).map((m) => m.evidenceId)).toEqual([copy.item.id]);

    // The ticket page carries the flag, with the other ticket and the distance.
    const detail = await getTicketDetail(copy.ctx, copy.ticketId);
    expect(detail.evidence[0]!.reuse).toEqual([
      expect.objectContaining({ ticketId: first.ticketId, distance: copy.item.reuse[0]!.distance }),
    ]);
    expect(detail.evidence[0]!.thumbnailUrl).toBe(`/api/evidence/${copy.item.id}/thumbnail`);
  });

  it('does not flag the same customer reusing their own screenshot', async () => {
    const png = await profilePng({ handle: 'same.customer', posts: '9', followers: '77', following: '3' });
    const first = await upload('a.png', png);
    const { ticket } = await createBareTicket(handle.db, { customerId: (await ticketCustomer(first.ticketId))! });
    const again = await upload('b.png', await repostedCopy(png), ticket.id);
    expect(again.item.reuse).toEqual([]);
  });

  it('finds by index every hash within distance 7 and none beyond', async () => {
    const base = 0x0123_4567_89ab_cdefn;
    const flips = (hash: bigint, bits: number[]) => bits.reduce((h, b) => h ^ (1n << BigInt(b)), hash);
    // Seven flipped bits spread so that every band differs (2 + 2 + 2 + 1): still found.
    const near = flips(base, [0, 1, 16, 17, 32, 33, 48]);
    // Eight (2 per band): beyond the threshold.
    const far = flips(base, [0, 1, 16, 17, 32, 33, 48, 49]);
    expect(hamming(base, near)).toBe(7);
    expect(hamming(base, far)).toBe(8);
    const ids: Record<string, number> = {};
    for (const [name, hash] of Object.entries({ near, far })) {
      const { ticket } = await createBareTicket(handle.db);
      const [b0, b1, b2, b3] = bandsOf(hash);
      const row = await createEvidenceRow(handle.db, ticket.id, {
        perceptualHash: toHex(hash),
        phash: toSigned(hash),
        phashBand0: b0,
        phashBand1: b1,
        phashBand2: b2,
        phashBand3: b3,
      });
      ids[name] = row.id;
    }
    const found = await reuseCandidates(handle.db, base, { evidenceId: 0, customerId: 0 });
    expect(found.map((c) => c.id)).toContain(ids.near);
    expect(found.map((c) => c.id)).not.toContain(ids.far);
  });

  it('gives a resized copy a hash within a few bits of the original', async () => {
    const png = await profilePng(original);
    expect(hamming(await phashOf(png), await phashOf(await repostedCopy(png, { crop: 0, width: 360, quality: 50 })))).toBeLessThanOrEqual(
      3,
    );
  });
});

async function ticketCustomer(ticketId: number): Promise<number | undefined> {
  const { tickets } = await import('@/db/schema');
  const { eq } = await import('drizzle-orm');
  const [row] = await handle.db.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, ticketId));
  return row?.customerId;
}

/**
 * Reused screenshots: evidence that is the same picture, or nearly (re-encoded, resized, slightly
 * cropped), as evidence on another customer's ticket.
 *
 * 1. Candidates by index, never by scanning: the 64-bit pHash is kept as four 16-bit bands, each
 *    indexed. Two hashes within Hamming distance 7 differ in at most one bit on at least one band
 *    (pigeonhole: 4 bands × 2 bits > 7), so looking up each band's value and its 16 one-bit
 *    neighbours (68 index probes) finds every hash within distance 7.
 * 2. Confirmed on the pixels: a pHash sees layout, not digits — two screenshots of the same app
 *    with other numbers hash alike. So each candidate's thumbnail is aligned with this one's (small
 *    shift and scale search, for crops) and compared block by block: a copy differs a little
 *    everywhere; another screenshot differs a lot where its numbers are.
 */
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db';
import { evidenceStore } from './storage';
import { bandsOf, hamming } from './phash';

export const MAX_REUSE_DISTANCE = 7;

export interface ReuseMatch {
  evidenceId: number;
  ticketId: number;
  customerId: number;
  originalName: string;
  /** Hamming distance of the perceptual hashes (0: the same picture). */
  distance: number;
}

/** The band value and its 16 one-bit neighbours. */
const probes = (band: number) => [band, ...Array.from({ length: 16 }, (_, bit) => band ^ (1 << bit))];

interface Candidate {
  id: number;
  ticketId: number;
  customerId: number;
  originalName: string;
  thumbnailKey: string | null;
  phash: string;
}

/** Evidence within MAX_REUSE_DISTANCE of `phash` on other customers' tickets (stage 1: the index). */
export async function reuseCandidates(db: Db | Tx, phash: bigint, exclude: { evidenceId: number; customerId: number }, limit = 20) {
  const [b0, b1, b2, b3] = bandsOf(phash).map(probes) as [number[], number[], number[], number[]];
  const signed = BigInt.asIntN(64, phash).toString();
  const list = (values: number[]) => sql.raw(`array[${values.join(',')}]::int[]`);
  const rows = await queryRows<{
    id: string;
    ticket_id: string;
    customer_id: string;
    original_name: string;
    thumbnail_key: string | null;
    phash: string;
  }>(
    db,
    sql`
    select e.id, e.ticket_id, t.customer_id, e.original_name, e.thumbnail_key, e.phash::text as phash
    from evidence e join tickets t on t.id = e.ticket_id
    where (e.phash_band0 = any(${list(b0)}) or e.phash_band1 = any(${list(b1)}) or e.phash_band2 = any(${list(b2)}) or e.phash_band3 = any(${list(b3)}))
      and e.id <> ${exclude.evidenceId} and t.customer_id <> ${exclude.customerId}
      and bit_count((e.phash # ${signed}::bigint)::bit(64)) <= ${MAX_REUSE_DISTANCE}
    order by bit_count((e.phash # ${signed}::bigint)::bit(64)), e.id
    limit ${limit}`,
  );
  return rows.map((r): Candidate => ({
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    customerId: Number(r.customer_id),
    originalName: r.original_name,
    thumbnailKey: r.thumbnail_key,
    phash: r.phash,
  }));
}

// ---------------------------------------------------------------------------------------------
// Stage 2: aligned block comparison of the thumbnails.

const W = 128;

interface Grey {
  data: Float32Array;
  width: number;
  height: number;
}

async function grey(image: Buffer, width: number): Promise<Grey> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(width)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data), width: info.width, height: info.height };
}

function sample(g: Grey, x: number, y: number): number {
  const fx = Math.min(g.width - 1.001, Math.max(0, x));
  const fy = Math.min(g.height - 1.001, Math.max(0, y));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const tx = fx - x0;
  const ty = fy - y0;
  const i = y0 * g.width + x0;
  const d = g.data;
  return (d[i]! * (1 - tx) + d[i + 1]! * tx) * (1 - ty) + (d[i + g.width]! * (1 - tx) + d[i + g.width + 1]! * tx) * ty;
}

/**
 * How much more the most different 8 × 8 block differs than the 90th percentile of blocks, between
 * `a` and `b` at the best alignment of `b` onto `a` (scale 0.9–1.1, shift up to 8% each way; coarse,
 * then finer), over `a`'s central 84%.
 */
export function alignedBlockDifference(a: Grey, b: Grey): number {
  // b is first brought to a's width; crop-induced scale and shift are then searched.
  const base = b.width / a.width;
  const margin = Math.round(a.width * 0.08);
  const x0 = margin;
  const x1 = a.width - margin;
  const y0 = Math.round(a.height * 0.08);
  const y1 = a.height - y0;
  const cost = (s: number, dx: number, dy: number, step: number) => {
    let sum = 0;
    for (let y = y0; y < y1; y += step)
      for (let x = x0; x < x1; x += step) sum += Math.abs(a.data[y * a.width + x]! - sample(b, (x * s + dx) * base, (y * s + dy) * base));
    return sum;
  };
  // Each pass searches around the best alignment so far, in steps of (scale, shift, pixels sampled).
  let best = { s: 1, dx: 0, dy: 0, c: Infinity };
  const searchAround = (sSpan: number, sStep: number, dSpan: number, dStep: number, sampleStep: number) => {
    const { s: s0, dx: dx0, dy: dy0 } = best;
    for (let s = s0 - sSpan; s <= s0 + sSpan + sStep / 2; s += sStep)
      for (let dx = dx0 - dSpan; dx <= dx0 + dSpan; dx += dStep)
        for (let dy = dy0 - dSpan; dy <= dy0 + dSpan; dy += dStep) {
          const c = cost(s, dx, dy, sampleStep);
          if (c < best.c) best = { s, dx, dy, c };
        }
  };
  searchAround(0.1, 0.02, margin, 2, 3); // coarse
  searchAround(0.02, 0.005, 2, 0.5, 2); // finer
  searchAround(0.005, 0.0025, 0.5, 0.25, 2); // finest
  const blocks: number[] = [];
  for (let by = y0; by + 8 <= y1; by += 8)
    for (let bx = x0; bx + 8 <= x1; bx += 8) {
      let sum = 0;
      for (let y = by; y < by + 8; y++)
        for (let x = bx; x < bx + 8; x++)
          sum += Math.abs(a.data[y * a.width + x]! - sample(b, (x * best.s + best.dx) * base, (y * best.s + best.dy) * base));
      blocks.push(sum / 64);
    }
  blocks.sort((p, q) => p - q);
  const worst = blocks[blocks.length - 1] ?? 0;
  const p90 = blocks[Math.floor(blocks.length * 0.9)] ?? 0;
  // A copy differs a little everywhere (resampling, compression): its worst block is a few times
  // its 90th percentile. Other content differs a lot in a few blocks and nowhere else.
  return worst / (p90 + 1);
}

/**
 * Above this, two aligned pictures show different content. Measured on the test's screenshots: a
 * cropped, resized, recompressed copy 3–5; the same layout with one other number 24, another
 * profile 30 (lib/evidence/reuse.test.ts).
 */
export const MAX_BLOCK_CONTRAST = 12;

/** Whether two images (any size; thumbnails will do) show the same content, allowing re-encoding, resizing and a small crop. */
export async function sameContent(a: Buffer, b: Buffer): Promise<boolean> {
  const [ga, gb] = await Promise.all([grey(a, W), grey(b, W)]);
  return alignedBlockDifference(ga, gb) <= MAX_BLOCK_CONTRAST;
}

/**
 * Verdicts of `sameContent` by pair of thumbnail keys. The keys are the thumbnails' SHA-256, so a
 * verdict never goes stale; the alignment search costs 50–100 ms of CPU a pair, and a ticket page
 * would otherwise pay it for every candidate on every view.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 20_000;

async function sameThumbnails(ownKey: string, own: () => Promise<Grey | null>, theirKey: string): Promise<boolean> {
  if (ownKey === theirKey) return true; // byte-identical thumbnails: the same picture
  const pair = `${ownKey}:${theirKey}`;
  const known = verdicts.get(pair);
  if (known !== undefined) return known;
  const mine = await own();
  const theirs =
    mine &&
    (await evidenceStore()
      .read(theirKey)
      .catch(() => null));
  if (!mine || !theirs) return false;
  const same = alignedBlockDifference(mine, await grey(theirs, W)) <= MAX_BLOCK_CONTRAST;
  if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(pair, same);
  return same;
}

/** Near-identical evidence on other customers' tickets, for evidence `evidenceId` (an uploaded image). */
export async function findReuse(db: Db | Tx, evidenceId: number): Promise<ReuseMatch[]> {
  const [self] = await queryRows<{ phash: string | null; thumbnail_key: string | null; customer_id: string }>(
    db,
    sql`select e.phash::text as phash, e.thumbnail_key, t.customer_id from evidence e join tickets t on t.id = e.ticket_id where e.id = ${evidenceId}`,
  );
  if (!self?.phash || !self.thumbnail_key) return [];
  const phash = BigInt.asUintN(64, BigInt(self.phash));
  const candidates = await reuseCandidates(db, phash, { evidenceId, customerId: Number(self.customer_id) });
  if (!candidates.length) return [];
  let own: Promise<Grey | null> | undefined;
  const ownGrey = () =>
    (own ??= evidenceStore()
      .read(self.thumbnail_key!)
      .then((bytes) => grey(bytes, W))
      .catch(() => null));
  const matches: ReuseMatch[] = [];
  for (const c of candidates) {
    if (!c.thumbnailKey || !(await sameThumbnails(self.thumbnail_key, ownGrey, c.thumbnailKey))) continue;
    matches.push({
      evidenceId: c.id,
      ticketId: c.ticketId,
      customerId: c.customerId,
      originalName: c.originalName,
      distance: hamming(phash, BigInt.asUintN(64, BigInt(c.phash))),
    });
  }
  return matches;
}

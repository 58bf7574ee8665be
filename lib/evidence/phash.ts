/**
 * A 64-bit DCT perceptual hash (pHash): the image in grey, shrunk to 32 × 32, its 2-D DCT-II, the
 * 8 × 8 lowest frequencies, one bit per coefficient above their median. Re-encoding, resizing and a
 * small crop move few bits; another picture moves about half of them.
 */
import sharp from 'sharp';

const N = 32;
const LOW = 8;

/** cos((2x + 1) u π / 2N) for u < LOW, x < N. */
const COS: Float64Array = (() => {
  const table = new Float64Array(LOW * N);
  for (let u = 0; u < LOW; u++) for (let x = 0; x < N; x++) table[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return table;
})();

/** The hash of 32 × 32 grey pixels (row-major), as an unsigned 64-bit bigint. */
export function phashOfGrey(pixels: Uint8Array): bigint {
  if (pixels.length !== N * N) throw new Error(`phashOfGrey needs ${N * N} grey pixels, got ${pixels.length}.`);
  // Rows first: rowDct[y][u], then columns: coef[v][u].
  const rowDct = new Float64Array(N * LOW);
  for (let y = 0; y < N; y++)
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let x = 0; x < N; x++) sum += pixels[y * N + x]! * COS[u * N + x]!;
      rowDct[y * LOW + u] = sum;
    }
  const coef = new Float64Array(LOW * LOW);
  for (let v = 0; v < LOW; v++)
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let y = 0; y < N; y++) sum += rowDct[y * LOW + u]! * COS[v * N + y]!;
      coef[v * LOW + u] = sum;
    }
  const sorted = Float64Array.from(coef).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hash = 0n;
  for (let i = 0; i < LOW * LOW; i++) hash = (hash << 1n) | (coef[i]! > median ? 1n : 0n);
  return hash;
}

/** The pHash of an image sharp can read (oriented as it will be shown). */
export async function phashOf(input: Buffer | string, limitInputPixels: number | false = false): Promise<bigint> {
  const grey = await sharp(input, { limitInputPixels })
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(N, N, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return phashOfGrey(grey);
}

export const toHex = (hash: bigint) => hash.toString(16).padStart(16, '0');
/** As PostgreSQL's bigint holds it. */
export const toSigned = (hash: bigint) => BigInt.asIntN(64, hash);
/** The four 16-bit bands, most significant first. */
export const bandsOf = (hash: bigint): [number, number, number, number] => [
  Number((hash >> 48n) & 0xffffn),
  Number((hash >> 32n) & 0xffffn),
  Number((hash >> 16n) & 0xffffn),
  Number(hash & 0xffffn),
];

export function hamming(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}

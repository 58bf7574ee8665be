/**
 * Every image is decoded and drawn again with sharp: orientation applied, every piece of metadata
 * (EXIF with GPS, XMP, IPTC, ICC, comments, trailing bytes) left behind, HEIC/HEIF turned into JPEG,
 * a WebP thumbnail made. The uploaded bytes themselves are never kept. Anything sharp cannot decode
 * cleanly (a truncated file, a bomb beyond the pixel limit) is refused.
 *
 * HEIC/HEIF is tried with sharp first (its prebuilt libvips decodes AV1-coded HEIF, i.e. AVIF); what
 * sharp cannot decode, above all HEVC-coded HEIC from iPhones, is decoded by libheif in WebAssembly
 * (./heic.ts) and its pixels go through the same re-encoding. That decoder applies the container's
 * rotation and mirroring (`irot`, `imir`) and, as the HEIF standard says, not the EXIF orientation;
 * its pixels are converted to sRGB from the colour space the file names (an ICC profile, or Display
 * P3 by nclx).
 */
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeHeif, heifColour, HeifDecodeError } from './heic';
import { phashOf } from './phash';

export const THUMBNAIL_SIZE = 320;

export interface SanitisedImage {
  bytes: Buffer;
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  width: number;
  height: number;
  thumbnail: Buffer;
  phash: bigint;
}

export class ImageRefused extends Error {}

const mp = (pixels: number) => `${(pixels / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} megapixels`;

const HEIF_TYPES = new Set(['image/heic', 'image/heif']);

const tooLarge = (width: number, height: number, maxPixels: number) =>
  new ImageRefused(
    `is ${width.toLocaleString('en')} × ${height.toLocaleString('en')} pixels (${mp(width * height)}); images may have at most ${mp(maxPixels)}`,
  );
const undecodable = () => new ImageRefused('could not be decoded as an image (it is damaged or truncated)');

/** Re-encodes the decoded image `base` as `out`, with its thumbnail and perceptual hash. */
async function reencode(base: Sharp, out: SanitisedImage['mimeType']): Promise<SanitisedImage> {
  const encoded =
    out === 'image/png'
      ? base.png({ compressionLevel: 6, adaptiveFiltering: false })
      : out === 'image/webp'
        ? base.webp({ quality: 90 })
        : base.jpeg({ quality: 90, mozjpeg: false });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  // The thumbnail and the hash come from the re-encoded image: its pixels are all that is kept.
  const [thumbnail, phash] = await Promise.all([
    sharp(data).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer(),
    phashOf(data),
  ]);
  return { bytes: data, mimeType: out, width: info.width, height: info.height, thumbnail, phash };
}

/** libvips' own Display P3 profile, for HEIF that names P3 by its nclx primaries rather than an ICC profile. */
let p3Profile: Promise<Buffer> | undefined;
const displayP3 = () =>
  (p3Profile ??= sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .withIccProfile('p3')
    .png()
    .toBuffer()
    .then(async (png) => (await sharp(png).metadata()).icc!));

/**
 * The decoded RGB pixels as an image sharp reads in their colour space: sharp takes raw pixels as
 * sRGB and cannot be told otherwise, so pixels in another space (an ICC profile, Display P3 by nclx)
 * become a fast, uncompressed PNG carrying that profile (iCCP), which sharp converts to sRGB.
 */
async function withColour(pixels: Buffer, width: number, height: number, bytes: Uint8Array, maxPixels: number): Promise<Sharp> {
  const raw = () => sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: maxPixels });
  const colour = heifColour(bytes);
  const icc = colour && 'icc' in colour ? colour.icc : colour?.primaries === 12 ? await displayP3() : null;
  if (!icc) return raw();
  const png = await raw().png({ compressionLevel: 0, adaptiveFiltering: false }).toBuffer();
  const body = Buffer.concat([Buffer.from('iCCP', 'latin1'), Buffer.from('ICC profile\0\0', 'latin1'), deflateSync(icc)]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const ihdrEnd = 8 + 25; // the signature, then IHDR: length, type, 13 bytes, CRC
  return sharp(Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]), { limitInputPixels: maxPixels });
}

/** HEIF that sharp could not decode, decoded by libheif (./heic.ts); always re-encoded as JPEG. */
async function sanitiseWithLibheif(file: string, maxPixels: number): Promise<SanitisedImage> {
  const bytes = await readFile(file);
  let decoded;
  try {
    decoded = await decodeHeif(bytes, maxPixels);
  } catch (error) {
    if (!(error instanceof HeifDecodeError)) throw error;
    if (error.failure === 'too-large') throw tooLarge(error.width ?? 0, error.height ?? 0, maxPixels);
    if (error.failure === 'unreadable')
      throw new ImageRefused('could not be read as an image (it is damaged or not what its first bytes claim)');
    throw undecodable();
  }
  const { width, height, pixels } = decoded;
  try {
    return await reencode(await withColour(pixels, width, height, bytes, maxPixels), 'image/jpeg');
  } catch {
    // A colour profile lcms cannot use is no reason to refuse the pixels: they are kept as sRGB.
    try {
      return await reencode(sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: maxPixels }), 'image/jpeg');
    } catch {
      throw undecodable();
    }
  }
}

/** Decodes and re-encodes the image at `file` (sniffed as `mimeType`); throws ImageRefused with the reason. */
export async function sanitiseImage(file: string, mimeType: string, maxPixels: number): Promise<SanitisedImage> {
  const heif = HEIF_TYPES.has(mimeType);
  const open = () => sharp(file, { limitInputPixels: maxPixels, failOn: 'warning', sequentialRead: true });
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    // libheif reads some HEIF files that sharp cannot even open; it checks the size itself first.
    if (heif) return sanitiseWithLibheif(file, maxPixels);
    throw new ImageRefused('could not be read as an image (it is damaged or not what its first bytes claim)');
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (!width || !height) throw new ImageRefused('could not be read as an image (it has no size)');
  if (width * height > maxPixels) throw tooLarge(width, height, maxPixels);
  const out: SanitisedImage['mimeType'] =
    mimeType === 'image/png' || mimeType === 'image/gif' ? 'image/png' : mimeType === 'image/webp' ? 'image/webp' : 'image/jpeg';
  try {
    return await reencode(open().rotate(), out);
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/pixel limit/i.test(message)) throw new ImageRefused(`is larger than ${mp(maxPixels)}`);
    // sharp's prebuilt libvips has no HEVC decoder: libheif in WebAssembly has one.
    if (heif) return sanitiseWithLibheif(file, maxPixels);
    throw undecodable();
  }
}

/**
 * Every image is decoded and drawn again with sharp: orientation applied, every piece of metadata
 * (EXIF with GPS, XMP, IPTC, ICC, comments, trailing bytes) left behind, HEIC/HEIF turned into JPEG,
 * a WebP thumbnail made. The uploaded bytes themselves are never kept. Anything sharp cannot decode
 * cleanly (a truncated file, a bomb beyond the pixel limit) is refused.
 */
import sharp, { type Metadata } from 'sharp';
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

/** Decodes and re-encodes the image at `file` (sniffed as `mimeType`); throws ImageRefused with the reason. */
export async function sanitiseImage(file: string, mimeType: string, maxPixels: number): Promise<SanitisedImage> {
  const open = () => sharp(file, { limitInputPixels: maxPixels, failOn: 'warning', sequentialRead: true });
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefused('could not be read as an image (it is damaged or not what its first bytes claim)');
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (!width || !height) throw new ImageRefused('could not be read as an image (it has no size)');
  if (width * height > maxPixels) {
    throw new ImageRefused(
      `is ${width.toLocaleString('en')} × ${height.toLocaleString('en')} pixels (${mp(width * height)}); images may have at most ${mp(maxPixels)}`,
    );
  }
  const out: SanitisedImage['mimeType'] =
    mimeType === 'image/png' || mimeType === 'image/gif' ? 'image/png' : mimeType === 'image/webp' ? 'image/webp' : 'image/jpeg';
  try {
    const base = open().rotate();
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
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/pixel limit/i.test(message)) throw new ImageRefused(`is larger than ${mp(maxPixels)}`);
    throw new ImageRefused('could not be decoded as an image (it is damaged or truncated)');
  }
}

/**
 * Images the evidence tests make themselves: "app screenshots" drawn from SVG by sharp (same
 * layout, the numbers given), and the attack corpus of hostile files.
 */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export interface ProfileShot {
  handle: string;
  posts: string;
  followers: string;
  following: string;
}

/** A 720 × 1280 "profile screenshot" of one social app: every shot has the same layout, only the text differs. */
export function profileSvg(shot: ProfileShot): string {
  const font = 'font-family="DejaVu Sans, Arial, sans-serif"';
  const tiles = Array.from(
    { length: 9 },
    (_, i) => `<rect x="${(i % 3) * 240}" y="${460 + Math.floor(i / 3) * 240}" width="236" height="236" fill="hsl(${i * 40},40%,70%)"/>`,
  ).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280">
  <rect width="720" height="1280" fill="#fff"/>
  <rect width="720" height="48" fill="#f6f6f7"/><text x="20" y="34" font-size="24" ${font}>12:41</text>
  <rect y="48" width="720" height="96" fill="#e1306c"/><text x="28" y="110" font-size="40" fill="#fff" ${font}>@${shot.handle}</text>
  <circle cx="100" cy="250" r="70" fill="#c8a0b0"/>
  <text x="220" y="240" font-size="48" font-weight="bold" ${font}>${shot.posts}</text><text x="220" y="285" font-size="24" ${font}>posts</text>
  <text x="380" y="240" font-size="48" font-weight="bold" ${font}>${shot.followers}</text><text x="380" y="285" font-size="24" ${font}>followers</text>
  <text x="560" y="240" font-size="48" font-weight="bold" ${font}>${shot.following}</text><text x="560" y="285" font-size="24" ${font}>following</text>
  <rect x="28" y="360" width="664" height="60" rx="8" fill="#efefef"/><text x="290" y="400" font-size="26" ${font}>Edit profile</text>
  ${tiles}
  </svg>`;
}

export const profilePng = (shot: ProfileShot) =>
  sharp(Buffer.from(profileSvg(shot)))
    .png()
    .toBuffer();

/** A reposted copy: cropped by `crop` of each side's length, resized to `width`, recompressed as JPEG. */
export async function repostedCopy(png: Buffer, { crop = 0.02, width = 540, quality = 70 } = {}): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  const left = Math.round(meta.width * crop);
  const top = Math.round(meta.height * crop);
  return sharp(png)
    .extract({ left, top, width: meta.width - 2 * left, height: meta.height - 2 * top })
    .resize(width)
    .jpeg({ quality })
    .toBuffer();
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A tiny PNG that claims `width` × `height` pixels (one grey channel, every row blank): a
 * decompression bomb of a few kilobytes. Only its first rows are present, which is enough for a
 * decoder that trusts the header to allocate the whole image.
 */
export function bombPng(width = 50_000, height = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = deflateSync(Buffer.alloc((width + 1) * 16), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid PNG with an HTML page in a text chunk and after IEND: a PNG/HTML polyglot. */
export async function polyglotPng(): Promise<Buffer> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  const html = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), html])), png.subarray(iend), html]);
}

/** A JPEG carrying GPS coordinates (and a camera model) in its EXIF. */
export async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#88aa44' } })
    .withExif({
      IFD0: { Make: 'SpyCam', Model: 'Tracker 3000' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export const smallPng = (color = '#cc3366', size = 48) =>
  sharp({ create: { width: size, height: size, channels: 3, background: color } })
    .png()
    .toBuffer();

export const svgWithScript = () =>
  Buffer.from(
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
  );

export const htmlPage = () => Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/v1/staff")</script></body></html>');

/** A minimal well-formed PDF. */
export function tinyPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

/**
 * An HEVC-coded HEIC as an iPhone writes one (./fixtures/README.md): 640 × 480 pixels stored, an
 * `irot` turning them 90° clockwise (shown 480 × 640, the red square of the top-left corner then at
 * the top right), EXIF with GPS, a camera and Orientation 6, an ICC profile. sharp's prebuilt
 * libvips cannot decode it.
 */
export const hevcHeic = () => readFileSync(new URL('./fixtures/hevc-rotated.heic', import.meta.url));

/**
 * A 64 × 48 HEVC HEIC in Display P3 (ICC profile), ./fixtures/README.md: the left half is sRGB
 * (224, 64, 44), stored as (207, 77, 55); the right half sRGB (49, 175, 80), stored (90, 173, 91).
 */
export const displayP3Heic = () => readFileSync(new URL('./fixtures/hevc-display-p3.heic', import.meta.url));

/** hevcHeic with its `ispe` claiming `width` × `height` pixels: a HEIC decompression bomb of 12 KB. */
export function heicBomb(width = 50_000, height = 50_000): Buffer {
  const bytes = hevcHeic();
  const ispe = bytes.indexOf('ispe', 0, 'latin1');
  bytes.writeUInt32BE(width, ispe + 8); // after the type, a full box's version and flags
  bytes.writeUInt32BE(height, ispe + 12);
  return bytes;
}

/** An AV1-coded HEIF (AVIF), which sharp decodes itself. */
export const av1Heif = (width = 96, height = 64) =>
  sharp({ create: { width, height, channels: 3, background: '#2266aa' } })
    .heif({ compression: 'av1', quality: 60 })
    .toBuffer();

/** The WebAssembly HEIF decoder on its own: real decoding of the HEVC fixture, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeHeif, heifColour, HeifDecodeError } from './heic';
import { displayP3Heic, heicBomb, hevcHeic } from './test-images';

describe('decodeHeif', () => {
  it('decodes an HEVC HEIC to RGB pixels, turned by its irot', async () => {
    const started = performance.now();
    const { width, height, pixels } = await decodeHeif(hevcHeic(), 40_000_000);
    const took = performance.now() - started;
    expect({ width, height, bytes: pixels.length }).toEqual({ width: 480, height: 640, bytes: 480 * 640 * 3 });
    // The red square of the stored top-left corner, top right once turned 90° clockwise.
    const at = (x: number, y: number) => [...pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    expect(at(460, 20)[0]).toBeGreaterThan(170);
    expect(at(20, 20)[1]).toBeGreaterThan(150); // sand, not red
    // A worker, the WebAssembly decoder and the decode: about half a second here, most of it starting up.
    expect(took).toBeLessThan(10_000);
  });

  it('decodes a 10-bit HEIC to 8-bit RGB', async () => {
    const bytes = readFileSync(new URL('./fixtures/hevc-10bit.heic', import.meta.url));
    expect((await sharp(bytes).metadata()).bitsPerSample).toBe(10);
    const { width, height, pixels } = await decodeHeif(bytes, 40_000_000);
    expect({ width, height, bytes: pixels.length }).toEqual({ width: 64, height: 48, bytes: 64 * 48 * 3 });
    const at = (x: number, y: number) => [...pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 6);
    expect(near(at(12, 24), [224, 64, 44]), `left half ${at(12, 24)}`).toBe(true);
    expect(near(at(52, 24), [49, 175, 80]), `right half ${at(52, 24)}`).toBe(true);
  });

  it('refuses an image larger than the limit by the size in its header', async () => {
    const refused = await decodeHeif(hevcHeic(), 480 * 640 - 1).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HeifDecodeError);
    expect(refused).toMatchObject({ failure: 'too-large', width: 480, height: 640 });
  });

  it('refuses a 50,000 × 50,000 bomb without allocating it', async () => {
    const refused = await decodeHeif(heicBomb(), 40_000_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HeifDecodeError);
    expect(refused).toMatchObject({ failure: 'too-large', width: 50_000, height: 50_000 });
  });

  it('refuses a truncated file and bytes that are no HEIF', async () => {
    const bytes = hevcHeic();
    for (const input of [bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, 200), Buffer.from('\0\0\0\x18ftypheic not really')]) {
      const refused = await decodeHeif(input, 40_000_000).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(HeifDecodeError);
      expect((refused as HeifDecodeError).failure).toMatch(/^(unreadable|undecodable)$/);
    }
  });

  it('ends a decode that takes too long', async () => {
    const refused = await decodeHeif(hevcHeic(), 40_000_000, { timeoutMs: 1 }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ failure: 'timeout' });
  });
});

describe('heifColour', () => {
  it('finds the ICC profile of the primary image', async () => {
    const p3 = heifColour(displayP3Heic());
    expect(p3).toHaveProperty('icc');
    const profile = (p3 as { icc: Buffer }).icc;
    expect(profile.subarray(36, 40).toString('latin1')).toBe('acsp'); // an ICC profile's signature
    // The very profile sharp calls "p3".
    const libvipsP3 = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    expect(profile.equals((await sharp(libvipsP3).metadata()).icc!)).toBe(true);
    expect(heifColour(hevcHeic())).toHaveProperty('icc');
  });

  it('says nothing of bytes that are no HEIF, or cut short', () => {
    expect(heifColour(Buffer.from('not a heif at all'))).toBeNull();
    expect(heifColour(hevcHeic().subarray(0, 100))).toBeNull();
  });
});

/**
 * A tiny RGB canvas (rectangles, circles, bitmap text), PNG encoding through pngjs, and a 64-bit
 * perceptual hash (dHash) of what was drawn. Pixels are 3 bytes (RGB), the PNG's own layout, so
 * pngjs packs them without converting.
 */
import { PNG } from 'pngjs';
import { GLYPH_ADVANCE, GLYPH_WIDTH, glyph } from './font';

export type Rgb = readonly [number, number, number];

export class Canvas {
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = Buffer.alloc(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  fillRect(x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(this.width, Math.floor(x + w));
    const y1 = Math.min(this.height, Math.floor(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    // Draw one row, then copy it down.
    const rowStart = (y0 * this.width + x0) * 3;
    const rowBytes = (x1 - x0) * 3;
    for (let i = rowStart, end = rowStart + rowBytes; i < end; i += 3) {
      this.data[i] = r;
      this.data[i + 1] = g;
      this.data[i + 2] = b;
    }
    for (let y = y0 + 1; y < y1; y++) {
      this.data.copy(this.data, (y * this.width + x0) * 3, rowStart, rowStart + rowBytes);
    }
  }

  fillCircle(cx: number, cy: number, radius: number, color: Rgb): void {
    for (let dy = -radius; dy <= radius; dy++) {
      const half = Math.floor(Math.sqrt(radius * radius - dy * dy));
      this.fillRect(cx - half, cy + dy, half * 2 + 1, 1, color);
    }
  }

  /** Draws `text` with its top-left corner at (x, y); returns the x after the last character. */
  text(x: number, y: number, text: string, scale: number, color: Rgb): number {
    let cx = x;
    for (const ch of text) {
      if (cx >= this.width) break;
      const rows = glyph(ch);
      for (let row = 0; row < rows.length; row++) {
        const bits = rows[row] ?? 0;
        if (bits === 0) continue;
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (bits & (1 << (GLYPH_WIDTH - 1 - col))) this.fillRect(cx + col * scale, y + row * scale, scale, scale, color);
        }
      }
      cx += GLYPH_ADVANCE * scale;
    }
    return cx;
  }

  /** Text centred horizontally on `cx`. */
  textCentered(cx: number, y: number, text: string, scale: number, color: Rgb): void {
    this.text(Math.round(cx - textWidth(text, scale) / 2), y, text, scale, color);
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height, fill: false });
    png.data = this.data;
    // RGB in and out (no conversion), "Sub" filter: flat screenshots compress well and encode fast.
    return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, deflateLevel: 6, filterType: 1 });
  }
}

export const textWidth = (text: string, scale: number) => [...text].length * GLYPH_ADVANCE * scale - scale;

/** Cuts text to at most `chars` characters, marking the cut with "..". */
export function clip(text: string, chars: number): string {
  const chars_ = [...text];
  return chars_.length <= chars ? text : `${chars_.slice(0, Math.max(0, chars - 2)).join('')}..`;
}

/**
 * dHash: the image shrunk to 9×8 grey cells (box average), one bit per cell that is brighter than
 * its right-hand neighbour; 64 bits as 16 hex digits. Near-identical screenshots get near-identical
 * hashes. `pixels` is RGB (channels 3) or RGBA (channels 4, as pngjs decodes).
 */
export function dHash(pixels: Uint8Array, width: number, height: number, channels: 3 | 4 = 3): string {
  const cols = 9;
  const rows = 8;
  const cells = new Float64Array(cols * rows);
  for (let cy = 0; cy < rows; cy++) {
    const y0 = Math.floor((cy * height) / rows);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * height) / rows));
    for (let cx = 0; cx < cols; cx++) {
      const x0 = Math.floor((cx * width) / cols);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * width) / cols));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * channels;
          sum += 0.299 * pixels[i]! + 0.587 * pixels[i + 1]! + 0.114 * pixels[i + 2]!;
        }
      }
      cells[cy * cols + cx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let hex = '';
  for (let cy = 0; cy < rows; cy++) {
    let byte = 0;
    for (let cx = 0; cx < 8; cx++) {
      byte = (byte << 1) | (cells[cy * cols + cx]! > cells[cy * cols + cx + 1]! ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

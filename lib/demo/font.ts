/**
 * A compact 5×7 bitmap font (the classic LCD character set): digits, both cases, and the
 * punctuation that shows up on screenshots (@ . / : - % # $ …). Each glyph is seven rows (eight
 * for the descenders g j p q y), one number per row, bit 4 the leftmost pixel.
 */

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Rows including descenders. */
export const GLYPH_ROWS = 8;
/** Horizontal advance per character (one pixel of spacing). */
export const GLYPH_ADVANCE = 6;

const G = (hex: string) => hex.split(' ').map((h) => parseInt(h, 16));

const GLYPHS: Record<string, number[]> = {
  ' ': G('00 00 00 00 00 00 00'),
  '0': G('0E 11 13 15 19 11 0E'),
  '1': G('04 0C 04 04 04 04 0E'),
  '2': G('0E 11 01 02 04 08 1F'),
  '3': G('1F 02 04 02 01 11 0E'),
  '4': G('02 06 0A 12 1F 02 02'),
  '5': G('1F 10 1E 01 01 11 0E'),
  '6': G('06 08 10 1E 11 11 0E'),
  '7': G('1F 01 02 04 08 08 08'),
  '8': G('0E 11 11 0E 11 11 0E'),
  '9': G('0E 11 11 0F 01 02 0C'),
  A: G('0E 11 11 11 1F 11 11'),
  B: G('1E 11 11 1E 11 11 1E'),
  C: G('0E 11 10 10 10 11 0E'),
  D: G('1C 12 11 11 11 12 1C'),
  E: G('1F 10 10 1E 10 10 1F'),
  F: G('1F 10 10 1E 10 10 10'),
  G: G('0E 11 10 17 11 11 0F'),
  H: G('11 11 11 1F 11 11 11'),
  I: G('0E 04 04 04 04 04 0E'),
  J: G('07 02 02 02 02 12 0C'),
  K: G('11 12 14 18 14 12 11'),
  L: G('10 10 10 10 10 10 1F'),
  M: G('11 1B 15 15 11 11 11'),
  N: G('11 11 19 15 13 11 11'),
  O: G('0E 11 11 11 11 11 0E'),
  P: G('1E 11 11 1E 10 10 10'),
  Q: G('0E 11 11 11 15 12 0D'),
  R: G('1E 11 11 1E 14 12 11'),
  S: G('0F 10 10 0E 01 01 1E'),
  T: G('1F 04 04 04 04 04 04'),
  U: G('11 11 11 11 11 11 0E'),
  V: G('11 11 11 11 11 0A 04'),
  W: G('11 11 11 15 15 15 0A'),
  X: G('11 11 0A 04 0A 11 11'),
  Y: G('11 11 11 0A 04 04 04'),
  Z: G('1F 01 02 04 08 10 1F'),
  a: G('00 00 0E 01 0F 11 0F'),
  b: G('10 10 16 19 11 11 1E'),
  c: G('00 00 0E 10 10 11 0E'),
  d: G('01 01 0D 13 11 11 0F'),
  e: G('00 00 0E 11 1F 10 0E'),
  f: G('06 09 08 1C 08 08 08'),
  g: G('00 00 0F 11 11 0F 01 0E'),
  h: G('10 10 16 19 11 11 11'),
  i: G('04 00 0C 04 04 04 0E'),
  j: G('02 00 06 02 02 02 12 0C'),
  k: G('10 10 12 14 18 14 12'),
  l: G('0C 04 04 04 04 04 0E'),
  m: G('00 00 1A 15 15 11 11'),
  n: G('00 00 16 19 11 11 11'),
  o: G('00 00 0E 11 11 11 0E'),
  p: G('00 00 1E 11 11 1E 10 10'),
  q: G('00 00 0F 11 11 0F 01 01'),
  r: G('00 00 16 19 10 10 10'),
  s: G('00 00 0E 10 0E 01 1E'),
  t: G('08 08 1C 08 08 09 06'),
  u: G('00 00 11 11 11 13 0D'),
  v: G('00 00 11 11 11 0A 04'),
  w: G('00 00 11 11 15 15 0A'),
  x: G('00 00 11 0A 04 0A 11'),
  y: G('00 00 11 11 11 0F 01 0E'),
  z: G('00 00 1F 02 04 08 1F'),
  '.': G('00 00 00 00 00 0C 0C'),
  ',': G('00 00 00 00 0C 04 08'),
  ':': G('00 0C 0C 00 0C 0C 00'),
  ';': G('00 0C 0C 00 0C 04 08'),
  '/': G('00 01 02 04 08 10 00'),
  '\\': G('00 10 08 04 02 01 00'),
  '-': G('00 00 00 1F 00 00 00'),
  _: G('00 00 00 00 00 00 1F'),
  '@': G('0E 11 01 0D 15 15 0E'),
  '#': G('0A 0A 1F 0A 1F 0A 0A'),
  '%': G('18 19 02 04 08 13 03'),
  '!': G('04 04 04 04 04 00 04'),
  '?': G('0E 11 01 02 04 00 04'),
  '(': G('02 04 08 08 08 04 02'),
  ')': G('08 04 02 02 02 04 08'),
  '[': G('0E 08 08 08 08 08 0E'),
  ']': G('0E 02 02 02 02 02 0E'),
  '+': G('00 04 04 1F 04 04 00'),
  '=': G('00 00 1F 00 1F 00 00'),
  $: G('04 0F 14 0E 05 1E 04'),
  '&': G('0C 12 14 08 15 12 0D'),
  '*': G('00 04 15 0E 15 04 00'),
  '<': G('02 04 08 10 08 04 02'),
  '>': G('08 04 02 01 02 04 08'),
  '|': G('04 04 04 04 04 04 04'),
  "'": G('0C 04 08 00 00 00 00'),
  '"': G('0A 0A 0A 00 00 00 00'),
};

/** A small box for characters the font lacks (emoji, accents). */
const MISSING = G('1F 11 11 11 11 11 1F');

export function glyph(ch: string): readonly number[] {
  return GLYPHS[ch] ?? MISSING;
}

export const hasGlyph = (ch: string) => ch in GLYPHS;

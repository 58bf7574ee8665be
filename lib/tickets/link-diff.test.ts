import { describe, expect, it } from 'vitest';
import { compareLinks, diffChars, showWhitespace, sideOf, type DiffSegment } from './link-diff';

const join = (segments: DiffSegment[], kinds: string[]) =>
  segments
    .filter((s) => kinds.includes(s.kind))
    .map((s) => s.text)
    .join('');

describe('diffChars', () => {
  it('returns one same segment for equal texts and nothing for two empty ones', () => {
    expect(diffChars('https://instagram.com/acme', 'https://instagram.com/acme')).toEqual([
      { text: 'https://instagram.com/acme', kind: 'same' },
    ]);
    expect(diffChars('', '')).toEqual([]);
  });

  it('marks a trailing space as added', () => {
    expect(diffChars('https://x.com/a', 'https://x.com/a ')).toEqual([
      { text: 'https://x.com/a', kind: 'same' },
      { text: ' ', kind: 'added' },
    ]);
  });

  it('finds a single changed character in the middle', () => {
    expect(diffChars('instagram.com/acme_shop', 'instagram.com/acme.shop')).toEqual([
      { text: 'instagram.com/acme', kind: 'same' },
      { text: '_', kind: 'removed' },
      { text: '.', kind: 'added' },
      { text: 'shop', kind: 'same' },
    ]);
  });

  it('keeps scattered common characters (a real LCS, not only prefix and suffix)', () => {
    const segments = diffChars('https://www.tiktok.com/@acme', 'http://tiktok.com/@acme1');
    expect(join(segments, ['same', 'removed'])).toBe('https://www.tiktok.com/@acme');
    expect(join(segments, ['same', 'added'])).toBe('http://tiktok.com/@acme1');
    expect(join(segments, ['removed'])).toBe('swww.');
    expect(join(segments, ['added'])).toBe('1');
  });

  it('rebuilds both texts from its segments and never repeats a kind twice in a row', () => {
    const pairs: [string, string][] = [
      ['abcdef', 'azcedf'],
      ['', 'https://t.me/channel'],
      ['https://t.me/channel', ''],
      ['kitten', 'sitting'],
      ['  https://youtu.be/x ', 'https://youtu.be/x'],
      ['ab😀cd', 'ab😃cd'],
    ];
    for (const [a, b] of pairs) {
      const segments = diffChars(a, b);
      expect(join(segments, ['same', 'removed'])).toBe(a);
      expect(join(segments, ['same', 'added'])).toBe(b);
      for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.kind).not.toBe(segments[i - 1]!.kind);
    }
  });

  it('treats an emoji as one character', () => {
    expect(diffChars('a😀b', 'a😃b')).toEqual([
      { text: 'a', kind: 'same' },
      { text: '😀', kind: 'removed' },
      { text: '😃', kind: 'added' },
      { text: 'b', kind: 'same' },
    ]);
  });

  it('stays fast and correct on long, unrelated texts', () => {
    const a = 'x'.repeat(3000);
    const b = 'y'.repeat(3000);
    const started = performance.now();
    expect(diffChars(a, b)).toEqual([
      { text: a, kind: 'removed' },
      { text: b, kind: 'added' },
    ]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('compareLinks', () => {
  it('says whether the links match exactly and as the policy reads them (trimmed)', () => {
    expect(compareLinks('https://x.com/a', 'https://x.com/a')).toMatchObject({ isIdentical: true, isSameAfterTrim: true });
    expect(compareLinks('https://x.com/a', ' https://x.com/a ')).toMatchObject({ isIdentical: false, isSameAfterTrim: true });
    expect(compareLinks('https://x.com/a', 'https://x.com/b')).toMatchObject({ isIdentical: false, isSameAfterTrim: false });
  });

  it('splits into the order side and the ticket side', () => {
    const { segments } = compareLinks('https://x.com/ab', 'https://x.com/ac');
    expect(sideOf(segments, 'order')).toEqual([
      { text: 'https://x.com/a', kind: 'same' },
      { text: 'b', kind: 'removed' },
    ]);
    expect(sideOf(segments, 'ticket')).toEqual([
      { text: 'https://x.com/a', kind: 'same' },
      { text: 'c', kind: 'added' },
    ]);
  });
});

describe('showWhitespace', () => {
  it('makes spaces, tabs, line breaks and no-break spaces visible', () => {
    expect(showWhitespace(' a\tb\nc\u00a0')).toBe('␠a⇥b↵c⍽');
  });

  it('names characters that print as nothing', () => {
    expect(showWhitespace('acme\u200b')).toBe('acme⟨U+200B⟩');
    expect(showWhitespace('\ufeffx')).toBe('⟨U+FEFF⟩x');
    expect(showWhitespace('a\u2009b')).toBe('a⟨U+2009⟩b');
  });

  it('leaves ordinary text alone', () => {
    expect(showWhitespace('https://instagram.com/acme?igsh=1')).toBe('https://instagram.com/acme?igsh=1');
  });
});

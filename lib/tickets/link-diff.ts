/**
 * A character diff of two links, for showing an agent exactly where the link the customer wrote in
 * the ticket differs from the link submitted with the order. Pure; no imports.
 *
 * `diffChars(from, to)` returns segments in reading order: `same` text is in both, `removed` is
 * only in `from`, `added` only in `to`. Characters are Unicode code points (an emoji is one), and
 * the common prefix and suffix are taken off before a longest-common-subsequence table is built,
 * so typical links (one typo, a trailing space) cost next to nothing.
 */

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffSegment {
  text: string;
  kind: DiffKind;
}

/** Above this many table cells the middle part is shown as one removal and one addition. */
const MAX_CELLS = 4_000_000;

function push(out: DiffSegment[], kind: DiffKind, text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ text, kind });
}

/** The LCS-based diff of two arrays of characters (already stripped of a common prefix and suffix). */
function lcsDiff(a: string[], b: string[], out: DiffSegment[]) {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    // Nothing in common to find (or too big to look for): removals come before additions.
    push(out, 'removed', a.join(''));
    push(out, 'added', b.join(''));
    return;
  }
  // lengths[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push(out, 'same', a[i]!);
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      push(out, 'removed', a[i]!);
      i += 1;
    } else {
      push(out, 'added', b[j]!);
      j += 1;
    }
  }
  push(out, 'removed', a.slice(i).join(''));
  push(out, 'added', b.slice(j).join(''));
}

/** Segments that turn `from` into `to`, character by character. */
export function diffChars(from: string, to: string): DiffSegment[] {
  const a = Array.from(from);
  const b = Array.from(to);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const out: DiffSegment[] = [];
  push(out, 'same', a.slice(0, start).join(''));
  lcsDiff(a.slice(start, endA), b.slice(start, endB), out);
  push(out, 'same', a.slice(endA).join(''));
  return out;
}

export interface LinkComparison {
  /** Character for character equal, white space included. */
  isIdentical: boolean;
  /** Equal after trimming leading and trailing white space: the policy's test (rule 4). */
  isSameAfterTrim: boolean;
  /** From the order's link to the ticket's link: `removed` is only in the order, `added` only in the ticket. */
  segments: DiffSegment[];
}

/** Compares the link submitted with the order with the link the customer gave in the ticket. */
export function compareLinks(orderLink: string, ticketLink: string): LinkComparison {
  return {
    isIdentical: orderLink === ticketLink,
    isSameAfterTrim: orderLink.trim() === ticketLink.trim(),
    segments: diffChars(orderLink, ticketLink),
  };
}

const VISIBLE: Record<string, string> = {
  ' ': '␠',
  '\t': '⇥',
  '\n': '↵',
  '\r': '␍',
  '\u00a0': '⍽',
};

/** Characters that print as nothing (zero-width, direction marks, BOM, soft hyphen). */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/u;

/**
 * The text with white space and invisible characters made visible: a space as `␠`, a tab as `⇥`,
 * a line break as `↵`, a no-break space as `⍽`, and anything that prints as nothing as `⟨U+200B⟩`.
 * Other white space (thin, ideographic…) is shown by its code point too.
 */
export function showWhitespace(text: string): string {
  let out = '';
  for (const ch of text) {
    const visible = VISIBLE[ch];
    if (visible) out += visible;
    else if (INVISIBLE.test(ch) || /\s/u.test(ch)) out += `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    else out += ch;
  }
  return out;
}

/** The segments for one side: the order's link (`same` + `removed`) or the ticket's (`same` + `added`). */
export function sideOf(segments: DiffSegment[], side: 'order' | 'ticket'): DiffSegment[] {
  const skip: DiffKind = side === 'order' ? 'added' : 'removed';
  return segments.filter((s) => s.kind !== skip);
}

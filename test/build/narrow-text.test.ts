import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { isAllNarrowSource, NARROW_RANGES, segmentsSource } from '../../scripts/narrow-text.mjs';

/**
 * The build lets text made only of these characters skip string-width's grapheme and emoji
 * analysis (scripts/build.mjs, narrow-text-fast-path): that is only right if string-width itself
 * says each is one column and they never combine.
 */
const codePoints = NARROW_RANGES.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
// The very source the build injects, run as it runs there. string-width is the copy Ink resolves (hoisted).
const isAllNarrow = new Function(`${isAllNarrowSource('isAllNarrow')}\nreturn isAllNarrow;`)() as (s: string) => boolean;

describe('the narrow-text fast path of the build', () => {
  it('covers only characters string-width measures as one column', () => {
    const wrong = codePoints.filter((cp) => stringWidth(String.fromCodePoint(cp)) !== 1).map((cp) => `U+${cp.toString(16).toUpperCase()}`);
    expect(wrong).toEqual([]);
  });

  it('any text made of them measures its length, as string-width would say', () => {
    const text = fc.array(fc.constantFrom(...codePoints), { maxLength: 60 }).map((cps) => String.fromCodePoint(...cps));
    fc.assert(
      fc.property(text, (s) => {
        expect(isAllNarrow(s)).toBe(true);
        expect(stringWidth(s)).toBe(s.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves everything else to string-width: controls, soft hyphen, emoji, wide and combining characters', () => {
    for (const s of ['\t', '\u00ad', '\u203c', '\u2194', '\u2714', '😀', '漢', 'e\u0301', '\u200b', '\u25b6']) expect(isAllNarrow(s), JSON.stringify(s)).toBe(false);
  });
});

// Ink's text libraries split text into graphemes; the build splits narrow text by code unit.
type Segments = Iterable<{ segment: string; index: number; input: string }> & { containing(index?: number): { segment: string; index: number; input: string } | undefined };
const segmentsOf = new Function(`${segmentsSource('segmentsOf')}\nreturn segmentsOf;`)() as (s: string) => Segments;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const plain = (x: { segment: string; index: number; input: string } | undefined) => (x ? { segment: x.segment, index: x.index, input: x.input } : undefined);

describe('the segmenter fast path of the build', () => {
  it('gives the graphemes Intl.Segmenter gives, for narrow text with escape sequences', () => {
    const sgr = fc.constantFrom('\x1b[31m', '\x1b[39m', '\x1b[7m', '\x1b[27m', '\x1b[1;96m', '\x1b[38;5;208m', '\x1b[0m');
    const text = fc.array(fc.oneof(fc.constantFrom(...codePoints).map((cp) => String.fromCodePoint(cp)), sgr), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const fast = segmentsOf(s);
        const real = segmenter.segment(s);
        expect([...fast].map(plain)).toEqual([...real].map(plain));
        for (let i = -1; i <= s.length; i++) expect(plain(fast.containing(i))).toEqual(plain(real.containing(i)));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves everything else to Intl.Segmenter', () => {
    for (const s of ['e\u0301', '😀', '漢', '\u25b6\ufe0f', 'a\u200db', '\r\n', '\t']) {
      expect([...segmentsOf(`x${s}`)].map(plain)).toEqual([...segmenter.segment(`x${s}`)].map(plain));
    }
  });
});

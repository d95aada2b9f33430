import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { codeUnitSegmentsSource, isAllNarrowSource, NARROW_RANGES } from '../../scripts/narrow-text.mjs';

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

// The tokenizer Ink uses walks text grapheme by grapheme; the build walks narrow text by code unit.
const codeUnitSegments = new Function(`${codeUnitSegmentsSource('codeUnitSegments')}\nreturn codeUnitSegments;`)() as (s: string) => Array<{ segment: string; index: number }> | undefined;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

describe('the tokenizer fast path of the build', () => {
  it('gives the graphemes Intl.Segmenter gives, for narrow text with escape sequences', () => {
    const sgr = fc.constantFrom('\x1b[31m', '\x1b[39m', '\x1b[7m', '\x1b[27m', '\x1b[1;96m', '\x1b[38;5;208m', '\x1b[0m');
    const text = fc.array(fc.oneof(fc.constantFrom(...codePoints).map((cp) => String.fromCodePoint(cp)), sgr), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(codeUnitSegments(s)).toEqual([...segmenter.segment(s)].map(({ segment, index }) => ({ segment, index })));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves everything else to Intl.Segmenter', () => {
    for (const s of ['e\u0301', '😀', '漢', '\u25b6\ufe0f', 'a\u200db', '\r\n', '\t']) expect(codeUnitSegments(`x${s}`), JSON.stringify(s)).toBeUndefined();
  });
});

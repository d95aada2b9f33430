import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cell, cellWidth, fit, fitWithSuffix, wordWrap } from '../../src/text/cells.js';

describe('terminal cell arithmetic', () => {
  it('counts wide characters as two cells and combining marks as none', () => {
    expect(cellWidth('abc')).toBe(3);
    expect(cellWidth('日本')).toBe(4);
    expect(cellWidth('e\u0301')).toBe(1);
  });

  it('cuts to the width with the given ellipsis, never more', () => {
    expect(fit('contoso.sharepoint.com', 10, '…')).toBe('contoso.s…');
    expect(fit('contoso.sharepoint.com', 10, '~')).toBe('contoso.s~');
    expect(fit('short', 10, '…')).toBe('short');
    expect(cell('ab', 5, '…')).toBe('ab   ');
    expect(cell('ab', 5, '…', 'right')).toBe('   ab');
  });

  it('keeps the [obsolete] suffix and cuts the name instead', () => {
    expect(fitWithSuffix('admin@contoso.onmicrosoft.com', ' [obsolete]', 25, '…')).toBe('admin@contoso… [obsolete]');
    expect(fitWithSuffix('a@b.c', ' [obsolete]', 25, '…')).toBe('a@b.c [obsolete]');
  });

  it('fit never exceeds the width (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 60 }), fc.constantFrom('…', '~', '...'), (text, width, ellipsis) => {
        expect(cellWidth(fit(text, width, ellipsis))).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('word wrap keeps every word and every line fits (property)', () => {
    const word = fc.stringMatching(/^[a-z'.@()-]{1,40}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 15, max: 100 }), (words, width) => {
        const text = words.join(' ');
        const lines = wordWrap(text, width);
        for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(width);
        // Words longer than a line are split across lines; everything else rejoins with spaces.
        if (words.every((w) => w.length <= width)) expect(lines.join(' ')).toBe(text);
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
      }),
    );
  });
});

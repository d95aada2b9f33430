import xterm from '@xterm/headless';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellsOf, lineUpdate, moveTo } from '../../src/app/terminal/cell-diff.js';

/**
 * One line changed into another by writing only the changed cells must look exactly like the new
 * line written whole, whatever the characters (wide, emoji, combining) and styles: checked in a
 * headless xterm for thousands of random pairs.
 */

const COLUMNS = 40;

function screenRow(term: xterm.Terminal): string {
  const line = term.buffer.active.getLine(0);
  const cells: string[] = [];
  for (let x = 0; x < term.cols; x++) {
    const cell = line?.getCell(x);
    const chars = cell?.getChars() || ' ';
    const shows = `${cell?.isInverse()}|${cell?.getBgColor()}|${cell?.isUnderline()}`;
    cells.push(chars === ' ' ? ` ${shows}` : `${chars}|${cell?.getWidth()}|${cell?.getFgColor()}|${cell?.isBold()}|${shows}`);
  }
  return cells.join('\u0000');
}

function written(data: string): Promise<string> {
  const term = new xterm.Terminal({ cols: COLUMNS, rows: 2, allowProposedApi: true });
  return new Promise((resolve) =>
    term.write(data, () => {
      resolve(screenRow(term));
      term.dispose();
    }),
  );
}

const STYLES = [
  ['', ''],
  ['\x1b[31m', '\x1b[39m'],
  ['\x1b[7m', '\x1b[27m'],
  ['\x1b[1m', '\x1b[22m'],
  ['\x1b[90m', '\x1b[39m'],
  ['\x1b[4m', '\x1b[24m'],
] as const;
const CHARS = ['a', 'b', 'c', ' ', ' ', ' ', '│', '─', '›', '✓', '…', 'é', '漢', '😀', 'e\u0301', '✔'];

/** A line as Ink writes one: styled runs of text, at most COLUMNS wide (wide characters count 2). */
const line = fc
  .array(fc.record({ style: fc.constantFrom(...STYLES), text: fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }) }), { maxLength: 6 })
  .map((runs) => {
    let width = 0;
    let out = '';
    for (const { style, text } of runs) {
      let kept = '';
      for (const ch of text) {
        const w = /[漢😀]/u.test(ch) ? 2 : 1;
        if (width + w > COLUMNS) break;
        width += w;
        kept += ch;
      }
      if (kept) out += `${style[0]}${kept}${style[1]}`;
    }
    return out;
  });

describe('a line changed cell by cell looks like the line written whole', () => {
  it('for any two lines', async () => {
    await fc.assert(
      fc.asyncProperty(line, line, async (before, after) => {
        const diff = lineUpdate(0, cellsOf(before), cellsOf(after), after);
        expect(await written(`${moveTo(0, 0)}${before}${diff}`)).toBe(await written(`${moveTo(0, 0)}${after}`));
      }),
      { numRuns: 600 },
    );
  });

  it('writes nothing for a line that did not change, and little for a small change', () => {
    const row = '\x1b[90m│\x1b[39m Exchange Online                    2 \x1b[90m│\x1b[39m';
    expect(lineUpdate(4, cellsOf(row), cellsOf(row), row)).toBe('');
    const changed = row.replace(' 2 ', ' 3 ');
    expect(lineUpdate(4, cellsOf(row), cellsOf(changed), changed)).toBe('\x1b[5;38H3');
  });

  it('rewrites a line it cannot vouch for (an escape that is not a colour) whole', () => {
    const odd = 'abc\x1b[2Kdef';
    expect(cellsOf(odd)).toBeUndefined();
    expect(lineUpdate(0, cellsOf('abcdef'), cellsOf(odd), odd)).toBe(`\x1b[1H\x1b[K${odd}`);
  });
});

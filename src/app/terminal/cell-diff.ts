import { styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import { NARROW_RANGES } from '../../../scripts/narrow-text.mjs';

/**
 * The bytes that turn one line of the terminal into another: only the cells that changed, each run
 * written at its column with its own styles. Lines are Ink's output lines (text and SGR sequences
 * only), parsed into styled cells by the tokenizer Ink itself uses.
 *
 * A column can be trusted only where every cell before it is known to be one column wide in any
 * terminal (scripts/narrow-text.mjs, the same list the build relies on): from the first cell that
 * is not (an emoji, a wide or combining character), the line is written to its end, so the
 * terminal lays those out itself exactly as in a full redraw.
 */

const CSI = '\x1b[';
/** Erase from the cursor to the end of the line (in the default background: runs end unstyled). */
export const ERASE_LINE_END = `${CSI}K`;

export function moveTo(row: number, column: number): string {
  return column === 0 ? `${CSI}${row + 1}H` : `${CSI}${row + 1};${column + 1}H`;
}

export interface Cell {
  readonly char: StyledChar;
  /** The styles as one comparable key. */
  readonly style: string;
  /** One column in every terminal. */
  readonly certain: boolean;
}

function isNarrowCode(c: number): boolean {
  for (const [from, to] of NARROW_RANGES) if (c >= from && c <= to) return true;
  return false;
}

function isNarrow(value: string): boolean {
  return value.length === 1 && isNarrowCode(value.charCodeAt(0));
}

/** Text made only of characters that are one column wide in every terminal. */
export function isAllNarrow(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isNarrowCode(text.charCodeAt(i))) return false;
  return true;
}

// Anything but SGR (colours, bold, inverse…) could move the cursor or change modes: such a line is
// written whole. Ink's lines hold none, but a diff must never assume what it cannot check.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const NOT_SGR = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/;

/** SGR codes that show on a blank cell: background, reverse video, underline, strike-through, overline. */
function showsOnBlank(code: string): boolean {
  // eslint-disable-next-line no-control-regex -- an SGR sequence starts with ESC
  const first = Number(/^\x1b\[(\d+)/.exec(code)?.[1] ?? -1);
  return first === 4 || first === 7 || first === 9 || first === 21 || first === 53 || (first >= 40 && first <= 49) || (first >= 100 && first <= 107);
}

export function cellsOf(line: string): readonly Cell[] | undefined {
  if (NOT_SGR.test(line)) return undefined;
  return styledCharsFromTokens(tokenize(line)).map((char) => ({
    char,
    // A space looks the same in any foreground colour, bold or not: only what shows on it counts.
    style: (char.value === ' ' ? char.styles.filter((s) => showsOnBlank(s.code)) : char.styles).map((s) => s.code).join(''),
    certain: !char.fullWidth && isNarrow(char.value),
  }));
}

function same(a: Cell | undefined, b: Cell | undefined): boolean {
  // Beyond a line's end the terminal shows blank, unstyled cells.
  const ac = a ? a.char.value : ' ';
  const bc = b ? b.char.value : ' ';
  return ac === bc && (a?.style ?? '') === (b?.style ?? '');
}

/** The end of the line's content: cells past it are blank and unstyled. */
function contentEnd(cells: readonly Cell[]): number {
  let end = cells.length;
  while (end > 0 && cells[end - 1]?.char.value === ' ' && cells[end - 1]?.style === '') end -= 1;
  return end;
}

/** A run costs its cursor move; two runs closer than this are cheaper written as one. */
const MERGE_GAP = 8;

/**
 * Bytes that change `row` from `before` to `after` (both as Ink drew them), or '' when they look the
 * same. Whole-line rewrites are the fallback for anything the cells cannot vouch for.
 */
export function lineUpdate(row: number, before: readonly Cell[] | undefined, after: readonly Cell[] | undefined, afterText: string): string {
  // Erasing first, then writing, never erases the last column after a write that filled the line.
  if (!before || !after) return `${moveTo(row, 0)}${ERASE_LINE_END}${afterText}`;
  const end = Math.max(before.length, after.length);
  // Up to `limit` every cell is one column wide on both lines, so a cell's index is its column.
  let limit = 0;
  while (limit < end && (before[limit]?.certain ?? true) && (after[limit]?.certain ?? true)) limit += 1;
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < limit; i++) {
    if (same(before[i], after[i])) continue;
    let j = i + 1;
    while (j < limit && !same(before[j], after[j])) j += 1;
    const last = runs[runs.length - 1];
    if (last && i - last[1] <= MERGE_GAP) last[1] = j;
    else runs.push([i, j]);
    i = j;
  }
  let tailChanged = false;
  for (let i = limit; i < end && !tailChanged; i++) tailChanged = !same(before[i], after[i]);
  if (tailChanged) {
    const last = runs[runs.length - 1];
    if (last && limit - last[1] <= MERGE_GAP) last[1] = Number.POSITIVE_INFINITY;
    else runs.push([limit, Number.POSITIVE_INFINITY]);
  }
  if (runs.length === 0) return '';
  const afterEnd = contentEnd(after);
  const beforeEnd = contentEnd(before);
  let out = '';
  for (const [start, stop] of runs) {
    out += moveTo(row, start);
    if (stop >= afterEnd) {
      // Up to the end of the new content; what is left of the old one is erased first (erasing after
      // a write that filled the line would take its last column with it).
      if (beforeEnd > afterEnd || stop === Number.POSITIVE_INFINITY) out += ERASE_LINE_END;
      out += styledCharsToString(after.slice(start, afterEnd).map((c) => c.char));
      break;
    }
    out += styledCharsToString(after.slice(start, stop).map((c) => c.char));
  }
  return out;
}

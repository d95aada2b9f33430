import { cellWidth, wordWrap } from './cells.js';
import { safeText } from './safe-text.js';

/**
 * The lines of the dialogs' bodies, in one place: the dialogs draw them and the reducer counts
 * them to know how far a dialog can scroll. `inner` is the width inside the frame and padding.
 */

/** Width of a dialog on a terminal `columns` wide. */
export function dialogWidth(columns: number): number {
  return Math.max(30, Math.min(columns - 2, 76));
}

/** Frame (2) + padding (2). */
export function dialogInner(columns: number): number {
  return dialogWidth(columns) - 4;
}

/** A key/value line (`What:      value`): the label and the spaces that line its value up. */
const KEY_VALUE = /^([A-Z][\w ]*:\s{2,})(?=\S)/;

/** A message's lines, wrapped; a key/value line continues under its value, not at column 0. */
export function textLines(text: string, inner: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const label = KEY_VALUE.exec(paragraph)?.[1];
    const indent = label ? cellWidth(label) : 0;
    // Too narrow to hang the value under its column: wrap as plain text.
    if (!label || inner - indent < 10) {
      lines.push(...wordWrap(paragraph, inner));
      continue;
    }
    wordWrap(paragraph.slice(label.length), inner - indent).forEach((line, i) => lines.push(`${i === 0 ? label : ' '.repeat(indent)}${line}`));
  }
  return lines;
}

export interface WrappedCheckLine {
  /** Index of the result this line belongs to. */
  readonly result: number;
  readonly first: boolean;
  readonly text: string;
}

/** Each result as `name: message`, wrapped two cells narrower than the dialog (its glyph goes before). */
export function checkLines(results: ReadonlyArray<{ readonly name: string; readonly message: string }>, inner: number): WrappedCheckLine[] {
  const lines: WrappedCheckLine[] = [];
  results.forEach((r, result) => {
    wordWrap(`${safeText(r.name)}: ${safeText(r.message)}`, inner - 2).forEach((text, i) => lines.push({ result, first: i === 0, text }));
  });
  return lines;
}

/** The outcome under the results: at most four lines, always in view. */
export function outcomeLines(text: string | undefined, inner: number): string[] {
  return text ? wordWrap(text, inner).slice(0, 4) : [];
}

/** The first line drawn for `scroll`, clamped to what there is. */
export function clampScroll(scroll: number, lines: number, rows: number): number {
  return Math.max(0, Math.min(scroll, lines - rows));
}

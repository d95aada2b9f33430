import { wordWrap } from './cells.js';
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

export function textLines(text: string, inner: number): string[] {
  return wordWrap(text, inner);
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

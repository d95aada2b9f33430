import { cellWidth, fit } from '../../text/cells.js';

/** Width of the label column of wizard forms (labels are cut, never wrapped). */
export function labelWidth(width: number): number {
  return Math.max(12, Math.min(24, Math.floor(width * 0.32)));
}

/** Room for a field's value after the focus marker and the label. */
export function valueWidth(width: number): number {
  return Math.max(6, width - 2 - labelWidth(width) - 1);
}

/**
 * The visible part of `before` + cursor + `after` in `width` cells: the cursor always shows; what
 * does not fit is cut on the far side, marked with the ellipsis.
 */
export function windowAround(before: string, cursor: string, after: string, width: number, ellipsis: string): { before: string; after: string } {
  const room = width - cellWidth(cursor);
  if (cellWidth(before) + cellWidth(after) <= room) return { before, after };
  let b = before;
  const afterRoom = Math.max(0, Math.min(cellWidth(after), Math.floor(room / 3)));
  const a = fit(after, afterRoom, ellipsis);
  const beforeRoom = room - cellWidth(a);
  if (cellWidth(b) > beforeRoom) {
    const chars = Array.from(b);
    let kept = '';
    for (let i = chars.length - 1; i >= 0; i -= 1) {
      const next = (chars[i] ?? '') + kept;
      if (cellWidth(next) + cellWidth(ellipsis) > beforeRoom) break;
      kept = next;
    }
    b = ellipsis + kept;
  }
  return { before: b, after: a };
}

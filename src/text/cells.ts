/**
 * Terminal cell arithmetic for text that has already been through `displayText` (so it holds no
 * control characters). We size columns ourselves instead of letting Ink truncate, because Ink's
 * truncation appends '…', which ASCII mode must not draw.
 */

// Zero-width: combining marks (variation selectors are marks too).
const ZERO_WIDTH = /^\p{M}$/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Below U+0300 (where combining marks begin) every character is one column: no lookup needed. */
const FIRST_MARK = 0x300;

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < FIRST_MARK) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(cp) ? 2 : 1;
}

export function cellWidth(text: string): number {
  // Most text on screen is Latin: count it by code unit, and measure the rest character by character.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < FIRST_MARK) continue;
    let width = i;
    for (const ch of text.slice(i)) width += charWidth(ch);
    return width;
  }
  return text.length;
}

/** Cuts `text` to at most `width` cells, ending with `ellipsis` when something was cut. */
export function fit(text: string, width: number, ellipsis: string): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  const room = width - cellWidth(ellipsis);
  if (room <= 0) return ellipsis.slice(0, width);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > room) break;
    out += ch;
    used += w;
  }
  return out + ellipsis;
}

/** `fit`, then padded with spaces to exactly `width` cells (table cells). */
export function cell(text: string, width: number, ellipsis: string, align: 'left' | 'right' = 'left'): string {
  const cut = fit(text, width, ellipsis);
  const gap = ' '.repeat(Math.max(0, width - cellWidth(cut)));
  return align === 'left' ? cut + gap : gap + cut;
}

/**
 * Fits a name followed by a suffix that must stay visible (` [obsolete]`): the name is cut, never
 * the suffix, because the suffix is the part an admin acts on.
 */
export function fitWithSuffix(name: string, suffix: string, width: number, ellipsis: string): string {
  if (!suffix) return fit(name, width, ellipsis);
  const suffixWidth = cellWidth(suffix);
  if (suffixWidth >= width) return fit(name + suffix, width, ellipsis);
  return fit(name, width - suffixWidth, ellipsis) + suffix;
}

/**
 * Greedy word wrap into lines of at most `width` cells; words longer than a line are split. Lines
 * are joined back with single spaces by a reader, so a message keeps its exact words.
 */
export function wordWrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const first = lines.length;
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      let rest = word;
      let restWidth = cellWidth(rest);
      if (line && lineWidth + 1 + restWidth <= width) {
        line += ' ' + rest;
        lineWidth += 1 + restWidth;
        continue;
      }
      if (line) lines.push(line);
      while (restWidth > width) {
        const head = fit(rest, width, '');
        lines.push(head);
        rest = rest.slice(head.length);
        restWidth = cellWidth(rest);
      }
      line = rest;
      lineWidth = restWidth;
    }
    // A word that filled its last line exactly leaves nothing over; an empty paragraph is one line.
    if (line || lines.length === first) lines.push(line);
  }
  return lines;
}

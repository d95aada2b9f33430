/**
 * Makes text that did not come from our own code safe to draw in a terminal: names from the store,
 * site titles and error bodies from servers. Every control character (C0, DEL, C1), format
 * character (bidi overrides, zero-width), line/paragraph separator and lone surrogate becomes a
 * visible escape such as `\x1b` or `\u202e`, so ESC/CSI/OSC sequences, BEL, backspace and carriage
 * return cannot act on the terminal. Stored values stay raw; this runs at display time only.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029\uD800-\uDFFF]/gu;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_KEEP_NEWLINES = /[\0-\x09\x0b-\x1f\x7f-\x9f\p{Cf}\u2028\u2029\uD800-\uDFFF]/gu;

export const DEFAULT_MAX_DISPLAY_LENGTH = 400;

function escapeCodePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  // Beyond U+FFFF (tag characters such as U+E0001) in braces: `\ue0001` would read as U+E000 and a '1'.
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u{${cp.toString(16)}}`;
}

export interface DisplayTextOptions {
  /** Keep line feeds (for multi-line messages); everything else is still escaped. */
  readonly multiline?: boolean;
  /** Cut longer text with an ellipsis; 0 = no limit. */
  readonly maxLength?: number;
}

export function displayText(value: unknown, options: DisplayTextOptions = {}): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const escaped = text.replace(options.multiline ? UNSAFE_KEEP_NEWLINES : UNSAFE, escapeCodePoint);
  const max = options.maxLength ?? DEFAULT_MAX_DISPLAY_LENGTH;
  if (max > 0 && escaped.length > max) {
    // Cut on a code point boundary so no half surrogate pair is printed.
    return Array.from(escaped).slice(0, max - 1).join('') + '…';
  }
  return escaped;
}

/** True when the text would be changed by `displayText` (used by tests and validation hints). */
export function hasUnsafeCharacters(value: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(value);
}

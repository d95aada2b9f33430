import { displayText } from '../domain/index.js';

/**
 * `displayText` without its length cut: text from the store or a server made harmless (control
 * sequences shown as `\x1b` and the like), left whole because our layout fits or wraps it with the
 * theme's ellipsis ('~' in ASCII mode, where displayText's '…' must not appear).
 */
export function safeText(value: unknown): string {
  return displayText(value, { maxLength: 0 });
}

import type { Key } from 'ink';
import { COMMANDS } from '../../model/keymap/commands.js';
import type { KeyName, KeyPress } from '../../model/keymap/keys.js';

const BOUND_KEYS: ReadonlySet<string> = new Set(COMMANDS.flatMap((spec) => spec.keys));

function named(name: KeyName): KeyPress {
  return { name, text: name === 'space' ? ' ' : '' };
}

const CONTROL_CHARS: Readonly<Record<string, KeyName>> = {
  '\r': 'return',
  '\n': 'return',
  '\t': 'tab',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x03': 'ctrl-c',
};

function fromChar(ch: string): KeyPress | undefined {
  const control = CONTROL_CHARS[ch];
  if (control) return named(control);
  if (ch === ' ') return named('space');
  // A Ctrl+letter the keymap uses, in a read with other keys (Tab then Ctrl-U under load), is the
  // same key as alone; any other (BEL, hostile text) is dropped below.
  const code = ch.charCodeAt(0);
  const ctrl = code >= 1 && code <= 26 ? `ctrl-${String.fromCharCode(code + 96)}` : undefined;
  if (ctrl && BOUND_KEYS.has(ctrl)) return named(ctrl);
  // Any other control character has no meaning here; dropping it keeps it off the screen.
  if (/[\p{Cc}]/u.test(ch)) return undefined;
  return { name: ch, text: ch };
}

/**
 * A paste, as Ink delivers it: the panel does not turn on bracketed paste, and Ink 6 hands a
 * chunk of plain text to useInput as one event. Printable text of two characters or more that
 * ends in a line break is a pasted value copied with its line end (from a portal, a file), not a
 * value and then Enter. Only where text is being entered is its line end not Enter (the controller
 * asks the reducer's typingHasFocus): commands typed fast, like n, Space, Enter, keep their Enter.
 */
const PASTED_LINE = /^([^\p{Cc}]{2,})[\r\n]+$/u;

/**
 * Turns one Ink input event into the keys it holds. Ink hands several characters that arrived in
 * one read (fast typing, key repeat over SSH, a paste) to the handler as one string; each is a key
 * of its own and is handled in order (terminal-ui.md pitfall 1).
 */
export function keysFromInk(input: string, key: Key): KeyPress[] {
  if (key.ctrl && input.length === 1) return [named(`ctrl-${input.toLowerCase()}`)];
  if (key.upArrow) return [named('up')];
  if (key.downArrow) return [named('down')];
  if (key.leftArrow) return [named('left')];
  if (key.rightArrow) return [named('right')];
  if (key.pageUp) return [named('pageup')];
  if (key.pageDown) return [named('pagedown')];
  if (key.home) return [named('home')];
  if (key.end) return [named('end')];
  if (key.return) return [named('return')];
  // Ink sets `meta` with every Escape; that is not Alt (pitfall 3).
  if (key.escape) return [named('escape')];
  if (key.tab) return [named(key.shift ? 'shift-tab' : 'tab')];
  // Backspace arrives as `delete` (\x7f) on most terminals (pitfall 2).
  if (key.backspace || key.delete) return [named('backspace')];
  if (key.meta) return [];
  const keys: KeyPress[] = [];
  // A pasted value's line end is marked: where text is entered it must not advance the wizard or
  // keep a filter; anywhere else it is the Enter it looks like (Space and Enter in one read).
  const pasted = PASTED_LINE.exec(input)?.[1];
  for (const ch of pasted ?? input) {
    const press = fromChar(ch);
    if (press) keys.push(press);
  }
  if (pasted !== undefined) keys.push({ ...named('return'), pasted: true });
  return keys;
}

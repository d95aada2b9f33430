import type { Key } from 'ink';
import type { KeyName, KeyPress } from '../../model/keymap/keys.js';

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
  // Any other control character has no meaning here; dropping it keeps it off the screen.
  if (/[\p{Cc}]/u.test(ch)) return undefined;
  return { name: ch, text: ch };
}

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
  for (const ch of input) {
    const press = fromChar(ch);
    if (press) keys.push(press);
  }
  return keys;
}

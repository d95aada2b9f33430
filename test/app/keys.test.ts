import { describe, expect, it } from 'vitest';
import { NO_KEY } from './helpers/ink-key.js';
import { keysFromInk } from '../../src/app/terminal/ink-keys.js';

const none = NO_KEY;

describe('keys from Ink events', () => {
  it('splits characters that arrived in one read into keys, in order', () => {
    expect(keysFromInk('jjk', none).map((k) => k.name)).toEqual(['j', 'j', 'k']);
    expect(keysFromInk('j\r', none).map((k) => k.name)).toEqual(['j', 'return']);
    // Ctrl+letter among other keys of one read (Tab then Ctrl-U on a loaded machine).
    expect(keysFromInk('\t\x15ab', none).map((k) => k.name)).toEqual(['tab', 'ctrl-u', 'a', 'b']);
  });

  it('a pasted value that ends in a line break is the value and a pasted line end, not the value and Enter', () => {
    const typedEnter = (keys: ReturnType<typeof keysFromInk>) => keys.filter((k) => k.name === 'return' && !k.pasted);
    expect(keysFromInk('ex01.corp.contoso.com\r', none).map((k) => k.text).join('')).toBe('ex01.corp.contoso.com');
    expect(typedEnter(keysFromInk('ex01.corp.contoso.com\r', none))).toEqual([]);
    expect(typedEnter(keysFromInk('contoso\r\n', none))).toEqual([]);
    expect(typedEnter(keysFromInk('contoso\n', none))).toEqual([]);
    expect(keysFromInk('contoso\n', none).at(-1)).toEqual({ name: 'return', text: '', pasted: true });
    // One key and Enter typed fast still arrive as both.
    expect(keysFromInk('j\r', none).map((k) => k.name)).toEqual(['j', 'return']);
  });

  it('treats \\x7f (reported as delete) as Backspace', () => {
    expect(keysFromInk('', { ...none, delete: true })).toEqual([{ name: 'backspace', text: '' }]);
  });

  it('does not mistake Escape (which Ink flags as meta) for Alt', () => {
    expect(keysFromInk('', { ...none, escape: true, meta: true })).toEqual([{ name: 'escape', text: '' }]);
  });

  it('names control and special keys', () => {
    expect(keysFromInk('c', { ...none, ctrl: true })[0]?.name).toBe('ctrl-c');
    expect(keysFromInk('', { ...none, tab: true, shift: true })[0]?.name).toBe('shift-tab');
    expect(keysFromInk(' ', none)[0]).toEqual({ name: 'space', text: ' ' });
    expect(keysFromInk('G', { ...none, shift: true })[0]?.name).toBe('G');
  });

  it('drops control characters that mean nothing, so they never reach the screen', () => {
    expect(keysFromInk('a\x07b', none).map((k) => k.name)).toEqual(['a', 'b']);
  });
});

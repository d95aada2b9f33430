import { describe, expect, it } from 'vitest';
import { detectCapabilities, isUtf8Locale } from '../../src/theme/capabilities.js';

const caps = (env: Record<string, string>, asciiFlag?: boolean, platform: NodeJS.Platform = 'linux') =>
  detectCapabilities({ env, platform, colorFlag: true, asciiFlag });

describe('terminal capabilities', () => {
  it('reads the codeset of the locale', () => {
    for (const l of ['en_US.UTF-8', 'C.UTF-8', 'C.utf8', 'de_DE.utf-8@euro']) expect(isUtf8Locale(l)).toBe(true);
    for (const l of ['C', 'POSIX', 'en_US', 'en_US.ISO-8859-1', 'ja_JP.eucJP', '', undefined]) expect(isUtf8Locale(l)).toBe(false);
  });

  it('LC_ALL wins over LC_CTYPE, which wins over LANG', () => {
    expect(caps({ TERM: 'xterm', LANG: 'C', LC_CTYPE: 'en_US.UTF-8' }).ascii).toBe(false);
    expect(caps({ TERM: 'xterm', LANG: 'en_US.UTF-8', LC_CTYPE: 'C' }).ascii).toBe(true);
    expect(caps({ TERM: 'xterm', LC_CTYPE: 'C', LC_ALL: 'C.UTF-8' }).ascii).toBe(false);
    expect(caps({ TERM: 'xterm' }).ascii).toBe(true);
  });

  it('the Linux console and dumb terminals get ASCII; dumb ones get no colour', () => {
    expect(caps({ TERM: 'linux', LANG: 'en_US.UTF-8' })).toEqual({ color: true, ascii: true });
    expect(caps({ TERM: 'dumb', LANG: 'en_US.UTF-8' })).toEqual({ color: false, ascii: true });
    expect(caps({ TERM: 'xterm-256color', LANG: 'en_US.UTF-8' })).toEqual({ color: true, ascii: false });
  });

  it('--ascii / --unicode win; NO_COLOR turns colour off', () => {
    expect(caps({ TERM: 'linux', LANG: 'C' }, false).ascii).toBe(false);
    expect(caps({ TERM: 'xterm', LANG: 'en_US.UTF-8' }, true).ascii).toBe(true);
    expect(caps({ TERM: 'xterm', LANG: 'en_US.UTF-8', NO_COLOR: '1' }).color).toBe(false);
  });

  it('Windows consoles without a POSIX locale draw Unicode', () => {
    expect(caps({}, undefined, 'win32').ascii).toBe(false);
  });
});

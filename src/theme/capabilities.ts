/**
 * What the terminal can draw, decided once at start-up from the flags and the environment; the
 * theme is made from the answer and nothing else looks at TERM or the locale.
 */

export interface TerminalCapabilities {
  /** Colours and reverse video; off for --no-color, NO_COLOR and TERM=dumb. */
  readonly color: boolean;
  /** ASCII only: no box drawing, arrows or ⏎. */
  readonly ascii: boolean;
}

export interface CapabilityInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** --no-color given (false), else true. */
  readonly colorFlag: boolean;
  /** --ascii (true), --unicode (false), or neither (undefined: decided from the environment). */
  readonly asciiFlag: boolean | undefined;
}

/**
 * Terminals whose font cannot draw box-drawing or arrow characters: the Linux console has a
 * 256/512-glyph font (a bare `╭` or `⏎` comes out as a diamond), `dumb` is a printer-like terminal.
 */
const NARROW_GLYPH_TERMS = new Set(['linux', 'dumb', 'vt100', 'vt102', 'vt220', 'cons25']);

/** The locale that decides the character set: LC_ALL, then LC_CTYPE, then LANG (POSIX order). */
export function ctypeLocale(env: CapabilityInput['env']): string | undefined {
  for (const key of ['LC_ALL', 'LC_CTYPE', 'LANG'] as const) {
    const value = env[key];
    if (value) return value;
  }
  return undefined;
}

/** True for `en_US.UTF-8`, `C.utf8`, `de_DE.UTF-8@euro`; false for C, POSIX, `en_US.ISO-8859-1`. */
export function isUtf8Locale(locale: string | undefined): boolean {
  if (!locale) return false;
  const codeset = /\.([^@]+)/.exec(locale)?.[1];
  return codeset !== undefined && /^utf-?8$/i.test(codeset);
}

export function detectCapabilities({ env, platform, colorFlag, asciiFlag }: CapabilityInput): TerminalCapabilities {
  const term = (env.TERM ?? '').toLowerCase();
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = colorFlag && !noColorEnv && term !== 'dumb';
  if (asciiFlag !== undefined) return { color, ascii: asciiFlag };
  if (NARROW_GLYPH_TERMS.has(term)) return { color, ascii: true };
  // Windows consoles set no POSIX locale and draw Unicode (Windows Terminal, conhost with a TrueType font).
  if (platform === 'win32' && ctypeLocale(env) === undefined) return { color, ascii: false };
  // No locale at all is the POSIX locale: 7-bit ASCII.
  return { color, ascii: !isUtf8Locale(ctypeLocale(env)) };
}

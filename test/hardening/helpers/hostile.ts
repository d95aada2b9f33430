import fc from 'fast-check';

/**
 * Hostile text: what a hand-edited store, a SharePoint site title, a mailbox display name or a
 * server's error body may carry (storage-and-secrets.md §8). Each piece is something a terminal
 * acts on; the arbitraries mix them with ordinary and non-Latin text, and sometimes a very long run.
 */
export const HOSTILE_PIECES = [
  '\x1b', // a lone ESC
  '\x1b[', // an unfinished CSI
  '\x1b[2J\x1b[H', // clear screen, cursor home
  '\x1b[31;1m', // SGR colour
  '\x1b[6n', // device status report: the terminal types an answer into our stdin
  '\x1b[21t', // report window title
  '\x1b[?1000h', // mouse tracking on
  '\x1b]0;pwned-title\x07', // OSC 0 window title, BEL terminated
  '\x1b]2;pwned-title\x1b\\', // OSC 2 window title, ST terminated
  '\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07', // OSC 8 hyperlink
  '\x1b]52;c;cm0gLXJmIH4=\x07', // OSC 52 clipboard write
  '\x1bP+q544e\x1b\\', // DCS request
  '\x9b31m', // C1 CSI
  '\x9d0;c1-title\x9c', // C1 OSC … C1 ST
  '\x85', // C1 next line
  '\x07', // BEL
  '\b\b\b', // backspaces
  '\r', // carriage return: overwrite the line
  '\n',
  '\t',
  '\x00',
  '\x7f',
  '\u202e', // right-to-left override
  '\u202d',
  '\u2066', // bidi isolates
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200b', // zero-width space
  '\u200e',
  '\ufeff',
  '\u2028', // line separator
  '\u{e0001}\u{e0041}', // tag characters: format characters beyond U+FFFF
  '\u{1d173}',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
] as const;

const NORMAL_PIECES = ['contoso', 'ex01.corp', ' ', "O'Brien", 'Müller', 'Ω', '日本語', 'مرحبا', '😀', 'backup@contoso.onmicrosoft.com'] as const;

/** A string of hostile and ordinary pieces (never empty, always holding at least one hostile piece). */
export function hostileText(options: { maxPieces?: number; long?: boolean } = {}): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
    { weight: 3, arbitrary: fc.constantFrom(...NORMAL_PIECES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    { weight: options.long ? 1 : 0, arbitrary: fc.integer({ min: 2000, max: 6000 }).map((n) => 'W'.repeat(n)) },
  );
  return fc
    .tuple(fc.constantFrom(...HOSTILE_PIECES), fc.array(piece, { minLength: 0, maxLength: options.maxPieces ?? 8 }), fc.nat())
    .map(([first, rest, at]) => {
      const parts = [...rest];
      parts.splice(at % (parts.length + 1), 0, first);
      return parts.join('');
    });
}

export interface Offence {
  readonly at: number;
  readonly codePoint: string;
  readonly context: string;
}

function describe(text: string, at: number, ch: string): Offence {
  const cp = ch.codePointAt(0) ?? 0;
  return { at, codePoint: `U+${cp.toString(16).padStart(4, '0')}`, context: JSON.stringify(text.slice(Math.max(0, at - 20), at + 20)) };
}

/**
 * Characters a terminal would act on, in text that is supposed to be plain: C0 controls (line feed
 * allowed), DEL, C1 controls, format characters (bidi overrides and isolates, zero-width, BOM),
 * line/paragraph separators and lone surrogates. `sgr` first removes SGR colour sequences, the
 * only escapes Ink itself puts into a frame.
 */
export function terminalActive(text: string, options: { sgr?: boolean } = {}): Offence[] {
  // eslint-disable-next-line no-control-regex -- SGR is exactly what we strip
  const plain = options.sgr ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  const out: Offence[] = [];
  let index = 0;
  for (const ch of plain) {
    const cp = ch.codePointAt(0) ?? 0;
    const bad =
      (cp < 0x20 && cp !== 0x0a) ||
      (cp >= 0x7f && cp <= 0x9f) ||
      /\p{Cf}/u.test(ch) ||
      cp === 0x2028 ||
      cp === 0x2029 ||
      (cp >= 0xd800 && cp <= 0xdfff);
    if (bad) out.push(describe(plain, index, ch));
    index += ch.length;
  }
  return out;
}

/**
 * Sequences in a real terminal's byte stream that only hostile text could have produced (Ink draws
 * with CSI cursor/erase/SGR and DEC private modes only): OSC, DCS, SOS/PM/APC, C1 controls, BEL,
 * backspace, a carriage return that is not part of CR LF, bidi controls, lone surrogates, and the
 * CSI requests from HOSTILE_PIECES that Ink never sends.
 */
export function rawTerminalOffences(raw: string): string[] {
  const found: string[] = [];
  const checks: Array<[string, RegExp]> = [
    // eslint-disable-next-line no-control-regex
    ['OSC/DCS/SOS/PM/APC', /\x1b[\]PX^_]/],
    ['C1 control', /[\x80-\x9f]/],
    // eslint-disable-next-line no-control-regex
    ['BEL', /\x07/],
    // eslint-disable-next-line no-control-regex
    ['backspace', /\x08/],
    ['bare CR', /\r(?!\n)/],
    ['bidi/format', /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/],
    ['lone surrogate', /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/],
    // eslint-disable-next-line no-control-regex
    ['hostile CSI request', /\x1b\[(?:6n|21t|\?1000h)/],
  ];
  for (const [name, pattern] of checks) {
    const match = pattern.exec(raw);
    if (match) found.push(`${name} at ${match.index}: ${JSON.stringify(raw.slice(Math.max(0, match.index - 30), match.index + 30))}`);
  }
  return found;
}

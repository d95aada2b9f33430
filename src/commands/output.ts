import { displayText } from '../domain/display-text.js';

/**
 * Characters JSON.stringify leaves raw that a terminal may still act on: DEL, C1 controls, bidi and
 * zero-width format characters (it already escapes C0 controls and lone surrogates).
 */
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu;

/**
 * One JSON document for scripts. Values are unchanged; characters that could act on a terminal are
 * written as \u escapes so that `... --json` printed to a screen is harmless too.
 */
export function toSafeJson(value: unknown): string {
  // JSON's \u escape holds one UTF-16 code unit: a format character beyond U+FFFF (tag characters,
  // U+E0001…) is written as its surrogate pair, or the JSON would decode to something else.
  const escape = (c: string) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, escape);
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  /** Cap for free text (names, messages); the last column is never padded. */
  readonly max?: number;
}

/** A plain aligned table; every cell is sanitised for the terminal. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((col) => displayText(col.value(row), { maxLength: col.max ?? 120 })));
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export function println(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** One clear line on stderr: every error message goes through here. */
export function printError(io: Io, message: string): void {
  println(io.stderr, `backup-panel: ${displayText(message, { maxLength: 600 })}`);
}

import { EventEmitter } from 'node:events';
import { cellsOf, isAllNarrow, lineUpdate, moveTo, type Cell } from './cell-diff.js';

/**
 * Puts Ink's frames on the terminal, writing only the cells that changed.
 *
 * Ink 6.8 writes every frame whole (eraseLines + all lines: ~2.2 KB per key at 80×24, ~9.6 KB at
 * 200×50). Its `incrementalRendering` option leaves a wrong screen: when a frame ends in a newline
 * (every frame shorter than the terminal), `log-update` moves the cursor up one line too few
 * (`cursorUp(previousVisible - 1)` from the line below the frame), so each changed line lands one
 * row low and the line it should have replaced stays; and after the app clears the screen (resize)
 * it rewrites only the lines it thinks changed. Both come from tracking the cursor relatively.
 *
 * This writer needs no such bookkeeping. Ink runs in `debug` mode, where its documented contract is
 * to hand over each frame whole, unchanged, one write per frame; the writer keeps the lines on
 * screen and addresses rows absolutely (the panel owns the alternate screen, its frame starts at
 * the top). A new size, or anything it cannot vouch for, gets a full redraw.
 */

const CSI = '\x1b[';
const HIDE_CURSOR = `${CSI}?25l`;
const CLEAR = `${CSI}H${CSI}2J`;
/** Synchronized output (DEC 2026): terminals that know it show the update at once, others ignore it. */
const BEGIN_SYNC = `${CSI}?2026h`;
const END_SYNC = `${CSI}?2026l`;

/**
 * A block of lines that moved up or down (a list scrolled): the terminal can move it itself, in a
 * scrolling region, for a few bytes instead of every line rewritten. `shift` > 0: up by that many.
 */
interface Scroll {
  /** First and last row (0-based) of the block in the new frame. */
  readonly top: number;
  readonly bottom: number;
  readonly shift: number;
}

// eslint-disable-next-line no-control-regex -- colour codes take no room on the screen
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Columns a line takes. Lines of narrow characters only (nearly all of them) are measured by their
 * length, so the first frame, drawn whole, tokenizes nothing (start-up); others count their cells.
 */
function width(line: string, cells: (line: string) => readonly Cell[] | undefined): number {
  const plain = line.replace(SGR, '');
  if (isAllNarrow(plain)) return plain.length;
  const parsed = cells(line);
  return parsed ? parsed.reduce((sum, c) => sum + (c.char.fullWidth ? 2 : 1), 0) : Number.POSITIVE_INFINITY;
}

/** Fewer moved lines than this are cheaper to rewrite. */
const MIN_SCROLL_LINES = 3;

export function findScroll(before: readonly string[], after: readonly string[]): Scroll | undefined {
  let best: Scroll | undefined;
  let bestGain = 0;
  const limit = Math.floor(Math.min(before.length, after.length) / 2);
  for (let shift = -limit; shift <= limit; shift++) {
    if (shift === 0) continue;
    let start = -1;
    for (let i = 0; i <= after.length; i++) {
      const moved = i < after.length && i + shift >= 0 && i + shift < before.length && after[i] === before[i + shift];
      if (moved && start < 0) start = i;
      if (moved || start < 0) continue;
      // A run [start, i): worth it for the lines that would otherwise be rewritten.
      let gain = 0;
      for (let j = start; j < i; j++) if (after[j] !== before[j]) gain += 1;
      if (i - start >= MIN_SCROLL_LINES && gain > bestGain) {
        best = { top: start, bottom: i - 1, shift };
        bestGain = gain;
      }
      start = -1;
    }
  }
  return bestGain >= MIN_SCROLL_LINES ? best : undefined;
}

/** The bytes that scroll the block, and the lines the screen then holds. */
function scrolled(before: readonly string[], scroll: Scroll): { bytes: string; lines: string[] } {
  const { top, bottom, shift } = scroll;
  const lines = [...before];
  if (shift > 0) {
    // The region runs from the block's new top to its old bottom; a line feed at its bottom margin
    // moves it up (VT100 behaviour every terminal has).
    const last = bottom + shift;
    for (let i = top; i <= bottom; i++) lines[i] = before[i + shift] ?? '';
    for (let i = bottom + 1; i <= last; i++) lines[i] = '';
    return { bytes: `${CSI}${top + 1};${last + 1}r${moveTo(last, 0)}${'\n'.repeat(shift)}${CSI}r`, lines };
  }
  const down = -shift;
  const first = top - down;
  for (let i = bottom; i >= top; i--) lines[i] = before[i - down] ?? '';
  for (let i = first; i < top; i++) lines[i] = '';
  // Reverse index at the top margin moves the region down.
  return { bytes: `${CSI}${first + 1};${bottom + 1}r${moveTo(first, 0)}${'\x1bM'.repeat(down)}${CSI}r`, lines };
}

export interface Terminal {
  readonly columns: number;
  readonly rows: number;
  write(data: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface ScreenWriterOptions {
  /** Frames closer together than 1000/maxFps ms are coalesced into the latest (0: none). */
  readonly maxFps?: number;
  /** Sees every frame as Ink made it (tests compare it with the screen). */
  readonly onFrame?: (frame: string) => void;
}

interface Painted {
  readonly lines: readonly string[];
  readonly columns: number;
  readonly rows: number;
}

/** Lines repeat from frame to frame (a table's rows): their cells are worked out once. */
const CELL_CACHE_LIMIT = 4000;

export class ScreenWriter {
  readonly #terminal: Terminal;
  readonly #interval: number;
  readonly #onFrame: ((frame: string) => void) | undefined;
  #painted: Painted | undefined;
  /** The last frame drawn. */
  #last: string | undefined;
  #pending: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastWrite = -Infinity;
  #bytes = 0;
  readonly #cells = new Map<string, readonly Cell[] | null>();

  constructor(terminal: Terminal, options: ScreenWriterOptions = {}) {
    this.#terminal = terminal;
    this.#interval = options.maxFps ? Math.ceil(1000 / options.maxFps) : 0;
    this.#onFrame = options.onFrame;
  }

  /** Bytes written to the terminal so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The stream to give Ink as stdout: size and resize events from the terminal, frames to this writer. */
  inkStdout(): NodeJS.WriteStream {
    const terminal = this.#terminal;
    const stream = new EventEmitter() as EventEmitter & { isTTY: boolean; columns: number; rows: number; write: (data: string | Uint8Array, ...rest: unknown[]) => boolean };
    // Getters, not copies: Ink and the app read the size again after every resize.
    Object.defineProperties(stream, {
      isTTY: { value: true },
      columns: { get: () => terminal.columns },
      rows: { get: () => terminal.rows },
    });
    stream.write = (data, ...rest) => {
      const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
      if (text) this.frame(text);
      const done = rest.find((r): r is () => void => typeof r === 'function');
      done?.();
      return true;
    };
    // Ink listens for resizes on its stdout; they happen on the terminal.
    stream.on = stream.addListener = ((event: string, listener: (...args: unknown[]) => void) => {
      if (event === 'resize') terminal.on('resize', listener);
      else EventEmitter.prototype.on.call(stream, event, listener);
      return stream;
    }) as typeof stream.on;
    stream.off = stream.removeListener = ((event: string, listener: (...args: unknown[]) => void) => {
      if (event === 'resize') terminal.off('resize', listener);
      else EventEmitter.prototype.off.call(stream, event, listener);
      return stream;
    }) as typeof stream.off;
    // Ink reads only these members of its stdout; the rest of WriteStream is never touched.
    return stream as unknown as NodeJS.WriteStream;
  }

  /** Draws the last frame again, whole (Ctrl-L: another program wrote on the screen). */
  repaint(): void {
    this.#painted = undefined;
    const frame = this.#pending ?? this.#last;
    this.#pending = undefined;
    if (frame !== undefined) this.#paint(frame);
  }

  /** Forgets what is on the screen: the next frame is drawn whole. */
  invalidate(): void {
    this.#painted = undefined;
  }

  /** One whole frame from Ink. */
  frame(frame: string): void {
    this.#onFrame?.(frame);
    const now = performance.now();
    if (this.#timer || now - this.#lastWrite < this.#interval) {
      this.#pending = frame;
      this.#timer ??= setTimeout(() => this.flush(), Math.max(0, this.#lastWrite + this.#interval - now));
      this.#timer.unref?.();
      return;
    }
    this.#paint(frame);
  }

  /** Draws a coalesced frame now, if one waits. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const frame = this.#pending;
    this.#pending = undefined;
    if (frame !== undefined) this.#paint(frame);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #write(data: string): void {
    if (!data) return;
    this.#bytes += Buffer.byteLength(data);
    this.#terminal.write(data);
  }

  #cellsOf(line: string): readonly Cell[] | undefined {
    let cells = this.#cells.get(line);
    if (cells === undefined) {
      if (this.#cells.size >= CELL_CACHE_LIMIT) this.#cells.clear();
      cells = cellsOf(line) ?? null;
      this.#cells.set(line, cells);
    }
    return cells ?? undefined;
  }

  /** Every line (or every line not in `known`, already checked) fits on the screen as drawn. */
  #fits(lines: readonly string[], columns: number, rows: number, known: readonly string[] = []): boolean {
    if (lines.length >= rows) return false;
    return lines.every((line, i) => line === known[i] || width(line, (l) => this.#cellsOf(l)) <= columns);
  }

  #paint(frame: string): void {
    this.#last = frame;
    this.#lastWrite = performance.now();
    const { columns, rows } = this.#terminal;
    const lines = frame.split('\n');
    const before = this.#painted;
    if (!before || before.columns !== columns || before.rows !== rows) {
      this.#write(`${BEGIN_SYNC}${HIDE_CURSOR}${CLEAR}${lines.map((line, i) => `${moveTo(i, 0)}${line}`).join('')}${END_SYNC}`);
      // Right after a resize Ink draws the previous tree at the new size once: lines that wrap or
      // rows past the bottom leave a screen that is not `lines`, so the next frame is drawn whole too.
      this.#painted = this.#fits(lines, columns, rows) ? { lines, columns, rows } : undefined;
      return;
    }
    let out = '';
    let shown = before.lines;
    const scroll = findScroll(shown, lines);
    if (scroll) {
      const moved = scrolled(shown, scroll);
      out += moved.bytes;
      shown = moved.lines;
    }
    for (let i = 0; i < Math.max(lines.length, shown.length); i++) {
      const old = shown[i];
      const line = lines[i];
      if (line === old) continue;
      if (line === undefined) out += `${moveTo(i, 0)}${CSI}2K`;
      else out += lineUpdate(i, old === undefined ? [] : this.#cellsOf(old), this.#cellsOf(line), line);
    }
    this.#painted = this.#fits(lines, columns, rows, shown) ? { lines, columns, rows } : undefined;
    // Changing more than a few lines at once is shown in one go where the terminal can.
    this.#write(out.length > 1024 ? `${BEGIN_SYNC}${out}${END_SYNC}` : out);
  }
}

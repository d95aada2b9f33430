import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreDocument } from '../../src/domain/index.js';
import type { ScreenWriter as ScreenWriterType } from '../../src/app/terminal/screen-writer.js';
import { manyConnections, migratedFixture } from './helpers/documents.js';
import { fakeAuth } from './helpers/fake-auth.js';
import { FakeStdin } from './helpers/fake-stdin.js';
import { MemoryStore } from './helpers/memory-store.js';

/**
 * The panel writes only the cells that changed (src/app/terminal/screen-writer.ts). This proves the
 * screen is the same as if every frame had been drawn whole: one session through every screen,
 * dialogs, the wizard and resizes, drawn by the writer into one headless xterm while each frame is
 * also drawn whole (clear, then every line) into a second; after every single frame both screens
 * must show the same characters in the same colours and attributes.
 */

const KEY = { up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', enter: '\r', esc: '\x1b', tab: '\t', pageDown: '\x1b[6~', backspace: '\x7f' } as const;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a person sees in a cell: the character, and the attributes that show on it. */
function cellKey(cell: xterm.IBufferCell | undefined): string {
  if (!cell) return ' ';
  const chars = cell.getChars() || ' ';
  const blankVisible = `${cell.isInverse()}|${cell.getBgColorMode()}:${cell.getBgColor()}|${cell.isUnderline()}|${cell.isStrikethrough()}|${cell.isOverline()}`;
  // A space shows no foreground colour and no weight.
  if (chars === ' ') return ` ${blankVisible}`;
  return `${chars}|${cell.getWidth()}|${cell.getFgColorMode()}:${cell.getFgColor()}|${cell.isBold()}|${cell.isDim()}|${cell.isItalic()}|${blankVisible}`;
}

function snapshot(term: xterm.Terminal): string[] {
  const buffer = term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    const cells: string[] = [];
    for (let x = 0; x < term.cols; x++) cells.push(cellKey(line?.getCell(x)));
    rows.push(cells.join('\u0000'));
  }
  return rows;
}

function text(term: xterm.Terminal): string {
  const buffer = term.buffer.active;
  return Array.from({ length: term.rows }, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '').join('\n');
}

class Session {
  readonly diffed: xterm.Terminal;
  readonly whole: xterm.Terminal;
  readonly stdin = new FakeStdin();
  readonly #events = new EventEmitter();
  readonly #pending: Array<Promise<[string[], string[], string]>> = [];
  frames = 0;
  skipped = 0;
  columns: number;
  rows: number;
  writer!: ScreenWriterType;

  constructor(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.diffed = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true });
    this.whole = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true });
  }

  /** The terminal the writer draws on: the first xterm. */
  readonly terminal = {
    get columns(): number {
      return session.columns;
    },
    get rows(): number {
      return session.rows;
    },
    write: (data: string) => this.diffed.write(data),
    on: (event: 'resize', listener: () => void) => this.#events.on(event, listener),
    off: (event: 'resize', listener: () => void) => this.#events.off(event, listener),
  };

  /** Ink's stdout: every frame goes to the writer, and whole (as Ink's own renderer would draw it) to the second xterm. */
  stdout(): NodeJS.WriteStream {
    const stream = this.writer.inkStdout();
    const write = stream.write.bind(stream) as (data: string) => boolean;
    (stream as unknown as { write: (data: string) => boolean }).write = (data: string) => {
      if (!data) return true;
      this.frames += 1;
      const whole = new Promise<string[]>((resolve) => this.whole.write(`\x1b[H\x1b[2J${data.split('\n').join('\r\n')}`, () => resolve(snapshot(this.whole))));
      write(data);
      const diffed = new Promise<string[]>((resolve) => this.diffed.write('', () => resolve(snapshot(this.diffed))));
      // Right after a resize Ink draws the previous tree once at the new size, and the next frame
      // replaces it: a frame that does not fit is drawn but not compared (a full redraw would scroll).
      // eslint-disable-next-line no-control-regex -- measuring text without its colour codes
      const fits = data.split('\n').length < this.rows && data.split('\n').every((l) => stringWidth(l.replace(/\x1b\[[0-9;]*m/g, '')) <= this.columns);
      if (fits) this.#pending.push(Promise.all([diffed, whole, Promise.resolve(data)]));
      else this.skipped += 1;
      return true;
    };
    return stream;
  }

  /** Waits until both screens have taken every frame so far, and checks each pair. */
  async check(step: string): Promise<void> {
    const pairs = await Promise.all(this.#pending.splice(0));
    for (const [diffed, whole] of pairs) {
      if (diffed.join('\n') === whole.join('\n')) continue;
      const row = diffed.findIndex((r, i) => r !== whole[i]);
      const show = (rows: string[]) => rows[row]?.split('\u0000').map((c) => c[0]).join('');
      throw new Error(`after "${step}" the screen differs from a full redraw at row ${row + 1}:\n  written: ${show(diffed)}\n  whole:   ${show(whole)}`);
    }
  }

  /** Both screens as they are now, compared (after writes outside any frame). */
  async same(step: string): Promise<void> {
    await this.check(step);
    const [diffed, whole] = await Promise.all([this.diffed, this.whole].map((t) => new Promise<string[]>((resolve) => t.write('', () => resolve(snapshot(t))))));
    expect(diffed?.join('\n') === whole?.join('\n'), `${step}:\n${text(this.diffed)}\n---\n${text(this.whole)}`).toBe(true);
  }

  async press(step: string, ...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.stdin.type(key);
      // Ink holds a lone Esc for a tick; the house recipe waits 10 ms after every key.
      await sleep(key === KEY.esc ? 30 : 10);
    }
    await this.check(step);
  }

  async waitFor(step: string, test: (screen: string) => boolean): Promise<void> {
    for (let i = 0; i < 500 && !test(text(this.diffed)); i++) await sleep(10);
    if (!test(text(this.diffed))) throw new Error(`${step}: the screen never showed what was expected:\n${text(this.diffed)}`);
    await this.check(step);
  }

  async resize(columns: number, rows: number): Promise<void> {
    this.columns = columns;
    this.rows = rows;
    this.diffed.resize(columns, rows);
    this.whole.resize(columns, rows);
    this.#events.emit('resize');
    await sleep(30);
    await this.check(`resize to ${columns}x${rows}`);
  }
}

let session: Session;
const unmounts: Array<() => void> = [];

/** The panel on `doc`, drawn by the writer into one xterm and whole into the other. */
async function open(doc: StoreDocument, columns = 80, rows = 24): Promise<Session> {
  // Colours, bold and reverse video are what a diff can get wrong: have chalk emit them.
  process.env.FORCE_COLOR = '1';
  const [{ render }, { App }, { ScreenWriter }] = await Promise.all([import('ink'), import('../../src/app/App.js'), import('../../src/app/terminal/screen-writer.js')]);
  session = new Session(columns, rows);
  session.writer = new ScreenWriter(session.terminal);
  const store = new MemoryStore(doc);
  const instance = render(<App ctx={{ store, now: () => new Date('2026-11-20T10:00:00Z'), auth: async () => fakeAuth({ stepMs: 1 }) }} color={true} ascii={false} host="backup01" onRedraw={() => session.writer.repaint()} />, {
    stdout: session.stdout(),
    stdin: session.stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  unmounts.push(() => instance.unmount());
  return session;
}

afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});

describe('writing only what changed leaves the screen a full redraw would', () => {
  it('through every screen, dialog, the wizard and resizes, frame by frame', async () => {
    const s = await open(migratedFixture());
    await s.waitFor('start', (t) => t.includes('Defined server connections'));
    await s.press('Dashboard cards', KEY.tab, KEY.tab, KEY.tab);
    await s.press('Manage', '2');
    await s.press('move', KEY.down, KEY.down, KEY.down, KEY.up, 'G', 'g', KEY.pageDown);
    await s.press('filter', '/', 'f', 'a', 'b', KEY.backspace, KEY.enter);
    await s.press('clear the filter', KEY.esc);
    await s.press('test', 'g', 't');
    await s.waitFor('test done', (t) => /checks? passed|Test failed|passed with/.test(t));
    await s.press('close the test', KEY.enter);
    await s.press('delete a used connection', 'd');
    await s.press('close the refusal', KEY.enter);
    await s.press('delete question', 'G', 'd', KEY.tab, KEY.tab, 'n');
    await s.press('new connection menu', 'n', KEY.down, KEY.enter);
    await s.press('wizard: location', KEY.down, KEY.enter);
    await s.press('wizard: SharePoint URL', 'c', 'o', 'n', 't', 'o', 's', 'o', KEY.enter);
    await s.press('wizard: registration', KEY.down, KEY.enter, KEY.tab, 'x', 'y', KEY.tab);
    await s.press('wizard: help', '?');
    await s.resize(120, 40);
    await s.press('help scrolled', KEY.down, KEY.down, KEY.esc);
    await s.press('wizard: discard', KEY.esc, 'y');
    await s.resize(80, 24);
    await s.press('edit c-1', 'g', 'e', KEY.right, KEY.enter, KEY.tab, 'x', KEY.tab);
    await s.resize(60, 15);
    await s.press('leave the wizard', KEY.esc, 'y');
    await s.resize(50, 12);
    await s.press('too small', 'j');
    await s.resize(80, 24);
    await s.press('Bad news', '3', KEY.down, KEY.down, KEY.down, 'x');
    await s.press('permanent alert', 'g', 'x', KEY.enter);
    await s.press('notification options', 'n', ' ', KEY.down, ' ', KEY.esc);
    await s.press('Jobs', '4', KEY.down, 'r');
    await s.press('obsolete job question', KEY.tab, 'n');
    await s.press('help', '?', KEY.down, KEY.esc, '1');
    await s.resize(200, 50);
    await s.press('large', '2', 'G', KEY.up, '1');
    // Another program writes on the screen; Ctrl-L draws it all again.
    s.diffed.write('\x1b[5;5Hwall: the system is going down');
    await s.press('Ctrl-L', '\x0c');
    await s.same('after Ctrl-L');
    expect(s.frames).toBeGreaterThan(60);
    expect(s.skipped).toBeLessThan(10);
    expect(s.writer.bytes).toBeGreaterThan(0);
  });

  it('while a long list scrolls (the terminal moves the rows in a scrolling region)', async () => {
    const s = await open(manyConnections(300));
    await s.waitFor('start', (t) => t.includes('How to start'));
    // Three narrow cards: the title gives way to the count, cut with an ellipsis.
    expect(text(s.diffed)).toMatch(/Defined server[^│]*…\s+300 │/);
    await s.press('Manage', '2');
    await s.press('down past the window', ...Array.from({ length: 30 }, () => KEY.down));
    await s.press('back up', ...Array.from({ length: 25 }, () => KEY.up));
    await s.press('pages', KEY.pageDown, KEY.pageDown, '\x1b[5~', 'G', 'k', 'k', 'g');
    await s.press('filter while scrolled', KEY.pageDown, '/', '1', '2', KEY.enter, KEY.down, KEY.down, KEY.esc);
    await s.resize(200, 50);
    await s.press('down at 200x50', ...Array.from({ length: 60 }, () => KEY.down));
    await s.press('Bad news scrolls', '3', ...Array.from({ length: 40 }, () => 'j'));
    expect(s.writer.bytes).toBeGreaterThan(0);
  });
});

import { render as inkRender, cleanup } from 'ink-testing-library';
import type { ReactElement } from 'react';

export { cleanup };

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\x7f',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  ctrlC: '\x03',
  space: ' ',
} as const;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** No wait ends sooner than this: waits are for events, and CI is a loaded 2-core machine. */
const HANG_GUARD_MS = 60_000;

export interface Screen {
  /** The last frame Ink drew (no escapes without colour). */
  frame(): string;
  frames: string[];
  /** Writes a key and waits until Ink has drawn what it does (see waitChange; `timeoutMs` only for changes that wait on I/O). */
  press(key: string, timeoutMs?: number): Promise<void>;
  /** Several keys in ONE write, as a fast typist or key repeat over SSH delivers them. */
  pressTogether(keys: string, timeoutMs?: number): Promise<void>;
  waitFor(test: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  unmount(): void;
}

/**
 * ink-testing-library with a terminal of a given size: its stdout reports 100 columns and no rows,
 * so we give it real ones and tell the app with a 'resize' event, as a terminal would.
 */
export async function renderSized(tree: ReactElement, size: { columns: number; rows: number }): Promise<Screen> {
  const instance = inkRender(tree);
  const stdout = instance.stdout as unknown as { columns: number; rows: number; emit(event: string): boolean };
  let columns = size.columns;
  let rows = size.rows;
  Object.defineProperty(stdout, 'columns', { get: () => columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { get: () => rows, configurable: true });
  const frame = () => instance.lastFrame() ?? '';

  // A key or a resize can produce several frames (Ink redraws the old tree first on resize). React
  // renders after a few event-loop turns (its scheduler uses setImmediate), however loaded the
  // machine: wait for the first change by turns, not by the clock, then until a run of turns passes
  // without a new frame. Only a change that waits on I/O (a save, a request) is left to the timed
  // wait below; tests wait for those with waitFor().
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const MAX_TURNS = 2000;
  const QUIET_TURNS = 25;
  const waitChange = async (before: string, timeoutMs: number) => {
    for (let i = 0; i < MAX_TURNS && frame() === before; i++) await turn();
    if (frame() === before) {
      const until = Date.now() + timeoutMs;
      while (frame() === before && Date.now() < until) await sleep(2);
    }
    let count = instance.frames.length;
    for (let quiet = 0, i = 0; quiet < QUIET_TURNS && i < MAX_TURNS; i++) {
      await turn();
      if (instance.frames.length === count) quiet++;
      else {
        quiet = 0;
        count = instance.frames.length;
      }
    }
  };
  const screen: Screen = {
    frame,
    frames: instance.frames,
    async press(key, timeoutMs = 300) {
      const before = frame();
      instance.stdin.write(key);
      await waitChange(before, timeoutMs);
    },
    async pressTogether(keys, timeoutMs = 300) {
      const before = frame();
      instance.stdin.write(keys);
      await waitChange(before, timeoutMs);
    },
    async waitFor(test, timeoutMs = 3000) {
      // The limit only stops a hung test; what a test waits for may take far longer on a loaded machine.
      const until = Date.now() + Math.max(timeoutMs, HANG_GUARD_MS);
      while (!test(frame())) {
        if (Date.now() > until) throw new Error(`timed out waiting; last frame:\n${frame()}`);
        await sleep(10);
      }
      return frame();
    },
    async resize(c, r) {
      const before = frame();
      columns = c;
      rows = r;
      stdout.emit('resize');
      await waitChange(before, 300);
    },
    unmount: () => instance.unmount(),
  };
  await screen.resize(size.columns, size.rows);
  await screen.waitFor((f) => f.length > 0);
  return screen;
}

/** Lines of a frame with box-drawing borders and padding removed, joined: wrapped text reads whole. */
export function unwrap(frame: string): string {
  return frame
    .split('\n')
    .map((line) => line.replace(/^[\s│|+]+|[\s│|+]+$/g, ''))
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
}

/**
 * Manage server connections with 10,000 connections in memory, on a 120×40 fake terminal: the
 * time from a keypress to the frame it causes (p50/p95), and how many table rows each frame holds
 * (windowing: the visible rows, never the 10,000). Prints figures, asserts nothing.
 * Run alone with `npx tsx bench/tui.ts`, or with the rest through `npm run bench`.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { manyConnections } from '../test/app/helpers/documents.js';
import { fakeAuth } from '../test/app/helpers/fake-auth.js';
import { FakeStdin } from '../test/app/helpers/fake-stdin.js';
import { MemoryStore } from '../test/app/helpers/memory-store.js';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

const ROWS = 10_000;
const DOWN = '\u001B[B';
const ESCAPE = '\u001B';

export class Terminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  frames = 0;
  lastFrame = '';
  lastWriteAt = 0;
  write = (frame: string): boolean => {
    this.frames += 1;
    this.lastFrame = frame;
    this.lastWriteAt = performance.now();
    return true;
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Milliseconds from writing `key` to the frame it produces. */
export async function keyToFrame(terminal: Terminal, keyboard: FakeStdin, key: string): Promise<number> {
  const before = terminal.frames;
  const start = performance.now();
  keyboard.type(key);
  for (let i = 0; terminal.frames === before && i < 1000; i++) await tick();
  return terminal.lastWriteAt - start;
}

const tableRows = (frame: string) => frame.split('\n').filter((line) => /^[›> ] (Exchange|SharePoint) /.test(line)).length;

export async function benchTui(): Promise<BenchRow[]> {
  // Measured as shipped: the bundle is built with NODE_ENV=production. React's development build
  // adds work per render (prop diffs for its performance track) that no admin ever runs.
  process.env.NODE_ENV ??= 'production';
  const [{ createElement }, { render }, { App }, { documentData }] = await Promise.all([
    import('react'),
    import('ink'),
    import('../src/app/App.js'),
    import('../src/model/state/derive.js'),
  ]);
  const doc = manyConnections(ROWS);
  const deriveStart = performance.now();
  documentData(doc, new Date());
  const deriveMs = performance.now() - deriveStart;

  const store = new MemoryStore(doc);
  const terminal = new Terminal();
  const keyboard = new FakeStdin();
  const mountStart = performance.now();
  const instance = render(createElement(App, { ctx: { store, now: () => new Date(), auth: async () => fakeAuth() }, color: true, ascii: false, host: 'bench' }), {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    // Debug mode writes every frame at once (no 30 fps throttle), so a frame's time is the app's own.
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  for (let i = 0; i < 50 && terminal.frames === 0; i++) await tick();
  const firstFrameMs = performance.now() - mountStart;

  await keyToFrame(terminal, keyboard, '2');
  for (let i = 0; i < 30; i++) await keyToFrame(terminal, keyboard, DOWN);

  const times: number[] = [];
  const rowsPerFrame: number[] = [];
  for (let i = 0; i < 400; i++) {
    times.push(await keyToFrame(terminal, keyboard, DOWN));
    rowsPerFrame.push(tableRows(terminal.lastFrame));
  }
  const sorted = [...times].sort((a, b) => a - b);

  const filterTimes: number[] = [];
  await keyToFrame(terminal, keyboard, '/');
  for (const ch of 'tenant99') filterTimes.push(await keyToFrame(terminal, keyboard, ch));
  const filterSorted = [...filterTimes].sort((a, b) => a - b);

  // Grouped by tenant (3,334 tenants + on-premises: 3,335 header lines): s, then the cursor.
  await keyToFrame(terminal, keyboard, ESCAPE);
  const groupMs = await keyToFrame(terminal, keyboard, 's');
  const groupedTimes: number[] = [];
  for (let i = 0; i < 200; i++) groupedTimes.push(await keyToFrame(terminal, keyboard, DOWN));
  const groupedSorted = [...groupedTimes].sort((a, b) => a - b);

  instance.unmount();
  return [
    { name: `rows derived from the document (once per revision; React ${process.env.NODE_ENV === 'production' ? 'production' : 'development'} build)`, value: deriveMs, unit: 'ms' },
    { name: 'first frame (Dashboard)', value: firstFrameMs, unit: 'ms' },
    { name: 'keypress to frame, cursor down, p50', value: percentile(sorted, 50), unit: 'ms', target: '≤ 16 ms (p95)' },
    { name: 'keypress to frame, cursor down, p95', value: percentile(sorted, 95), unit: 'ms', target: '≤ 16 ms' },
    { name: 'keypress to frame, cursor down, max', value: sorted[sorted.length - 1] ?? 0, unit: 'ms' },
    { name: 'table rows per frame (of 10,000)', value: Math.max(...rowsPerFrame), unit: 'rows', target: '= visible rows' },
    { name: 'keypress to frame, filter typing, p95', value: percentile(filterSorted, 95), unit: 'ms' },
    { name: 'keypress to frame, s (group by tenant)', value: groupMs, unit: 'ms' },
    { name: 'keypress to frame, cursor down grouped, p95', value: percentile(groupedSorted, 95), unit: 'ms', target: '≤ 16 ms' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchTui()) {
    console.log(`${row.name.padEnd(52)} ${row.value.toFixed(row.unit === 'rows' ? 0 : 2).padStart(9)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}

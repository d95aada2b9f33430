/**
 * Browse a storage in the panel with a 10,000-item folder, on a 120×40 fake terminal: the time from
 * opening the folder (Enter) to its frame, from a keypress to the frame it causes (cursor down,
 * marking, filter typing; p50/p95), and how many item rows a frame holds (windowing). A real store
 * and a real storage in a temp folder: the level is listed through the repository's index, as the
 * panel does. Prints figures, asserts nothing. Alone: `npx tsx bench/browse.ts`.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { fakeAuth } from '../test/app/helpers/fake-auth.js';
import { FakeStdin } from '../test/app/helpers/fake-stdin.js';
import type { BenchRow } from './run.js';

const ITEMS = 10_000;
const DOWN = '\u001B[B';
const ENTER = '\r';
const SOURCE = { key: 'mailbox:bench', name: 'bench@contoso.com', kind: 'mailbox' } as const;

class Terminal extends EventEmitter {
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
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** CPU time the process spent from a keypress to its frame, in ms: what a loaded machine does not inflate. */
let lastCpuMs = 0;

async function keyToFrame(terminal: Terminal, keyboard: FakeStdin, key: string): Promise<number> {
  const before = terminal.frames;
  const cpu = process.cpuUsage();
  const start = performance.now();
  keyboard.type(key);
  for (let i = 0; terminal.frames === before && i < 1000; i++) await tick();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return terminal.lastWriteAt - start;
}

/** Waits for a frame holding `text` (the listing is read from disk: I/O, not turns). */
async function frameWith(terminal: Terminal, text: string): Promise<void> {
  for (let i = 0; !terminal.lastFrame.includes(text); i++) {
    if (i > 30_000) throw new Error(`no frame with '${text}'; last:\n${terminal.lastFrame}`);
    await sleep(1);
  }
}

const itemRows = (frame: string) => frame.split('\n').filter((line) => /Bench message \d+/.test(line)).length;

function stats(times: number[]): { p50: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

export async function benchBrowse(): Promise<BenchRow[]> {
  process.env.NODE_ENV ??= 'production';
  const root = await mkdtemp(join(tmpdir(), 'bench-browse-'));
  try {
    const [{ createElement }, { render }, { App }, { openStore }, services] = await Promise.all([
      import('react'),
      import('ink'),
      import('../src/app/App.js'),
      import('../src/store/index.js'),
      import('../src/services/storages.js'),
    ]);
    const store = await openStore({ path: join(root, 'store.json') });
    const ctx = { store, now: () => new Date(), auth: async () => fakeAuth() };
    const { storage: record } = await services.createStorage(ctx, { name: 'Bench', path: join(root, 'storage'), retentionDays: 30 });
    // The folder, written once before timing: 10,000 small messages, one in fifty deleted at the source.
    const storage = await services.openStorageRecord(ctx, record);
    const session = await storage.beginWrite({ what: 'bench' });
    const builder = await session.snapshot(SOURCE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    for (let i = 0; i < ITEMS; i++) {
      const { ref } = await session.putContent(Buffer.from(`Subject: Bench message ${i}\r\n\r\nBody ${i}\r\n`));
      await builder.putItem('inbox', { id: `m${i}`, name: `Bench message ${i}`, title: `Bench message ${i}`, date: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), kind: 'message', content: ref });
      if (i % 50 === 49) await builder.removeItem('inbox', `m${i}`, new Date());
    }
    await builder.commit();
    await session.close();
    await storage.close();

    const terminal = new Terminal();
    const keyboard = new FakeStdin();
    const instance = render(createElement(App, { ctx, color: true, ascii: false, host: 'bench' }), {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: keyboard as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    for (let i = 0; i < 50 && terminal.frames === 0; i++) await tick();
    await keyToFrame(terminal, keyboard, '5');
    await frameWith(terminal, 'Storages (1)');
    await keyToFrame(terminal, keyboard, ENTER);
    await frameWith(terminal, SOURCE.name);
    await keyToFrame(terminal, keyboard, ENTER);
    await frameWith(terminal, 'Inbox/');
    const openStart = performance.now();
    keyboard.type(ENTER);
    await frameWith(terminal, `(${ITEMS})`);
    const openMs = terminal.lastWriteAt - openStart;

    for (let i = 0; i < 30; i++) await keyToFrame(terminal, keyboard, DOWN);
    const down: number[] = [];
    const downCpu: number[] = [];
    const rowsPerFrame: number[] = [];
    for (let i = 0; i < 400; i++) {
      down.push(await keyToFrame(terminal, keyboard, DOWN));
      downCpu.push(lastCpuMs);
      rowsPerFrame.push(itemRows(terminal.lastFrame));
    }
    const mark: number[] = [];
    for (let i = 0; i < 100; i++) {
      mark.push(await keyToFrame(terminal, keyboard, ' '));
      await keyToFrame(terminal, keyboard, DOWN);
    }
    const filter: number[] = [];
    await keyToFrame(terminal, keyboard, '/');
    for (const ch of 'message 99') filter.push(await keyToFrame(terminal, keyboard, ch));
    instance.unmount();
    await store.close();

    const d = stats(down);
    const c = stats(downCpu);
    const m = stats(mark);
    const f = stats(filter);
    return [
      { name: `open the ${ITEMS.toLocaleString('en')}-item folder: Enter to its frame (read from the index)`, value: openMs, unit: 'ms' },
      { name: 'keypress to frame, cursor down, p50', value: d.p50, unit: 'ms', target: '≤ 16 ms (p95)' },
      { name: 'keypress to frame, cursor down, p95', value: d.p95, unit: 'ms', target: '≤ 16 ms' },
      { name: 'CPU time per keypress, cursor down, p95 (what load does not inflate)', value: c.p95, unit: 'ms' },
      { name: 'keypress to frame, mark (Space), p95', value: m.p95, unit: 'ms', target: '≤ 16 ms' },
      { name: 'keypress to frame, filter typing, p95', value: f.p95, unit: 'ms' },
      { name: `item rows per frame (of ${ITEMS.toLocaleString('en')})`, value: Math.max(...rowsPerFrame), unit: 'rows', target: '= visible rows' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchBrowse()) {
    console.log(`${row.name.padEnd(70)} ${row.value.toFixed(row.unit === 'rows' ? 0 : 2).padStart(9)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}

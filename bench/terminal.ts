/**
 * The program as an admin meets it: dist/cli.js in a real pseudo-terminal whose output is parsed by
 * a headless xterm. Start-up is a ratio to `node -e 0` started the same way in the same run, so the
 * figure means the same on a fast or a slow machine.
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeLargeStore } from './store.js';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'store-v1.json');

interface Running {
  readonly pid: number;
  /** Bytes the program has written so far. */
  readonly bytes: () => number;
  readonly term: xterm.Terminal;
  readonly process: pty.IPty;
  /** Resolves when the parsed screen satisfies `test`; the time is when the satisfying bytes were parsed. */
  until(test: (screen: string) => boolean, timeoutMs?: number): Promise<number>;
  close(): void;
}

function screenOf(term: xterm.Terminal): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < term.rows; i++) lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
  return lines.join('\n');
}

function spawn(args: readonly string[], cols = 120, rows = 40, extraEnv: Record<string, string> = {}, node = process.execPath): Running {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const env = { ...process.env, TERM: 'xterm', ...extraEnv } as Record<string, string>;
  delete env.CI;
  const child = pty.spawn(node, [...args], { name: 'xterm', cols, rows, env });
  const waiters = new Set<{ test: (s: string) => boolean; resolve: (t: number) => void }>();
  let bytes = 0;
  child.onData((data) => {
    bytes += Buffer.byteLength(data);
    term.write(data, () => {
      const now = performance.now();
      if (waiters.size === 0) return;
      const screen = screenOf(term);
      for (const w of waiters) {
        if (w.test(screen)) {
          waiters.delete(w);
          w.resolve(now);
        }
      }
    });
  });
  let exited = false;
  child.onExit(() => {
    exited = true;
    for (const w of waiters) w.resolve(performance.now());
    waiters.clear();
  });
  return {
    pid: child.pid,
    bytes: () => bytes,
    term,
    process: child,
    until(test, timeoutMs = 30_000) {
      if (exited) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve: (t: number) => (clearTimeout(timer), resolve(t)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out; screen:\n${screenOf(term)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      try {
        child.kill('SIGKILL');
      } catch {
        // gone already
      }
      term.dispose();
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Process start → first complete Dashboard frame (the footer is the last line drawn). */
async function startUp(store: string, node = process.execPath): Promise<{ baseline: number; panel: number }> {
  const baseline: number[] = [];
  const panel: number[] = [];
  // One start first: Node 22+ fills its compile cache then, as an admin's first start would.
  const first = spawn([CLI, '--store', store], 80, 24, {}, node);
  await first.until((s) => s.includes('? help')).catch(() => undefined);
  first.close();
  for (let i = 0; i < 15; i++) {
    let started = performance.now();
    const bare = spawn(['-e', '0'], 120, 40, {}, node);
    baseline.push((await bare.until(() => false, 10_000).catch(() => performance.now())) - started);
    bare.close();
    started = performance.now();
    const app = spawn([CLI, '--store', store], 80, 24, {}, node);
    panel.push((await app.until((s) => s.includes('Defined server connections') && s.includes('? help'))) - started);
    app.close();
  }
  return { baseline: median(baseline), panel: median(panel) };
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** ↓ in Manage server connections with 10,000 rows: key written → the cursor row drawn on the screen. */
async function keypresses(store: string): Promise<{ p50: number; p95: number; rssOpen: number; rssAfterKeys: number; firstFrame: number }> {
  const started = performance.now();
  const app = spawn([CLI, '--store', store], 120, 40);
  try {
    const firstFrame = (await app.until((s) => s.includes('Defined server connections') && s.includes('? help'), 60_000)) - started;
    app.process.write('2');
    await app.until((s) => s.includes('Manage server connections (10000)'));
    await new Promise((r) => setTimeout(r, 1500));
    const rssOpen = await rssMb(app.pid);
    // The "n/10000" position is drawn in the same frame as the moved cursor (and the scrolled rows).
    const position = (s: string) => /(\d+)\/10000/.exec(s)?.[1];
    const times: number[] = [];
    for (let i = 0; i < 120; i++) {
      const before = position(screenOf(app.term));
      const key = i % 40 < 30 ? '\x1b[B' : '\x1b[A';
      const sent = performance.now();
      app.process.write(key);
      const drawn = await app.until((s) => position(s) !== before);
      times.push(drawn - sent);
      await new Promise((r) => setTimeout(r, 40)); // a fast typist, not a paste: each key is its own frame
    }
    // Frames are garbage the collector has not returned yet; V8 gives it back after ~20 s idle.
    const rssAfterKeys = await rssMb(app.pid);
    return { p50: percentile(times, 50), p95: percentile(times, 95), rssOpen, rssAfterKeys, firstFrame };
  } finally {
    app.close();
  }
}

/** Waits until the program has written nothing for `quietMs` (a frame can arrive in several reads). */
async function quiet(app: Running, quietMs = 80): Promise<void> {
  let seen = -1;
  while (seen !== app.bytes()) {
    seen = app.bytes();
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

/**
 * Bytes written for one ↓ in Manage server connections (10,000 rows), median of 40 keys: what
 * crosses an SSH link per keypress. `fullRedraw` runs Ink's own renderer, which writes every frame
 * whole (BACKUP_PANEL_FULL_REDRAW=1): the figure before the screen writer, and a full frame's size.
 */
async function bytesPerKey(store: string, cols: number, rows: number, fullRedraw: boolean): Promise<number> {
  const app = spawn([CLI, '--store', store], cols, rows, fullRedraw ? { BACKUP_PANEL_FULL_REDRAW: '1' } : {});
  try {
    await app.until((s) => s.includes('Defined server connections'), 60_000);
    app.process.write('2');
    await app.until((s) => s.includes('Manage server connections (10000)'));
    await quiet(app, 300);
    const position = (s: string) => /(\d+)\/10000/.exec(s)?.[1];
    const sizes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const before = position(screenOf(app.term));
      const at = app.bytes();
      app.process.write('\x1b[B');
      await app.until((s) => position(s) !== before);
      await quiet(app);
      sizes.push(app.bytes() - at);
    }
    return median(sizes);
  } finally {
    app.close();
  }
}

/**
 * Other Node.js versions to measure start-up on (BENCH_NODES, default 22), from npm's `node`
 * package as the tests get them; a version npx cannot fetch is left out.
 */
function otherNodes(): Array<{ major: string; path: string }> {
  const found: Array<{ major: string; path: string }> = [];
  for (const major of (process.env.BENCH_NODES ?? '22').split(/\s+/).filter(Boolean)) {
    const result = spawnSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], { encoding: 'utf8', timeout: 120_000 });
    const path = result.status === 0 ? result.stdout.trim().split('\n').pop() : undefined;
    if (path) found.push({ major, path });
  }
  return found;
}

export async function benchTerminal(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-panel-bench-term-'));
  try {
    const small = join(dir, 'small.json');
    await copyFile(FIXTURE, small);
    const large = join(dir, 'large.json');
    await writeLargeStore(large);
    // Migrate the sample once so start-up measures an ordinary start, not the one-time upgrade.
    const warm = spawn([CLI, 'connections', 'list', '--store', small]);
    await warm.until(() => false, 20_000).catch(() => undefined);
    warm.close();

    const { baseline, panel } = await startUp(small);
    const others: BenchRow[] = [];
    for (const { major, path } of otherNodes()) {
      const other = await startUp(small, path);
      others.push(
        { name: `Node.js ${major}: node -e 0 (baseline)`, value: other.baseline, unit: 'ms' },
        { name: `Node.js ${major}: start → first Dashboard frame`, value: other.panel, unit: 'ms' },
        { name: `Node.js ${major}: start-up ratio`, value: other.panel / other.baseline, unit: '×', target: '≤ 4×' },
      );
    }
    const keys = await keypresses(large);
    const bytes: BenchRow[] = [];
    for (const [cols, rows] of [
      [80, 24],
      [200, 50],
    ] as const) {
      const whole = await bytesPerKey(large, cols, rows, true);
      const changed = await bytesPerKey(large, cols, rows, false);
      bytes.push(
        { name: `bytes per ↓ in Manage at ${cols}×${rows}, Ink's full redraw`, value: whole, unit: 'B' },
        { name: `bytes per ↓ in Manage at ${cols}×${rows}, changed cells only`, value: changed, unit: 'B' },
        { name: `  that is, of a full redraw`, value: (100 * changed) / whole, unit: '%', target: '≤ 10 %' },
      );
    }
    return [
      { name: 'node -e 0 in a pseudo-terminal (baseline)', value: baseline, unit: 'ms' },
      { name: 'start → first Dashboard frame (sample store)', value: panel, unit: 'ms' },
      { name: `start-up ratio to the baseline (Node.js ${process.versions.node.split('.')[0]})`, value: panel / baseline, unit: '×', target: '≤ 2.5×' },
      ...others,
      { name: 'start → first frame, 10,000 connections', value: keys.firstFrame, unit: 'ms' },
      { name: 'keypress → frame, 10,000 rows, p50', value: keys.p50, unit: 'ms' },
      { name: 'keypress → frame, 10,000 rows, p95', value: keys.p95, unit: 'ms', target: '≤ 16 ms' },
      { name: 'resident memory, Manage open on 10,000 connections', value: keys.rssOpen, unit: 'MB', target: '≤ 150 MB' },
      { name: 'resident memory right after 120 keypresses', value: keys.rssAfterKeys, unit: 'MB' },
      ...bytes,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchTerminal()) console.log(`${row.name.padEnd(48)} ${row.value.toFixed(1).padStart(8)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
}

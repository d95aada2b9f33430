/**
 * The Jobs tab with 20,000 jobs (and 10,000 connections) in memory, on a 120×40 fake terminal:
 * the time from a keypress to the frame it causes (p50/p95) moving down the list and typing a
 * filter, and how many job rows a frame holds (windowing). Prints figures, asserts nothing.
 * Run alone with `npx tsx bench/tui-jobs.ts`, or with the rest through `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Job, StoreDocument } from '../src/domain/index.js';
import { manyConnections } from '../test/app/helpers/documents.js';
import { fakeAuth } from '../test/app/helpers/fake-auth.js';
import { FakeStdin } from '../test/app/helpers/fake-stdin.js';
import { MemoryStore } from '../test/app/helpers/memory-store.js';
import { keyToFrame, percentile, Terminal, type BenchRow } from './tui.js';

const JOBS = 20_000;
const DOWN = '\u001B[B';

function manyJobs(): StoreDocument {
  const doc = manyConnections(10_000);
  const jobs: Job[] = [];
  for (let i = 0; i < JOBS; i++) {
    jobs.push({
      id: `j-${i}`,
      name: `${i % 2 ? 'Mailboxes' : 'Sites'} ${i} - ${i % 3 ? 'nightly' : 'weekly'}`,
      kind: 'backup',
      connectionId: `c-${(i % 10_000) + 1}`,
      continuous: i % 2 === 0,
      ...(i % 4 ? { lastRun: { at: new Date(Date.UTC(2026, 5, 1) + i * 60_000).toISOString(), result: i % 13 ? 'succeeded' : 'failed' } } : {}),
    } as Job);
  }
  return { ...doc, jobs };
}

const jobRows = (frame: string) => frame.split('\n').filter((line) => /^[›> ] (Mailboxes|Sites) \d+/.test(line)).length;

export async function benchTuiJobs(): Promise<BenchRow[]> {
  process.env.NODE_ENV ??= 'production';
  const [{ createElement }, { render }, { App }] = await Promise.all([import('react'), import('ink'), import('../src/app/App.js')]);
  const store = new MemoryStore(manyJobs());
  const terminal = new Terminal();
  const keyboard = new FakeStdin();
  const instance = render(createElement(App, { ctx: { store, now: () => new Date(), auth: async () => fakeAuth() }, color: true, ascii: false, host: 'bench' }), {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  for (let i = 0; i < 50 && terminal.frames === 0; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  const tabMs = await keyToFrame(terminal, keyboard, '4');
  for (let i = 0; i < 30; i++) await keyToFrame(terminal, keyboard, DOWN);
  const times: number[] = [];
  const rowsPerFrame: number[] = [];
  // CPU time too: on a shared, loaded machine wall time mostly measures waiting for a core.
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < 400; i++) {
    times.push(await keyToFrame(terminal, keyboard, DOWN));
    rowsPerFrame.push(jobRows(terminal.lastFrame));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerKey = (cpu.user + cpu.system) / 1000 / 400;
  const sorted = [...times].sort((a, b) => a - b);
  const filterTimes: number[] = [];
  await keyToFrame(terminal, keyboard, '/');
  for (const ch of 'weekly 19') filterTimes.push(await keyToFrame(terminal, keyboard, ch));
  const filterSorted = [...filterTimes].sort((a, b) => a - b);
  const openStart = performance.now();
  await keyToFrame(terminal, keyboard, '\r');
  await keyToFrame(terminal, keyboard, '\r');
  const detailMs = performance.now() - openStart;
  instance.unmount();
  return [
    { name: 'switch to the Jobs tab (20,000 jobs)', value: tabMs, unit: 'ms' },
    { name: 'Jobs: keypress to frame, cursor down, p50', value: percentile(sorted, 50), unit: 'ms', target: '≤ 16 ms (p95)' },
    { name: 'Jobs: keypress to frame, cursor down, p95', value: percentile(sorted, 95), unit: 'ms', target: '≤ 16 ms' },
    { name: 'Jobs: keypress to frame, cursor down, max', value: sorted[sorted.length - 1] ?? 0, unit: 'ms' },
    { name: 'Jobs: CPU time per cursor-down key (mean)', value: cpuPerKey, unit: 'ms' },
    { name: 'Jobs: job rows per frame (of 20,000)', value: Math.max(...rowsPerFrame), unit: 'rows', target: '= visible rows' },
    { name: 'Jobs: keypress to frame, filter typing, p95', value: percentile(filterSorted, 95), unit: 'ms' },
    { name: 'Jobs: keep the filter and open a job (two keys)', value: detailMs, unit: 'ms' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchTuiJobs()) {
    console.log(`${row.name.padEnd(52)} ${row.value.toFixed(row.unit === 'rows' ? 0 : 2).padStart(9)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
  process.exit(0);
}

/**
 * Backup engine figures against the loopback sandbox (Graph over HTTP, the real store, msal-node and
 * storage): the full backup rate of a 10,000-message mailbox, an incremental cycle over it unchanged
 * (time and requests, against the number of folders), the storage's size against the data's, and
 * the peak resident memory of `jobs run` (the built program, its own process) backing up 1 GB of
 * library files. `npx tsx bench/engine.ts` prints a table; `npm run bench` includes it. The full
 * rate is taken twice: the built program in its own process (as on a server: the tenant's work is
 * not on our cores) and in-process with the sandbox. BENCH_MESSAGES=N makes a smaller mailbox.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createBackupJob, createStorage, runCycle, storageRows } from '../src/services/index.js';
import { CLI } from '../test/helpers/cli.js';
import type { EngineWorld } from '../test/engine/world.js';
import { engineWorld } from '../test/engine/world.js';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const UPN = 'admin@contoso.onmicrosoft.com';

/** `jobs run NAME --json` of the built program, in its own process: the engine on one core, the sandbox (the "remote" tenant) in this one. */
async function runJobProcess(world: EngineWorld, name: string): Promise<{ cycle: { result?: string; backedUp?: number; bytes?: number }; seconds: number; peakMb: number }> {
  const child = spawn(process.execPath, [CLI, 'jobs', 'run', name, '--json', '--store', join(world.dir, 'store.json')], {
    env: { ...process.env, NO_COLOR: '1', BACKUP_PANEL_M365_ENDPOINT: world.sandbox.url },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const start = performance.now();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const peakMb = await peakRssOf(child.pid ?? 0, exited);
  const code = await exited;
  const seconds = (performance.now() - start) / 1000;
  const cycle = JSON.parse(stdout || '{}') as { result?: string; backedUp?: number; bytes?: number };
  if (code !== 0 || cycle.result !== 'succeeded') throw new Error(`jobs run exited ${code}: ${stdout.slice(0, 300)}`);
  return { cycle, seconds, peakMb };
}

async function mailFigures(): Promise<BenchRow[]> {
  const world = await engineWorld({ mailboxes: 1, messages: MESSAGES, largeMessages: 0, files: 0, largeFiles: 0 });
  try {
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    const jobId = await world.addJob('Bench mail', 'c-exo', [UPN]);
    let start = performance.now();
    const full = await runCycle(world.ctx, jobId);
    const fullSeconds = (performance.now() - start) / 1000;
    if (full.record.result !== 'succeeded') throw new Error(`full backup ${full.record.result}: ${JSON.stringify(full.record.errors.slice(0, 2))}`);
    const [row] = await storageRows(world.ctx);
    const folders = world.sandbox.mail.folders(UPN).length;

    const since = world.sandbox.requests.length;
    start = performance.now();
    const again = await runCycle(world.ctx, jobId);
    const incrementalMs = performance.now() - start;
    const requests = world.sandbox.requests.length - since;
    if (again.record.backedUp !== 0) throw new Error(`the unchanged cycle backed up ${again.record.backedUp} items`);

    // The same full backup as a real server does it: the program in its own process, the tenant elsewhere.
    const { storage } = await createStorage(world.ctx, { name: 'Second', path: join(world.dir, 'storage-2'), retentionDays: 30 });
    await createBackupJob(world.ctx, { name: 'Bench mail 2', connection: 'c-exo', storage: storage.id, sources: [UPN] });
    await world.store.close();
    const own = await runJobProcess(world, 'Bench mail 2');
    return [
      { name: `full backup, ${own.cycle.backedUp} messages, the program in its own process`, value: (own.cycle.backedUp ?? 0) / own.seconds, unit: 'msg/s', target: '≥ 300' },
      { name: `full backup, ${full.record.backedUp} messages (avg ${Math.round(full.record.bytes / full.record.backedUp / 1024)} KB), sandbox in the same process`, value: full.record.backedUp / fullSeconds, unit: 'msg/s' },
      { name: `incremental cycle, ${MESSAGES} items unchanged`, value: incrementalMs, unit: 'ms', target: '≤ 2000' },
      { name: `  its requests (mailbox has ${folders} folders)`, value: requests, unit: 'requests', target: `≈ folders + 2` },
      { name: 'storage size / data size (mail)', value: (row?.bytesStored ?? 0) / Math.max(1, row?.bytesOriginal ?? 1), unit: '×' },
    ];
  } finally {
    await world.sandbox.close();
    await rm(world.dir, { recursive: true, force: true });
  }
}

/** Peak resident memory of a process, from /proc (VmHWM, the high-water mark), sampled until it exits. */
function peakRssOf(pid: number, done: Promise<unknown>): Promise<number> {
  let peak = 0;
  let running = true;
  void done.then(() => (running = false));
  return (async () => {
    while (running) {
      try {
        const status = await readFile(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return peak / 1024;
  })();
}

async function gigabyteFigures(): Promise<BenchRow[]> {
  const files = 5; // per library: the HR site has two
  const world = await engineWorld({ mailboxes: 0, messages: 0, files, largeFiles: files, largeFileBytes: 100 * 1_048_576 });
  try {
    await world.addConnection({ id: 'c-spo', service: 'sharepoint' });
    await world.addJob('Bench files', 'c-spo', ['contoso.sharepoint.com/sites/hr']);
    await world.store.close();
    const { cycle, seconds, peakMb: peak } = await runJobProcess(world, 'Bench files');
    return [
      { name: `jobs run backing up ${((cycle.bytes ?? 0) / 2 ** 30).toFixed(2)} GB of files: peak RSS`, value: peak, unit: 'MB', target: '≤ 200' },
      { name: '  its rate', value: (cycle.bytes ?? 0) / 1_048_576 / seconds, unit: 'MB/s' },
    ];
  } finally {
    await world.sandbox.close();
    await rm(world.dir, { recursive: true, force: true });
  }
}

export async function benchEngine(): Promise<BenchRow[]> {
  return process.env.BENCH_ENGINE === 'gb' ? gigabyteFigures() : [...(await mailFigures()), ...(await gigabyteFigures())];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchEngine()) console.log(`${row.name.padEnd(60)} ${row.value.toFixed(1).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
}

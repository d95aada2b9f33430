/**
 * Storage figures (src/repository/): write rate of ~10 KB messages, storage size against data
 * size on MIME-like mail with duplicates, an unchanged incremental cycle and a browse of a
 * 10,000-item folder, check, and peak memory writing 1 GB (in its own process).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { ContentRef } from '../src/repository/index.js';
import { createStorage } from '../src/repository/index.js';
import { mime } from '../test/repository/helpers/data.js';
import type { BenchRow } from './run.js';

const MESSAGES = 10_000;
const SOURCE = { key: 'mailbox:bench', name: 'bench@contoso.com', kind: 'mailbox' } as const;

interface OneGigabyte {
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly mbPerSecond: number;
}

/** Bundled and run by plain node (tsx's loader alone would add ~40 MB to the figure). */
async function oneGigabyte(root: string): Promise<OneGigabyte> {
  const here = dirname(fileURLToPath(import.meta.url));
  const outfile = join(root, 'storage-1gb.mjs');
  await build({ entryPoints: [join(here, 'storage-1gb.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as OneGigabyte;
}

export async function benchStorage(): Promise<BenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'bench-storage-'));
  try {
    const { storage } = await createStorage(join(root, 's'), { name: 'Bench', retentionDays: 30 });
    // Made before timing: the figure is the storage's, not the generator's. One in ten repeats an earlier one.
    const messages = Array.from({ length: MESSAGES }, (_, i) => mime(i % 10 === 9 ? i - 5 : i, `Message ${i}`, 10_000));
    const original = messages.reduce((sum, m) => sum + m.length, 0);

    let start = performance.now();
    let session = await storage.beginWrite({ what: 'bench' });
    let builder = await session.snapshot(SOURCE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    // Four at a time, as the engine fetches (at most 4 concurrent requests per mailbox).
    const refs: ContentRef[] = new Array(MESSAGES);
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = next++; i < MESSAGES; i = next++) refs[i] = (await session.putContent(messages[i]!)).ref;
    }));
    for (let i = 0; i < MESSAGES; i++) await builder.putItem('inbox', { id: `m${i}`, name: `Message ${i}`, title: `Message ${i}`, date: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), kind: 'message', content: refs[i]! });
    builder.setCursor('inbox', 'delta-1');
    await builder.commit();
    await session.close();
    const fullSeconds = (performance.now() - start) / 1000;
    const stats = await storage.stats();

    start = performance.now();
    session = await storage.beginWrite({ what: 'bench' });
    builder = await session.snapshot(SOURCE);
    builder.setCursor('inbox', 'delta-2');
    await builder.commit();
    await session.close();
    const incrementalMs = performance.now() - start;

    start = performance.now();
    const listing = await storage.browse('bench@contoso.com/Inbox');
    const browseMs = performance.now() - start;
    if (listing.entries.length !== MESSAGES) throw new Error(`browse listed ${listing.entries.length}`);

    start = performance.now();
    const report = await storage.check();
    const checkSeconds = (performance.now() - start) / 1000;
    if (!report.sound) throw new Error('check found problems');

    const big = await oneGigabyte(root);
    return [
      { name: `write ${MESSAGES.toLocaleString('en')} messages of ~10 KB (content, items, commit)`, value: MESSAGES / fullSeconds, unit: 'items/s', target: '≥ 300 items/s' },
      { name: 'storage size / data size, MIME-like mail with 10 % duplicates', value: (stats.bytesStored / original) * 100, unit: '%' },
      { name: 'incremental cycle, unchanged 10,000-item folder', value: incrementalMs, unit: 'ms', target: '≤ 2,000 ms' },
      { name: 'browse a 10,000-item folder', value: browseMs, unit: 'ms' },
      { name: 'check (read and authenticate everything)', value: stats.bytesStored / (1 << 20) / checkSeconds, unit: 'MB/s' },
      { name: 'write 1 GB (half messages, half 100 MB files)', value: big.mbPerSecond, unit: 'MB/s' },
      { name: 'peak resident memory writing 1 GB (whole process)', value: big.peakRssMb, unit: 'MB', target: '≤ 200 MB' },
      { name: '  of which before writing (node, code, test data)', value: big.baselineRssMb, unit: 'MB' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchStorage()) process.stdout.write(`${row.name}: ${row.value.toFixed(1)} ${row.unit}\n`);
}

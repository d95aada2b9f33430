/**
 * Writes 1 GB into a new storage in its own process and prints its peak resident memory, so the
 * figure is the storage's and not the bench runner's: half ~10 KB messages (four at a time, as the
 * engine fetches; one in ten a duplicate), half 100 MB files (streamed).
 * bench/storage.ts bundles it and runs it with plain node, as the program runs; it prints one
 * JSON line (peak and before-writing resident memory, MB/s).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStorage } from '../src/repository/index.js';
import { mime, noise } from '../test/repository/helpers/data.js';

const GB = 1 << 30;
// Bodies from a pool, made unique by their headers: generating 50,000 messages would cost more than storing them.
const POOL = Array.from({ length: 1000 }, (_, i) => mime(i, `Message ${i}`, 10_000));
function message(i: number): Buffer {
  const n = i % 10 === 9 ? i - 5 : i;
  return Buffer.concat([Buffer.from(`Message-ID: <${n}.bench@contoso.com>\r\n`), POOL[n % POOL.length]!]);
}

const root = await mkdtemp(join(tmpdir(), 'bench-storage-1gb-'));
const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
try {
  const { storage } = await createStorage(join(root, 's'), { name: 'Bench', retentionDays: 30 });
  const session = await storage.beginWrite({ what: 'bench' });
  const builder = await session.snapshot({ key: 'mailbox:bench', name: 'bench@contoso.com', kind: 'mailbox' });
  builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
  builder.setFolder({ id: 'files', parentId: null, name: 'Files' });
  const start = performance.now();
  let written = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (written < GB / 2) {
        const i = next++;
        const content = message(i);
        written += content.length;
        const { ref } = await session.putContent(content);
        await builder.putItem('inbox', { id: `m${i}`, name: `Message ${i}`, date: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), kind: 'message', content: ref });
      }
    }),
  );
  for (let f = 0; written < GB; f++) {
    const size = 100 << 20;
    async function* file() {
      for (let at = 0; at < size; at += 1 << 20) yield noise(f * 1000 + at / (1 << 20) + 1, 1 << 20);
    }
    const { ref } = await session.putContent(file());
    await builder.putItem('files', { id: `f${f}`, name: `file-${f}.bin`, date: '2026-01-01T00:00:00.000Z', kind: 'file', content: ref });
    written += size;
  }
  await builder.commit();
  await session.close();
  const seconds = (performance.now() - start) / 1000;
  const stats = await storage.stats();
  process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb, mbPerSecond: written / (1 << 20) / seconds, items: stats.items, ratio: stats.bytesStored / stats.bytesOriginal })}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}

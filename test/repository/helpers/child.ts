/**
 * A writer process for the lock and crash tests (bundled by children.ts, run with plain node).
 * Reads `{ dir, key }` as one JSON line on stdin (keys never in argv), then:
 * - `hold`: takes the write lock, prints `locked`, releases when stdin ends;
 * - `cycles N`: runs N cycles of two sources, printing a line at every step it takes, so a test
 *   can kill it at a moment chosen from its own progress.
 */
import { createInterface } from 'node:readline';
import { Secret } from '../../../src/domain/index.js';
import type { SourceInfo, WriteSession } from '../../../src/repository/index.js';
import { StorageError, openStorage } from '../../../src/repository/index.js';
import { itemContent } from './data.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin });
const iterator = lines[Symbol.asyncIterator]();
const first = await iterator.next();
const { dir, key } = JSON.parse(String(first.value)) as { dir: string; key: string };
const [mode, count] = process.argv.slice(2);

const storage = await openStorage(dir, new Secret(key));
let session: WriteSession;
try {
  session = await storage.beginWrite({
    what: `test writer ${mode}`,
    onEvent: (e) => {
      if (e.type === 'pack' || e.type === 'index' || e.type === 'snapshot') say(`event ${e.type}`);
    },
  });
} catch (error) {
  if (error instanceof StorageError && error.code === 'locked') {
    say(`refused ${error.message}`);
    process.exit(3);
  }
  throw error;
}
say('locked');

if (mode === 'hold') {
  while (!(await iterator.next()).done);
  await session.close();
  say('released');
  process.exit(0);
}

const SOURCES: Record<string, SourceInfo> = {
  A: { key: 'mailbox:a', name: 'a@contoso.com', kind: 'mailbox' },
  B: { key: 'mailbox:b', name: 'b@contoso.com', kind: 'mailbox' },
};

async function cycle(name: string): Promise<void> {
  const builder = await session.snapshot(SOURCES[name]!);
  const c = Number((builder.cursor(null) ?? 'cycle-0').slice(6)) + 1;
  const folder = `f${c % 3}`;
  builder.setFolder({ id: folder, parentId: null, name: `Folder ${c % 3}` });
  for (let i = 0; i < 10; i++) {
    const { ref } = await session.putContent(itemContent(name, c, i));
    await builder.putItem(folder, { id: `c${c}-i${i}`, name: `Message ${c}.${i}`, date: new Date(Date.UTC(2026, 0, 1, 0, c, i)).toISOString(), kind: 'message', content: ref });
    say(`put ${name} ${c} ${i}`);
  }
  if (c >= 2) await builder.removeItem(`f${(c - 1) % 3}`, `c${c - 1}-i1`, new Date(Date.UTC(2026, 1, 1)));
  builder.setCursor(folder, `delta-${c}`);
  builder.setCursor(null, `cycle-${c}`);
  await builder.commit();
  say(`committed ${name} ${c}`);
}

for (let n = 0; n < Number(count ?? 1); n++) await Promise.all([cycle('A'), cycle('B')]);
await session.close();
say('done');
// stdin stays open (readline): leave without waiting for it.
process.exit(0);

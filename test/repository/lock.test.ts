import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/repository/index.js';
import { childBundle, startWriter } from './helpers/children.js';
import { newStorage } from './helpers/storage.js';

beforeAll(async () => {
  await childBundle();
});

describe('one writer per storage', () => {
  it('refuses a second writer, naming the holder; readers share; a killed holder’s lock is taken over', async () => {
    const { storage, dir, masterKey } = await newStorage();
    const holder = await startWriter(dir, masterKey, ['hold']);
    await holder.waitFor((l) => l === 'locked');

    const refused = await storage.beginWrite({ what: 'jobs run Mailboxes' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StorageError);
    expect(refused).toMatchObject({ code: 'locked', holder: { pid: holder.process.pid, what: 'test writer hold' } });
    expect((refused as Error).message).toMatch(new RegExp(`^storage Main is in use by test writer hold \\(pid ${holder.process.pid}, .+\\); try again when it ends$`));
    // check reads alongside a writer; prune needs the storage to itself.
    expect((await storage.check()).sound).toBe(true);
    await expect(storage.prune(new Date())).rejects.toMatchObject({ code: 'locked' });

    holder.process.kill('SIGKILL');
    await holder.exited;
    const session = await storage.beginWrite({ what: 'after the kill' });
    await session.close();
    expect(await readdir(join(dir, 'locks'))).toEqual([]);
  });

  it('lets exactly one of two processes that lock at once write', async () => {
    const { dir, masterKey } = await newStorage();
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([startWriter(dir, masterKey, ['hold']), startWriter(dir, masterKey, ['hold'])]);
      const outcome = (w: typeof a) => w.waitFor((l) => l === 'locked' || l.startsWith('refused')).then((i) => w.lines[i]!);
      const [first, second] = await Promise.all([outcome(a), outcome(b)]);
      expect([first, second].filter((l) => l === 'locked')).toHaveLength(1);
      expect([first, second].find((l) => l !== 'locked')).toMatch(/^refused storage Main is in use by test writer hold/);
      for (const w of [a, b]) w.process.stdin!.end();
      await Promise.all([a.exited, b.exited]);
    }
  });

  it('refuses a second write session in the same process', async () => {
    const { storage } = await newStorage();
    const first = await storage.beginWrite({ what: 'first' });
    await expect(storage.beginWrite({ what: 'second' })).rejects.toMatchObject({ code: 'locked' });
    await first.close();
    await (await storage.beginWrite({ what: 'third' })).close();
  });
});

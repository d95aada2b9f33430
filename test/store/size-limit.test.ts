import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { sha256, v1StoreDir } from './helpers/tmp.js';

/**
 * Issue 11, item 3: a save may never write a file the next read refuses as too large. The limit is
 * lowered here so that a small store sits just under it, as the red team's 64 MB store did.
 */

async function storeNearLimit(headroom: number): Promise<{ path: string; limit: number }> {
  const { path } = await v1StoreDir();
  const store = await openStore({ path });
  await store.update((draft) => {
    const model = draft.jobs[0] as (typeof draft.jobs)[number];
    const more = 200 - draft.jobs.length;
    for (let i = 0; i < more; i++) draft.jobs.push({ ...model, id: `j-pad-${i}`, name: `Padding job ${i}` });
    return { change: { action: 'test.populate' }, result: undefined };
  });
  await store.close();
  return { path, limit: (await stat(path)).size + headroom };
}

describe('the save and the read share one size limit', () => {
  it('a mute that would cross the limit is refused, naming what grew; the store stays readable', async () => {
    // Right at the limit, as the red team's 67,108,864-byte store was.
    const { path, limit } = await storeNearLimit(0);
    const before = await sha256(path);
    const store = await openStore({ path, maxBytes: limit });
    const attempt = store.update((draft) => {
      draft.notifications.muted = [...draft.notifications.muted.filter((c) => c !== 'connection-failed'), 'connection-failed'];
      return { change: { action: 'alerts.mute', entity: { type: 'notifications' }, fields: ['notifications.muted'] }, result: undefined };
    });
    await expect(attempt).rejects.toMatchObject({ code: 'too-large' });
    await expect(attempt).rejects.toThrow(new RegExp(`^refusing to save ${path}: it would be [\\d,]+ bytes, over the ${limit.toLocaleString('en-US')} bytes a store may have \\(\\w+ grew by 0\\.0 MB to [\\d.]+ MB[^)]*\\); nothing was written — remove entries you no longer need$`));
    await store.close();
    expect(await sha256(path)).toBe(before);
    // No lock-out: the same limit still reads it.
    const again = await openStore({ path, maxBytes: limit });
    expect(again.current().jobs).toHaveLength(200);
    await again.close();
  });

  it('the section that grew is named with its entry count', async () => {
    const { path, limit } = await storeNearLimit(2_000);
    const store = await openStore({ path, maxBytes: limit });
    const attempt = store.update((draft) => {
      for (let i = 0; i < 100; i++) draft.jobs.push({ ...(draft.jobs[0] as object), id: `more-${i}`, name: `More ${i}` } as (typeof draft.jobs)[number]);
      return { change: { action: 'test.grow' }, result: undefined };
    });
    await expect(attempt).rejects.toThrow(/\(jobs grew by [\d.]+ MB to [\d.]+ MB, 300 entries\)/);
    await store.close();
    expect(JSON.parse(await readFile(path, 'utf8')).jobs).toHaveLength(200);
  });

  it('a save that stays under the limit goes through', async () => {
    const { path, limit } = await storeNearLimit(4_000);
    const store = await openStore({ path, maxBytes: limit });
    await store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute' }, result: undefined };
    });
    await store.close();
    expect((await stat(path)).size).toBeLessThanOrEqual(limit);
  });
});

import { open, readdir, rm, truncate, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentRef } from '../../src/repository/index.js';
import { openStorage } from '../../src/repository/index.js';
import { ALICE, filesUnder, mime, newStorage } from './helpers/storage.js';

/** A storage with one cycle of 20 messages (one pack), and the refs in the order they were stored. */
async function filled() {
  const created = await newStorage();
  const session = await created.storage.beginWrite({ what: 'test' });
  const builder = await session.snapshot(ALICE);
  builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
  const refs: ContentRef[] = [];
  for (let i = 0; i < 20; i++) {
    const { ref } = await session.putContent(mime(i));
    refs.push(ref);
    await builder.putItem('inbox', { id: `m${i}`, name: `m${i}`, date: '2026-01-01T00:00:00.000Z', kind: 'message', content: ref });
  }
  await builder.commit();
  await session.close();
  const files = await filesUnder(created.dir);
  const pack = files.find((f) => f.startsWith('packs/'))!;
  return { ...created, refs, files, pack, path: (file: string) => join(created.dir, file) };
}

async function flipByte(path: string, offset: number): Promise<void> {
  const handle = await open(path, 'r+');
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, offset);
  byte[0] = byte[0]! ^ 0x01;
  await handle.write(byte, 0, 1, offset);
  await handle.close();
}

describe('check', () => {
  it('passes a sound storage, reading every object', async () => {
    const { storage } = await filled();
    const report = await storage.check();
    expect(report.problems).toEqual([]);
    expect(report.sound).toBe(true);
    expect(report.objects).toBe(21); // 20 messages and one page
    expect(report.unreferencedFiles).toBe(0);
  });

  it('names the object a flipped byte damaged, and the snapshot that needs it', async () => {
    const { storage, refs, pack, path } = await filled();
    await flipByte(path(pack), 40);
    const report = await storage.check();
    expect(report.sound).toBe(false);
    expect(report.problems).toContainEqual({ file: pack, object: refs[0]!.id, problem: 'fails authentication' });
    expect(report.problems.filter((p) => p.file === pack)).toHaveLength(1);
    expect(report.problems).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/^snapshots\//), object: refs[0]!.id, problem: 'needs this object, which is damaged' }));
    // Reading it says so too, rather than returning wrong bytes.
    await expect(new Promise((resolve, reject) => storage.readContent(refs[0]!).on('data', resolve).on('error', reject))).rejects.toMatchObject({ code: 'damaged' });
  });

  it('names each object of a pack cut in half, and the pack', async () => {
    const { storage, refs, pack, path } = await filled();
    await truncate(path(pack), Math.floor((await stat(path(pack))).size / 2));
    const report = await storage.check();
    expect(report.sound).toBe(false);
    expect(report.problems).toContainEqual({ file: pack, problem: expect.stringContaining('truncated') });
    const truncated = report.problems.filter((p) => p.file === pack && p.problem === 'is truncated').map((p) => p.object);
    expect(truncated.length).toBeGreaterThan(5);
    const ids = new Set([...refs.map((r) => r.id)]);
    for (const id of truncated) expect(ids.has(id!) || /^[0-9a-f]{64}$/.test(id!)).toBe(true);
    expect(truncated).not.toContain(refs[0]!.id);
  });

  it('names a missing pack, and objects no index names', async () => {
    const { storage, refs, pack, path, dir, masterKey } = await filled();
    await rm(path(pack));
    let report = await storage.check();
    expect(report.problems).toContainEqual({ file: pack, problem: 'is missing (the index names 21 objects in it)' });
    // The snapshot's page of items was in that pack: it is named (its items cannot be reached to be named).
    expect(report.problems).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/^snapshots\//), object: expect.stringMatching(/^[0-9a-f]{64}$/), problem: 'needs this object, which is damaged' }));
    await expect(storage.browse('alice@contoso.com/Inbox')).rejects.toMatchObject({ code: 'damaged' });
    expect(refs).toHaveLength(20);

    for (const name of await readdir(join(dir, 'index'))) await rm(join(dir, 'index', name));
    report = await (await openStorage(dir, masterKey)).check();
    expect(report.sound).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ object: expect.stringMatching(/^[0-9a-f]{64}$/), problem: 'needs this object, which no index names (missing)' }));
  });

  it('names a damaged snapshot file and a damaged index file', async () => {
    const { storage, files, path } = await filled();
    const snapshot = files.find((f) => f.startsWith('snapshots/'))!;
    const index = files.find((f) => f.startsWith('index/'))!;
    await flipByte(path(snapshot), 30);
    await flipByte(path(index), 30);
    const report = await storage.check();
    expect(report.problems).toContainEqual({ file: snapshot, problem: `${snapshot} fails authentication (damaged, or not of this storage)` });
    expect(report.problems).toContainEqual({ file: index, problem: `${index} fails authentication (damaged, or not of this storage)` });
  });
});

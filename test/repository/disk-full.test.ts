/**
 * A full disk (ENOSPC) at each step of a cycle, injected through the storage's file-system seam
 * (no tmpfs here): the session fails with one line, and the storage stays as last committed.
 */
import type { FileHandle } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Secret } from '../../src/domain/index.js';
import { openStorage } from '../../src/repository/index.js';
import type { StorageFs, SyncTarget } from '../../src/repository/files.js';
import { nodeStorageFs } from '../../src/repository/files.js';
import { ALICE, mime, newStorage, readContent } from './helpers/storage.js';

type Fault = { readonly op: 'write'; readonly file: RegExp; readonly after: number } | { readonly op: 'sync'; readonly target: SyncTarget };

function enospc(syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: 'ENOSPC', errno: -28, syscall });
}

/** node:fs, except that the chosen operation fails with ENOSPC (every time, as a full disk does). */
function fullDisk(fault: Fault): StorageFs {
  const paths = new WeakMap<FileHandle, string>();
  let writes = 0;
  return {
    ...nodeStorageFs,
    async open(path, flags, mode) {
      const handle = await nodeStorageFs.open(path, flags, mode);
      paths.set(handle, path);
      return handle;
    },
    async write(handle, data, position) {
      if (fault.op === 'write' && fault.file.test(paths.get(handle) ?? '') && ++writes > fault.after) throw enospc('write');
      return nodeStorageFs.write(handle, data, position);
    },
    async sync(handle, target) {
      if (fault.op === 'sync' && fault.target === target) throw enospc('fsync');
      return nodeStorageFs.sync(handle, target);
    },
  };
}

const MESSAGE = /^cannot write to storage Main: disk full \(ENOSPC\); nothing since the last commit was saved, and what was committed is intact$/;

async function cycle(dir: string, key: Secret, first: number, count: number, fs?: StorageFs): Promise<void> {
  const storage = await openStorage(dir, key, fs ? { fs } : {});
  const session = await storage.beginWrite({ what: 'test' });
  try {
    const builder = await session.snapshot(ALICE);
    builder.setFolder({ id: 'inbox', parentId: null, name: 'Inbox' });
    for (let i = first; i < first + count; i++) {
      const { ref } = await session.putContent(mime(i));
      await builder.putItem('inbox', { id: `m${i}`, name: `m${i}`, date: '2026-01-01T00:00:00.000Z', kind: 'message', content: ref });
    }
    builder.setCursor('inbox', `delta-${first + count}`);
    await builder.commit();
  } finally {
    await session.close();
  }
}

const FAULTS: Record<string, Fault> = {
  'appending to a pack': { op: 'write', file: /\.pack$/, after: 3 },
  'syncing a pack': { op: 'sync', target: 'pack' },
  'writing the index': { op: 'write', file: /\.index$/, after: 0 },
  'syncing the index': { op: 'sync', target: 'index' },
  'writing the snapshot': { op: 'write', file: /\.snapshot$/, after: 0 },
  'syncing the snapshot': { op: 'sync', target: 'snapshot' },
};

describe('disk full', () => {
  for (const [step, fault] of Object.entries(FAULTS)) {
    it(`fails the cycle in one line when ${step}, and leaves the storage as committed`, async () => {
      const { dir, masterKey, storage } = await newStorage();
      await cycle(dir, masterKey, 0, 5);

      const failure = await cycle(dir, masterKey, 5, 20, fullDisk(fault)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toMatchObject({ code: 'io' });
      expect((failure as Error).message).toMatch(MESSAGE);

      // Intact: sound, the last committed snapshot is the latest, no temp or lock left behind.
      expect((await storage.check()).problems).toEqual([]);
      const reader = (await storage.latest(ALICE.key))!;
      expect(reader.cursor('inbox')).toBe('delta-5');
      expect((await storage.browse('alice@contoso.com/Inbox')).entries.map((e) => e.id).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(await readContent(storage, (await reader.getItem('inbox', 'm3'))!.content)).toEqual(mime(3));
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
      expect(await readdir(join(dir, 'locks'))).toEqual([]);

      // Space again: the next cycle completes.
      await cycle(dir, masterKey, 5, 20);
      expect((await storage.browse('alice@contoso.com/Inbox')).entries).toHaveLength(25);
      expect((await storage.check()).sound).toBe(true);
    });
  }

  it('keeps failing the session once it failed, and says so the same way', async () => {
    const { dir, masterKey } = await newStorage();
    const storage = await openStorage(dir, masterKey, { fs: fullDisk({ op: 'write', file: /\.pack$/, after: 0 }) });
    const session = await storage.beginWrite({ what: 'test' });
    await expect(session.putContent(mime(1))).rejects.toThrow(MESSAGE);
    await expect(session.flush()).rejects.toThrow(MESSAGE);
    await expect(session.putContent(mime(2))).rejects.toThrow(MESSAGE);
    await session.close();
  });
});

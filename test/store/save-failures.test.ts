import { spawn } from 'node:child_process';
import { chmod, chown, link, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import type { SaveStep } from './helpers/faults.js';
import { faultyFs } from './helpers/faults.js';
import { runWriter } from './helpers/children.js';
import { isTempName, listDir, modeOf, sha256, tempDir, v1StoreDir } from './helpers/tmp.js';

const ROOT = process.getuid?.() === 0;

function toggleMute(store: Store): Promise<void> {
  return store.update((draft) => {
    const muted = draft.notifications.muted.includes('job-failed');
    draft.notifications.muted = muted ? [] : ['job-failed'];
    return { change: { action: muted ? 'alerts.unmute' : 'alerts.mute', fields: ['notifications.muted'] }, result: undefined };
  });
}

const steps: Array<{ step: SaveStep; code: string; says: string }> = [
  { step: 'open-temp', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'write', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'fsync', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'backup-link', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'rename', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'dir-fsync', code: 'ENOSPC', says: 'disk full (ENOSPC)' },
  { step: 'rename', code: 'EIO', says: 'input/output error (EIO)' },
  { step: 'fsync', code: 'EIO', says: 'input/output error (EIO)' },
  { step: 'open-temp', code: 'EROFS', says: 'read-only file system (EROFS)' },
];

describe('a save that fails part-way leaves the previous version exactly as it was', () => {
  for (const { step, code, says } of steps) {
    it(`${code} at ${step}`, async () => {
      const { dir, path } = await v1StoreDir();
      const faults = faultyFs();
      const store = await openStore({ path, fs: faults.fs });
      await toggleMute(store); // a normal save first: the last-good backup exists now
      const before = { bytes: await sha256(path), revision: store.current().revision, backup: await sha256(`${path}.bak`) };
      const audit = await readFile(`${path}.audit.log`, 'utf8');

      faults.fail(step, code);
      const error = await toggleMute(store).catch((e: unknown) => e);
      expect(faults.fired).toBe(1); // fsync is never retried
      expect(error).toMatchObject({ code: 'write-failed', path });
      expect((error as Error).message).toBe(`cannot save ${path}: ${says}; the previous version is intact`);
      expect(await sha256(path)).toBe(before.bytes);
      expect(store.current().revision).toBe(before.revision);
      expect((await listDir(dir)).filter(isTempName)).toEqual([]);
      expect(await readFile(`${path}.audit.log`, 'utf8')).toBe(audit);

      faults.clear();
      await toggleMute(store);
      expect(store.current().revision).toBe(before.revision + 1);
      expect(JSON.parse(await readFile(path, 'utf8')).revision).toBe(before.revision + 1);
      // The backup is the version the successful save replaced.
      expect(await sha256(`${path}.bak`)).toBe(before.bytes);
      await store.close();
    });
  }

  it('fsync is attempted exactly once per save and the order is write → fsync → backup → rename → directory fsync', async () => {
    const { path } = await v1StoreDir();
    const faults = faultyFs();
    const calls: string[] = [];
    const traced = {
      ...faults.fs,
      write: async (...args: Parameters<typeof faults.fs.write>) => (calls.push('write'), faults.fs.write(...args)),
      sync: async (...args: Parameters<typeof faults.fs.sync>) => (calls.push(`sync:${args[1]}`), faults.fs.sync(...args)),
      link: async (...args: Parameters<typeof faults.fs.link>) => (calls.push('link'), faults.fs.link(...args)),
      rename: async (...args: Parameters<typeof faults.fs.rename>) => (calls.push(`rename:${args[1].endsWith('.bak') ? 'backup' : 'store'}`), faults.fs.rename(...args)),
    };
    const store = await openStore({ path, fs: traced });
    calls.length = 0;
    await toggleMute(store);
    expect(calls).toEqual(['write', 'sync:file', 'link', 'rename:backup', 'rename:store', 'sync:directory', 'write', 'sync:audit']);
    await store.close();
  });

  it('EROFS when opening for writing: the store opens read-only with the reason, and saves are refused', async () => {
    const { path } = await v1StoreDir();
    const first = await openStore({ path });
    await first.close();
    const before = await sha256(path);
    const faults = faultyFs();
    faults.fail('open-rw', 'EROFS');
    const store = await openStore({ path, fs: faults.fs });
    expect(store.readOnly).toBe(true);
    expect(store.readOnlyReason).toBe(`the file system holding ${path} is read-only (EROFS)`);
    expect(store.current().connections).toHaveLength(6);
    const error = await toggleMute(store).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'read-only' });
    expect((error as Error).message).toContain('read-only (EROFS)');
    expect(await sha256(path)).toBe(before);
    await store.close();
  });

  it('removes temp files left by killed processes on the next save, but not a live writer’s fresh one', async () => {
    const { dir, path } = await v1StoreDir();
    const store = await openStore({ path });
    const dead = join(dir, '.store.json.999999.0123456789ab.tmp');
    const deadBackup = join(dir, '.store.json.bak.999998.0123456789ab.tmp');
    const live = join(dir, `.store.json.${process.ppid}.0123456789ab.tmp`);
    // A pid that was reused: alive, but the process started after the temp was written.
    const newcomer = spawn('sleep', ['30']);
    const reused = join(dir, `.store.json.${newcomer.pid}.0123456789ab.tmp`);
    await writeFile(dead, 'partial', { mode: 0o644 });
    await link(path, deadBackup);
    await writeFile(live, 'in flight', { mode: 0o600 });
    await writeFile(reused, 'old', { mode: 0o600 });
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    await utimes(reused, fiveMinutesAgo, fiveMinutesAgo);
    try {
      await toggleMute(store);
    } finally {
      newcomer.kill('SIGKILL');
    }
    expect((await listDir(dir)).filter(isTempName)).toEqual([`.store.json.${process.ppid}.0123456789ab.tmp`]);
    await store.close();
  });

  it('leaves no extra link behind when the backup already is the current file (a save killed between its two renames)', async () => {
    const { dir, path } = await v1StoreDir();
    const store = await openStore({ path });
    await toggleMute(store);
    await rm(`${path}.bak`);
    await link(path, `${path}.bak`);
    const current = await sha256(path);
    await toggleMute(store);
    expect(await listDir(dir)).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak', 'store.json.key', 'store.json.v1.bak']);
    expect(await sha256(`${path}.bak`)).toBe(current);
    await store.close();
  });

  it('keeps every file 0600 and a new directory 0700 even with umask 000', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nested', 'deeper', 'store.json');
    const previous = process.umask(0o000);
    try {
      const store = await openStore({ path });
      await store.update((draft, tools) => {
        draft.connections.push({
          id: 'c-1', displayName: 'ex01', created: '2020-01-01T00:00:00Z', service: 'exchange', location: 'onpremises', server: 'ex01',
          credential: { kind: 'basic', userName: 'svc', password: tools.seal('s3cret!', { record: 'connection', id: 'c-1', field: 'credential.password' }) },
        });
        return { change: { action: 'connection.create' }, result: undefined };
      });
      await toggleMute(store);
      await store.close();
    } finally {
      process.umask(previous);
    }
    expect(await modeOf(join(dir, 'nested'))).toBe(0o700);
    expect(await modeOf(join(dir, 'nested', 'deeper'))).toBe(0o700);
    const names = await listDir(join(dir, 'nested', 'deeper'));
    expect(names).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak', 'store.json.key']);
    for (const name of names) expect(await modeOf(join(dir, 'nested', 'deeper', name)), name).toBe(0o600);
  });

  it('tightens a store file that someone made world-readable', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    await chmod(path, 0o644);
    await toggleMute(store);
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(`${path}.bak`)).toBe(0o600);
    await store.close();
  });

  it.skipIf(!ROOT)('as root, a store that belongs to another user stays theirs', async () => {
    const { dir, path } = await v1StoreDir();
    const first = await openStore({ path });
    await first.close();
    await chmod(dir, 0o755);
    for (const name of await listDir(dir)) await chown(join(dir, name), 65534, 65534);
    const store = await openStore({ path });
    await toggleMute(store);
    await store.close();
    const after = await stat(path);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o777 }).toEqual({ uid: 65534, gid: 65534, mode: 0o600 });
  });

  it.skipIf(!ROOT)('a user without write permission gets a read-only store with the reason', async () => {
    const { dir, path } = await v1StoreDir();
    const first = await openStore({ path });
    await first.close();
    await chmod(dir, 0o755);
    await chmod(path, 0o644);
    const before = await sha256(path);
    const result = await runWriter<{ ok: boolean; readOnly: boolean; reason: string; update: { code: string; message: string } }>(['open', path], { uid: 65534, gid: 65534 });
    expect(result).toMatchObject({ ok: true, readOnly: true, update: { code: 'read-only' } });
    expect(result.reason).toMatch(/has no permission to write .*store\.json \(EACCES\)/);
    expect(result.update.message).toContain('is open read-only');
    expect(await sha256(path)).toBe(before);
  });

  it.skipIf(!ROOT)('a version-1 store the user cannot write is migrated in memory only', async () => {
    const { dir, path } = await v1StoreDir();
    await chmod(dir, 0o755);
    await chmod(path, 0o644);
    const before = await sha256(path);
    const result = await runWriter<{ ok: boolean; readOnly: boolean; connections: number }>(['open', path], { uid: 65534, gid: 65534 });
    expect(result).toMatchObject({ ok: true, readOnly: true, connections: 6 });
    expect(await listDir(dir)).toEqual(['store.json']);
    expect(await sha256(path)).toBe(before);
  });
});

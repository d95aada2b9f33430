import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openStore, StoreError, storeFiles } from '../../src/store/index.js';
import { adapterFor, releaseAdapter } from '../../src/store/adapter.js';
import { nodeFs } from '../../src/store/fs-facade.js';
import { acquireStoreLock, DEFAULT_LOCK_TIMING } from '../../src/store/lock.js';
import { DEFAULT_SCRYPT_COST } from '../../src/store/passphrase.js';
import { runWriter, startWriter, writerBundle } from './helpers/children.js';
import { listDir, sha256, v1StoreDir } from './helpers/tmp.js';

beforeAll(async () => {
  await writerBundle();
});

async function auditCount(path: string): Promise<number> {
  return (await readFile(`${path}.audit.log`, 'utf8')).trim().split('\n').length;
}

async function fileRevision(path: string): Promise<number> {
  return (JSON.parse(await readFile(path, 'utf8')) as { revision: number }).revision;
}

function muteEdit(category: string) {
  return (draft: Parameters<Parameters<Store['update']>[0]>[0]) => {
    draft.notifications.muted = [...draft.notifications.muted, category];
    return { change: { action: 'alerts.mute', fields: ['notifications.muted'] }, result: draft.revision };
  };
}

/** Starts writers, waits until each has its store open, then lets them all go at once. */
async function together(argvs: readonly (readonly string[])[]): Promise<Array<{ lost: number }>> {
  const children = await Promise.all(argvs.map((argv) => startWriter(argv)));
  for (const child of children) expect(await child.firstLine).toBe('"ready"');
  for (const child of children) child.process.stdin?.end('go\n');
  return Promise.all(
    children.map(async (child) => {
      const { code, stdout, stderr } = await child.done;
      if (code !== 0) throw new Error(`writer exited with ${code}: ${stderr}`);
      return JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as { lost: number };
    }),
  );
}

describe('optimistic concurrency', () => {
  it('refuses an edit based on an older revision, naming who saved since; the file keeps the other change', async () => {
    const { path } = await v1StoreDir();
    const a = await openStore({ path });
    const seen = a.current().revision;
    // B is another process, as a second admin over SSH would be.
    const b = await runWriter<{ revision: number }>(['mute', path, 'connection-failed']);
    expect(b.revision).toBe(seen + 1);
    const afterB = await sha256(path);

    const error = await a.update(muteEdit('job-failed'), { expectRevision: seen }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'conflict' });
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toMatch(new RegExp(`was changed by \\S+@${hostname()} \\(pid \\d+\\) at \\d{4}-\\d\\d-\\d\\dT[^ ]+ after you loaded it \\(revision ${seen}, now ${seen + 1}\\)`));
    expect(await sha256(path)).toBe(afterB);
    expect(JSON.parse(await readFile(path, 'utf8')).notifications.muted).toEqual(['connection-failed']);
    // The refused session now shows the latest data.
    expect(a.current().revision).toBe(seen + 1);
    await a.close();
  });

  it('without expectRevision a self-contained edit is re-applied to the latest data (nothing lost)', async () => {
    const { path } = await v1StoreDir();
    const a = await openStore({ path });
    await runWriter(['mute', path, 'connection-failed']);
    await a.update(muteEdit('job-failed'));
    expect(a.current().notifications.muted).toEqual(['connection-failed', 'job-failed']);
    await a.close();
  });

  it('keeps exactly one adapter per store file per process', () => {
    const settings = { fs: nodeFs, maxBytes: 1024, timing: DEFAULT_LOCK_TIMING, locker: acquireStoreLock, passphraseFile: undefined, scryptCost: DEFAULT_SCRYPT_COST };
    const files = storeFiles('/tmp/one-adapter/store.json');
    const a = adapterFor(files, settings);
    const b = adapterFor(storeFiles('/tmp/one-adapter/../one-adapter/store.json'), settings);
    expect(b).toBe(a);
    releaseAdapter(a);
    expect(adapterFor(files, settings)).toBe(a); // still in use by b
    releaseAdapter(a);
    releaseAdapter(b);
    const c = adapterFor(files, settings);
    expect(c).not.toBe(a);
    releaseAdapter(c);
  });

  it('two Store instances in one process share one adapter and queue: 100 concurrent saves, none lost', async () => {
    const { path } = await v1StoreDir();
    const a = await openStore({ path });
    const b = await openStore({ path });
    const start = a.current().revision;
    const edit = (n: number) => (draft: Parameters<Parameters<Store['update']>[0]>[0]) => {
      (draft as Record<string, unknown>)[`counter${n % 2}`] = ((draft as Record<string, unknown>)[`counter${n % 2}`] as number | undefined ?? 0) + 1;
      return { change: { action: 'test.count' }, result: undefined };
    };
    await Promise.all(Array.from({ length: 100 }, (_, n) => (n % 2 ? a : b).update(edit(n))));
    const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
    expect(saved.revision).toBe(start + 100);
    expect(saved.counter0 + saved.counter1).toBe(100);
    await a.close();
    await b.close();
  });
});

describe('two processes saving at once', () => {
  it('200 mute/unmute cycles each: exactly 800 revisions, 800 audit lines, and a poller never sees an invalid file', async () => {
    const { path } = await v1StoreDir();
    const first = await openStore({ path });
    await first.close();
    const startRevision = await fileRevision(path);
    const startAudit = await auditCount(path);

    const watcher = await startWriter(['watch', path]);
    expect(await watcher.firstLine).toBe('"ready"');
    const results = await together([
      ['cycles', path, '200', 'job-failed'],
      ['cycles', path, '200', 'connection-failed'],
    ]);
    watcher.process.stdin?.end();
    const watched = await watcher.done;
    const seen = JSON.parse(watched.stdout.trim().split('\n').pop() ?? '{}') as { reads: number; invalid: number; notifications: number; maxRevision: number; lastSeen: number };

    expect(results).toEqual([{ lost: 0 }, { lost: 0 }]);
    expect(await fileRevision(path)).toBe(startRevision + 800);
    expect(await auditCount(path)).toBe(startAudit + 800);
    expect(JSON.parse(await readFile(path, 'utf8')).notifications.muted).toEqual([]);
    // How many reads fell between the saves depends on the machine; none may see a broken file.
    expect(seen.invalid).toBe(0);
    expect(seen.reads).toBeGreaterThan(0);
    expect(seen.maxRevision).toBe(startRevision + 800);
    expect(seen.lastSeen).toBe(startRevision + 800);
    expect(seen.notifications).toBeGreaterThan(0);
    expect((await listDir(join(path, '..'))).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('mutation check: the same run without the lock loses updates', async () => {
    const { path } = await v1StoreDir();
    const first = await openStore({ path });
    await first.close();
    const startRevision = await fileRevision(path);
    const startAudit = await auditCount(path);
    await together([
      ['cycles', path, '200', 'job-failed', 'nolock'],
      ['cycles', path, '200', 'connection-failed', 'nolock'],
    ]);
    const revisions = (await fileRevision(path)) - startRevision;
    const audited = (await auditCount(path)) - startAudit;
    // Each process believed its saves committed (one audit line each), but two of them started
    // from the same revision again and again, so the file shows fewer changes than were made.
    expect(revisions).toBeLessThan(audited);
  });
});

describe('the inter-process lock', () => {
  it('names the live holder when it does not let go in time', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path, lockTiming: { waitMs: 300 } });
    const holder = await startWriter(['hold-lock', path]);
    expect(await holder.firstLine).toBe('"ready"');
    const before = await sha256(path);
    const error = await store.update(muteEdit('job-failed')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'locked' });
    expect((error as Error).message).toMatch(new RegExp(`${path} is being saved by another backup-panel session \\(\\S+@${hostname()}, pid ${holder.process.pid}, since .*\\); nothing was saved`));
    expect(await sha256(path)).toBe(before);

    // Killed without a chance to clean up: the lock is taken over at once, not after the stale timeout.
    holder.process.kill('SIGKILL');
    await holder.done;
    const started = Date.now();
    await store.update(muteEdit('job-failed'));
    expect(Date.now() - started).toBeLessThan(2_000);
    await store.close();
  });

  it('takes over a lock whose holder vanished before writing its name, after a short grace period', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path, lockTiming: { waitMs: 8_000 } });
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, old, old);
    await store.update(muteEdit('job-failed'));
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.close();
  });

  it('a lost lock fails the save with a clear error instead of crashing the process', async () => {
    const { path } = await v1StoreDir();
    const files = storeFiles(path);
    const lock = await acquireStoreLock(files, { staleMs: 2_000, waitMs: 100 });
    await lock.assertHeld();
    // Someone removes the lock by hand: proper-lockfile's refresh notices (ECOMPROMISED), which by
    // default would throw from a timer and kill the process.
    await rm(files.lock, { recursive: true });
    await expect(lock.assertHeld()).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining(`lost the lock on ${path}`) });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await expect(lock.assertHeld()).rejects.toMatchObject({ code: 'locked' });
    await lock.release();

    // A save whose lock is lost before the commit point writes nothing.
    await (await openStore({ path })).close(); // migrate first, with a working lock
    const before = await sha256(path);
    const store = await openStore({
      path,
      locker: async (f, timing) => {
        const held = await acquireStoreLock(f, timing);
        await rm(f.lock, { recursive: true });
        return held;
      },
    });
    await expect(store.update(muteEdit('job-failed'))).rejects.toMatchObject({ code: 'locked' });
    expect(await sha256(path)).toBe(before);
    await store.close();
  });

  it('a lock left by a dead process on this host is broken immediately', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path, lockTiming: { waitMs: 200 } });
    await mkdir(`${path}.lock`);
    await writeFile(join(`${path}.lock`, 'owner'), JSON.stringify({ pid: 999_999, host: hostname(), user: 'ghost', since: new Date().toISOString(), token: 'dead' }));
    await store.update(muteEdit('job-failed'));
    expect(store.current().notifications.muted).toContain('job-failed');

    // Its pid reused by a process that started after the lock was taken: still recognised as gone.
    const newcomer = spawn('sleep', ['30']);
    try {
      await mkdir(`${path}.lock`);
      const since = new Date(Date.now() - 60_000).toISOString();
      await writeFile(join(`${path}.lock`, 'owner'), JSON.stringify({ pid: newcomer.pid, host: hostname(), user: 'ghost', since, token: 'reused' }));
      await store.update(muteEdit('connection-failed'));
    } finally {
      newcomer.kill('SIGKILL');
    }
    await store.close();
  });
});

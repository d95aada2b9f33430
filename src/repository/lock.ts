/**
 * Storage locks (DESIGN.md, "Locks"): one file per holder in `locks/`, so readers can share and a
 * dead holder's file can be removed without touching anyone else's.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { displayText } from '../domain/index.js';
import type { LockHolder } from './api.js';
import { StorageError } from './api.js';
import type { StorageFs } from './files.js';
import { ioError, listFiles, readWholeFile, unlinkQuietly, writeFileDurably } from './files.js';
import type { Layout } from './layout.js';
import { isProcessAlive } from './process.js';

/** `read`: check, restore; `write`: a cycle; `exclusive`: prune. */
export type LockMode = 'read' | 'write' | 'exclusive';

interface LockRecord extends LockHolder {
  readonly mode: LockMode;
  readonly token: string;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** Throws 'locked' when the lock file is gone (removed by hand, or the folder was replaced). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

const REFRESH_MS = 60_000;
/** A lock of another host (whose pid we cannot test) untouched this long is stale. */
const OTHER_HOST_STALE_MS = 30 * 60_000;
/** Two processes that lock at the same instant both see each other: they retry a few times. */
const RACE_WINDOW_MS = 1_000;
const ATTEMPTS = 8;

function conflicts(a: LockMode, b: LockMode): boolean {
  if (a === 'exclusive' || b === 'exclusive') return true;
  return a === 'write' && b === 'write';
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

export function describeHolder(holder: LockHolder): string {
  const who = displayText(`${holder.user}@${holder.host}`, { maxLength: 120 });
  return `${displayText(holder.what, { maxLength: 120 })} (pid ${holder.pid}, ${who}, since ${displayText(holder.since, { maxLength: 40 })})`;
}

async function readRecord(fs: StorageFs, path: string): Promise<LockRecord | undefined> {
  try {
    const record = JSON.parse((await readWholeFile(fs, path, 64 << 10)).toString('utf8')) as Partial<LockRecord>;
    if (typeof record.pid === 'number' && typeof record.host === 'string' && typeof record.token === 'string' && typeof record.mode === 'string') return record as LockRecord;
  } catch {
    // Unreadable or malformed: judged by age below.
  }
  return undefined;
}

async function isStale(fs: StorageFs, path: string, record: LockRecord | undefined): Promise<boolean> {
  if (record && record.host === hostname()) return record.pid !== process.pid && !isProcessAlive(record.pid, Date.parse(record.since));
  try {
    const age = Date.now() - (await fs.lstat(path)).mtimeMs;
    return age > (record ? OTHER_HOST_STALE_MS : RACE_WINDOW_MS);
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Takes a lock or fails at once with 'locked', naming the holder (a cycle does not queue behind another). */
export async function acquireLock(fs: StorageFs, layout: Layout, storageName: string, mode: LockMode, what: string): Promise<HeldLock> {
  const record: LockRecord = { pid: process.pid, host: hostname(), user: userName(), what, since: new Date().toISOString(), mode, token: randomBytes(8).toString('hex') };
  const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const path = join(layout.locks, name);
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFileDurably(fs, layout.tmp, layout.locks, name, Buffer.from(JSON.stringify(record)), 'lock');
    } catch (error) {
      throw ioError(`cannot lock storage ${storageName}`, error);
    }
    let conflict: LockRecord | undefined;
    let unknown = false;
    for (const other of await listFiles(fs, layout.locks)) {
      if (other === name) continue;
      const otherPath = join(layout.locks, other);
      const found = await readRecord(fs, otherPath);
      if (await isStale(fs, otherPath, found)) {
        await unlinkQuietly(fs, otherPath);
        continue;
      }
      if (!found) unknown = true;
      else if (conflicts(mode, found.mode)) conflict = found;
    }
    if (!conflict && !unknown) return held(fs, path, record, storageName);
    await unlinkQuietly(fs, path);
    const racing = unknown || (conflict && Date.now() - Date.parse(conflict.since) < RACE_WINDOW_MS);
    if (!racing || attempt >= ATTEMPTS) {
      const holder = conflict ? describeHolder(conflict) : 'another process';
      throw new StorageError('locked', `storage ${displayText(storageName, { maxLength: 120 })} is in use by ${holder}; try again when it ends`, conflict);
    }
    await sleep(5 + Math.random() * 20 * attempt);
  }
}

function held(fs: StorageFs, path: string, record: LockRecord, storageName: string): HeldLock {
  const refresh = setInterval(() => {
    fs.utimes(path, new Date()).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref();
  const { token: _token, mode: _mode, ...holder } = record;
  return {
    holder,
    async assertHeld() {
      const now = await readRecord(fs, path);
      if (now?.token !== record.token) {
        throw new StorageError('locked', `lost the lock on storage ${displayText(storageName, { maxLength: 120 })} (its lock file was removed); nothing more was committed`);
      }
    },
    async release() {
      clearInterval(refresh);
      await unlinkQuietly(fs, path);
    },
  };
}

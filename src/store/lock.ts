import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { displayText } from '../domain/index.js';
import { StoreError } from './api.js';
import { isProcessAlive } from '../fs/process-info.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { StoreFiles } from './paths.js';

export interface LockTiming {
  /** A lock whose holder stopped refreshing it for this long is taken over (proper-lockfile `stale`). */
  readonly staleMs: number;
  /** How long a save waits for another session's save before giving up with 'locked'. */
  readonly waitMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { staleMs: 10_000, waitMs: 5_000 };

export interface HeldLock {
  /** Throws 'locked' if the lock was lost (compromised, or broken by another process). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the inter-process lock of a store; replaceable so that a test can show what the lock prevents. */
export type Locker = (files: StoreFiles, timing: LockTiming) => Promise<HeldLock>;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly since: string;
  readonly token: string;
}

const OWNER_FILE = 'owner';
/** A lock directory without an owner file older than this was left by a process killed between two syscalls. */
const ORPHAN_AGE_MS = 2_000;

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** The lock directory itself, never a link to one (a link or file in its place is only ever removed, not followed). */
function isRealDirectory(path: string): boolean {
  try {
    return fs.lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readOwner(lockDir: string): LockOwner | undefined {
  if (!isRealDirectory(lockDir)) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(join(lockDir, OWNER_FILE), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > 4096) return undefined;
    const owner = JSON.parse(fs.readFileSync(fd, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string') return owner as LockOwner;
  } catch {
    // Missing (being created or removed) or damaged: treated as unknown.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return undefined;
}

function removeLockDir(lockDir: string): void {
  if (!isRealDirectory(lockDir)) {
    // Something else in the lock's place (a planted link or file): remove the name, follow nothing.
    fs.unlinkSync(lockDir);
    return;
  }
  try {
    fs.unlinkSync(join(lockDir, OWNER_FILE));
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  fs.rmdirSync(lockDir);
}

/**
 * The file-system functions proper-lockfile uses, with one addition: the lock directory holds a
 * small `owner` file (pid, host, user, token), so a waiter can name who holds the lock and can
 * take over at once from a holder that was SIGKILLed instead of waiting for the stale timeout.
 * mkdir and the owner write are synchronous and back to back, so the window without an owner
 * file is a few microseconds.
 */
function lockFs(owner: LockOwner): object {
  return {
    // lstat: the lock's own age, never that of what a planted link points to.
    stat: fs.lstat,
    utimes: fs.utimes,
    realpath: fs.realpath,
    mkdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void): void {
      let failure: NodeJS.ErrnoException | null = null;
      try {
        fs.mkdirSync(path, { mode: 0o700 });
        try {
          fs.writeFileSync(join(path, OWNER_FILE), JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
        } catch (error) {
          removeLockDir(path);
          throw error;
        }
      } catch (error) {
        failure = error as NodeJS.ErrnoException;
      }
      process.nextTick(callback, failure);
    },
    rmdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void): void {
      let failure: NodeJS.ErrnoException | null = null;
      try {
        removeLockDir(path);
      } catch (error) {
        failure = error as NodeJS.ErrnoException;
      }
      process.nextTick(callback, failure);
    },
    rmdirSync: removeLockDir,
  };
}

/** Removes a lock whose holder is gone; renames first so that only the lock we judged is removed. */
function breakLock(lockDir: string, judged: LockOwner | undefined): void {
  const trash = `${lockDir}.dead.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockDir, trash);
  } catch {
    return; // Someone else removed it first.
  }
  const found = readOwner(trash);
  if (found?.token !== judged?.token) {
    // A live process locked in between: give its lock back (its assertHeld catches the rare case
    // where that is no longer possible).
    try {
      fs.renameSync(trash, lockDir);
      return;
    } catch {
      // Fall through and clean up.
    }
  }
  try {
    removeLockDir(trash);
  } catch {
    // Best effort.
  }
}

function holderIsGone(lockDir: string, owner: LockOwner | undefined): boolean {
  if (owner) return owner.host === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid, Date.parse(owner.since));
  try {
    return Date.now() - fs.lstatSync(lockDir).mtimeMs > ORPHAN_AGE_MS;
  } catch {
    return false;
  }
}

function describeHolder(owner: LockOwner | undefined): string {
  if (!owner) return 'another backup-panel session';
  return `another backup-panel session (${displayText(`${owner.user}@${owner.host}`, { maxLength: 120 })}, pid ${owner.pid}, since ${displayText(owner.since, { maxLength: 40 })})`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * proper-lockfile (`mkdir <store>.lock`, refreshed mtime, stale after `staleMs`) with its own
 * retry loop: short randomised waits up to `waitMs`, breaking locks of dead holders on this host.
 * A compromised lock never throws asynchronously (that would kill the process); it makes the
 * save's assertHeld() fail instead.
 */
export const acquireStoreLock: Locker = async (files, timing) => {
  const owner: LockOwner = { pid: process.pid, host: hostname(), user: userName(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + timing.waitMs;
  let delay = 2;
  for (;;) {
    let compromised: Error | undefined;
    try {
      const release = await lockfile.lock(files.store, {
        lockfilePath: files.lock,
        realpath: false,
        stale: timing.staleMs,
        retries: 0,
        fs: lockFs(owner),
        onCompromised: (error) => {
          compromised = error;
        },
      });
      return {
        async assertHeld() {
          const current = readOwner(files.lock);
          if (compromised || current?.token !== owner.token) {
            const why = compromised ? `: ${describeIoError(compromised)}` : '';
            throw new StoreError('locked', `lost the lock on ${showPath(files.store)}${why}; nothing was saved — try again`, files.store);
          }
        },
        async release() {
          try {
            await release();
          } catch {
            // Already released, or taken over after being compromised: nothing left to undo.
          }
        },
      };
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED') {
        throw new StoreError('write-failed', `cannot lock ${showPath(files.store)} (${showPath(files.lock)}): ${describeIoError(error)}; nothing was saved`, files.store);
      }
      const holder = readOwner(files.lock);
      if (holderIsGone(files.lock, holder)) {
        breakLock(files.lock, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new StoreError('locked', `${showPath(files.store)} is being saved by ${describeHolder(holder)}; nothing was saved — try again in a moment`, files.store);
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
  }
};

/** For tests that show what goes wrong without the lock. Never use it for real data. */
export const noLock: Locker = async () => ({
  async assertHeld() {},
  async release() {},
});

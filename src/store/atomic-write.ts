import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './api.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly, syncDirectory, unlinkQuietly } from './fs-facade.js';
import { describeIoError, showPath } from '../fs/io-errors.js';
import { isProcessAlive } from '../fs/process-info.js';
import type { FileOwner } from './key-file.js';
import { chownIfRoot } from './key-file.js';
import type { Fingerprint } from './read-file.js';
import { openBeside } from './safe-files.js';

/** Temp files are `.<base>.<pid>.<random>.tmp` (the new version) or `.<base>.<purpose>.<pid>.<random>.tmp`. */
export function tempPath(dir: string, base: string, purpose?: 'bak' | 'rb' | 'key' | 'v1bak'): string {
  return join(dir, `.${base}.${purpose ? `${purpose}.` : ''}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const STALE_TEMP_AGE_MS = 10 * 60 * 1000;

/**
 * Removes temp files that processes killed mid-save left behind. Runs under the store lock, when
 * no other writer can be between creating a temp and renaming it; a temp whose pid is alive (and
 * not a newer process that reused the pid) is only removed when it is old: a pid from another
 * host, or a writer that lost its lock.
 */
export async function removeStaleTemps(fs: FsFacade, dir: string, base: string): Promise<number> {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.(?:(?:bak|rb|key|v1bak)\\.)?(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const pid = Number(match[1]);
    const stat = await fs.lstat(path).catch(() => undefined);
    if (!stat) continue;
    const stale = pid === process.pid || !isProcessAlive(pid, stat.mtimeMs) || Date.now() - stat.mtimeMs > STALE_TEMP_AGE_MS;
    if (stale) {
      await unlinkQuietly(fs, path);
      removed++;
    }
  }
  return removed;
}

export interface ReplaceOptions {
  /**
   * Keep the version being replaced as this last-good backup (a hard link, so O(1) and atomic).
   * Only for a file known to be a valid current-version document; also what a failed directory
   * fsync rolls back to.
   */
  readonly backupPath?: string;
  /**
   * The bytes of the version being replaced. The backup is a hard link only when that file is
   * private (0600) and has no other name; otherwise it is written from these bytes into a new
   * 0600 file, since we never chmod a file we did not create.
   */
  readonly previousBytes?: Uint8Array;
  /** As root, give the new file to the existing file's owner. */
  readonly owner?: FileOwner;
  /** Says what failed in messages: "cannot save <label>". */
  readonly label?: string;
}

/**
 * The durable replace: unique 0600 temp (wx), write, fsync, close; optional hard-link backup of
 * the current file; rename over the target; fsync the directory. On any failure the temp is
 * removed, fsync is never retried, and the error names the path and says the old version is
 * intact (a failed directory fsync is rolled back to the backup first, so that holds there too).
 */
export async function replaceFile(fs: FsFacade, path: string, dir: string, base: string, bytes: Uint8Array, options: ReplaceOptions = {}): Promise<Fingerprint> {
  const temp = tempPath(dir, base);
  const label = options.label ?? path;
  let handle: FileHandle | undefined;
  let backupTemp: string | undefined;
  let renamed = false;
  try {
    // Exclusive (never an existing file or a planted link), exactly 0600 whatever the umask.
    handle = (await openBeside(fs, temp, { access: 'write', create: 'new' })).handle;
    await chownIfRoot(fs, handle, options.owner);
    await fs.write(handle, bytes);
    const stat = await fs.fstat(handle);
    await fs.sync(handle, 'file');
    await fs.close(handle);
    handle = undefined;

    if (options.backupPath) {
      backupTemp = tempPath(dir, base, 'bak');
      await fs.link(path, backupTemp);
      const old = await fs.lstat(backupTemp);
      if ((old.mode & 0o7777) !== 0o600 || old.nlink !== 2) {
        await fs.unlink(backupTemp);
        if (!options.previousBytes) throw new StoreError('write-failed', `cannot keep a backup of ${showPath(label)}: it is not private (0600); nothing was saved`, path);
        await writeNewFile(fs, backupTemp, options.previousBytes, options.owner);
      }
      await fs.rename(backupTemp, options.backupPath);
      // rename() between two links of one inode succeeds without doing anything (POSIX), which
      // happens when a killed save had already made the current file the backup: drop the extra link.
      await unlinkQuietly(fs, backupTemp);
      backupTemp = undefined;
    }

    await fs.rename(temp, path);
    renamed = true;
    try {
      await syncDirectory(fs, dir);
    } catch (error) {
      // Not durable, so not a success: put the previous version back rather than leave a file
      // that other sessions can see but we report as unsaved.
      await rollBack(fs, path, dir, base, options.backupPath, error);
      throw error;
    }
    return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    await closeQuietly(fs, handle);
    if (!renamed) await unlinkQuietly(fs, temp);
    if (backupTemp) await unlinkQuietly(fs, backupTemp);
    if (error instanceof StoreError) throw error;
    throw new StoreError('write-failed', `cannot save ${showPath(label)}: ${describeIoError(error)}; the previous version is intact`, path);
  }
}

/** A new private file with these bytes, durable before it is used. */
async function writeNewFile(fs: FsFacade, path: string, bytes: Uint8Array, owner: FileOwner | undefined): Promise<void> {
  const { handle } = await openBeside(fs, path, { access: 'write', create: 'new' });
  try {
    await chownIfRoot(fs, handle, owner);
    await fs.write(handle, bytes);
    await fs.sync(handle, 'file');
  } finally {
    await closeQuietly(fs, handle);
  }
}

async function rollBack(fs: FsFacade, path: string, dir: string, base: string, backupPath: string | undefined, cause: unknown): Promise<void> {
  const why = describeIoError(cause);
  if (!backupPath) {
    throw new StoreError('write-failed', `cannot save ${showPath(path)}: ${why} while syncing the directory; the new version is in place but may not survive a crash`, path);
  }
  const temp = tempPath(dir, base, 'rb');
  try {
    await fs.link(backupPath, temp);
    await fs.rename(temp, path);
    await unlinkQuietly(fs, temp); // see the note on rename() between links of one inode above
  } catch {
    await unlinkQuietly(fs, temp);
    throw new StoreError('write-failed', `cannot save ${showPath(path)}: ${why} while syncing the directory, and the previous version could not be put back; check the disk, then reopen`, path);
  }
}

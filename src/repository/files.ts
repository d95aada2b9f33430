/**
 * Every file operation on a storage folder, behind one replaceable object (the seam through which
 * tests inject ENOSPC or EIO at a chosen step), and the few recipes built on it: open without
 * following links, durable write (temp → fsync → rename → fsync folder), safe folder checks.
 *
 * Opening files and judging folders is the shared `src/fs/` module's (no link followed, our files
 * only, no folder others can write); this file adapts it to the seam.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileOpener } from '../fs/index.js';
import { UnsafePathError, checkFolder, openDirectory, openFile } from '../fs/index.js';
import { StorageError } from './api.js';
import { describeIoError, errorCode, showPath } from './io-words.js';

/** What an fsync is for, so a test can fail exactly one step. */
export type SyncTarget = 'pack' | 'index' | 'snapshot' | 'config' | 'lock' | 'folder';

export interface StorageFs {
  open(path: string, flags: number, mode?: number): Promise<FileHandle>;
  /** Writes all of `data` (or its parts, in order) at `position` (loops over partial writes). */
  write(handle: FileHandle, data: Uint8Array | readonly Uint8Array[], position: number): Promise<void>;
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; returns how many. */
  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  fstat(handle: FileHandle): Promise<Stats>;
  sync(handle: FileHandle, target: SyncTarget): Promise<void>;
  close(handle: FileHandle): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<Dirent[]>;
  lstat(path: string): Promise<Stats>;
  utimes(path: string, time: Date): Promise<void>;
}

export const nodeStorageFs: StorageFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  async write(handle, data, position) {
    if (Array.isArray(data)) {
      // One writev for a sealed object's parts: no copy into one buffer first.
      const parts = data as readonly Uint8Array[];
      const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
      const { bytesWritten } = await handle.writev(parts as Uint8Array[], position);
      if (bytesWritten === total) return;
      return nodeStorageFs.write(handle, Buffer.concat(parts).subarray(bytesWritten), position + bytesWritten);
    }
    data = data as Uint8Array;
    let done = 0;
    while (done < data.byteLength) {
      const { bytesWritten } = await handle.write(data, done, data.byteLength - done, position + done);
      done += bytesWritten;
    }
  },
  read: async (handle, buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead,
  fstat: (handle) => handle.stat(),
  sync: (handle) => handle.sync(),
  close: (handle) => handle.close(),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  mkdir: async (path, mode) => {
    await fsp.mkdir(path, { mode });
  },
  rmdir: (path) => fsp.rmdir(path),
  readdir: (path) => fsp.readdir(path, { withFileTypes: true }),
  lstat: (path) => fsp.lstat(path),
  utimes: (path, time) => fsp.utimes(path, time, time),
};

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = constants;
export const READ = O_RDONLY;
export const CREATE = O_WRONLY | O_CREAT | O_EXCL;

function opener(fs: StorageFs): FileOpener {
  return { open: (path, flags, mode) => fs.open(path, flags, mode), fstat: (h) => fs.fstat(h), fchmod: (h, mode) => h.chmod(mode), close: (h) => fs.close(h) };
}

/**
 * Opens a file without following a link, refusing anything but a regular file of ours (src/fs);
 * CREATE makes a new one with exactly `mode`.
 */
export async function openNoFollow(fs: StorageFs, path: string, flags: number, mode = 0o600): Promise<FileHandle> {
  const creating = (flags & O_CREAT) !== 0;
  const opened = await openFile(path, creating ? { access: 'write', create: 'new', mode, opener: opener(fs) } : { access: 'read', opener: opener(fs) });
  return opened.handle;
}

export async function closeQuietly(fs: StorageFs, handle: FileHandle | undefined): Promise<void> {
  if (!handle) return;
  try {
    await fs.close(handle);
  } catch {
    // The error already being reported is the one that matters.
  }
}

export async function unlinkQuietly(fs: StorageFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Gone already, or nothing more we can do.
  }
}

/** Makes renames and creations in `dir` durable. */
export async function syncFolder(fs: StorageFs, dir: string): Promise<void> {
  const handle = await openDirectory(dir, opener(fs));
  try {
    await fs.sync(handle, 'folder');
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** A unique temp name: `<pid>-<random>.<purpose>`, so a later writer knows whose it was. */
export function tempName(purpose: string): string {
  return `${process.pid}-${randomBytes(8).toString('hex')}.${purpose}`;
}

/**
 * The durable create: write `bytes` to a new temp file in `tmpDir`, fsync, rename to `dir/name`,
 * fsync `dir`. Never replaces: the names are random or time-ordered and unique. On failure the
 * temp is removed and fsync is not retried.
 */
export async function writeFileDurably(fs: StorageFs, tmpDir: string, dir: string, name: string, bytes: Uint8Array, target: SyncTarget): Promise<void> {
  const temp = join(tmpDir, tempName(target));
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    handle = await openNoFollow(fs, temp, CREATE, 0o600);
    await fs.write(handle, bytes, 0);
    await fs.sync(handle, target);
    await fs.close(handle);
    handle = undefined;
    await fs.rename(temp, join(dir, name));
    renamed = true;
    await syncFolder(fs, dir);
  } catch (error) {
    await closeQuietly(fs, handle);
    if (!renamed) await unlinkQuietly(fs, temp);
    throw error;
  }
}

/** Reads a whole small file (config, index, snapshot, lock), refusing links and anything over `maxBytes`. */
export async function readWholeFile(fs: StorageFs, path: string, maxBytes: number): Promise<Buffer> {
  const handle = await openNoFollow(fs, path, READ);
  try {
    const stat = await fs.fstat(handle);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stat.size > maxBytes) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    const buffer = Buffer.allocUnsafe(stat.size);
    let done = 0;
    while (done < stat.size) {
      const n = await fs.read(handle, buffer, done, stat.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** Creates a 0700 folder; an existing one must be a real folder (not a link). */
export async function ensureFolder(fs: StorageFs, path: string): Promise<boolean> {
  try {
    await fs.mkdir(path, 0o700);
    return true;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const stat = await fs.lstat(path);
    if (!stat.isDirectory()) throw new StorageError('unsafe', `${showPath(path)} is not a folder (a link or a file is in its place); the storage was not changed`);
    return false;
  }
}

/** Regular files of a folder (anything else, a link, is left out); [] when the folder is missing. */
export async function listFiles(fs: StorageFs, dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

/** Sub-folders of a folder (links left out). */
export async function listFolders(fs: StorageFs, dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/**
 * A storage folder must be a real folder (not a link), owned by this user (or root), and neither
 * it nor a folder above it writable by others (src/fs): anyone who can write it can swap its files.
 */
export async function checkFolderSafe(fs: StorageFs, path: string): Promise<void> {
  let stat: Stats;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new StorageError('not-a-storage', `${showPath(path)} does not exist`);
    throw ioError(`cannot open the storage at ${showPath(path)}`, error);
  }
  if (stat.isSymbolicLink()) throw new StorageError('unsafe', `${showPath(path)} is a symbolic link; give the real path of the storage folder`);
  if (!stat.isDirectory()) throw new StorageError('not-a-storage', `${showPath(path)} is not a folder`);
  try {
    await checkFolder(path);
  } catch (error) {
    throw ioError(`cannot open the storage at ${showPath(path)}`, error);
  }
}

/** Before creating a storage folder: the folders above it must be safe (src/fs skips missing ones). */
export async function checkParentsSafe(path: string): Promise<void> {
  try {
    await checkFolder(path);
  } catch (error) {
    throw ioError(`cannot create a storage at ${showPath(path)}`, error);
  }
}

/** One line for a failed file operation: what we were doing, the errno in words, never data. */
export function ioError(doing: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  // Its message already names the path and the fix.
  if (error instanceof UnsafePathError) return new StorageError('unsafe', error.message);
  const code = errorCode(error);
  if (code === 'ELOOP') return new StorageError('unsafe', `${doing}: a symbolic link is where a storage file should be`);
  return new StorageError('io', `${doing}: ${describeIoError(error)}`);
}

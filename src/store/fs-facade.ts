import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { openDirectory } from '../fs/index.js';

/** Which fsync a call is, so a test can fail exactly one step of a save. */
export type SyncTarget = 'file' | 'directory' | 'audit' | 'key';

/**
 * Every file operation the store performs, in one replaceable object. The default is node:fs;
 * tests wrap it to inject ENOSPC, EIO or EROFS at a chosen step deterministically, without root
 * and without filling a real disk.
 */
export interface FsFacade {
  open(path: string, flags: string | number, mode?: number): Promise<FileHandle>;
  /** Writes all of `data` at the handle's position (loops over partial writes). */
  write(handle: FileHandle, data: Uint8Array): Promise<void>;
  readAll(handle: FileHandle): Promise<Buffer>;
  /** Reads up to `length` bytes at `position` into `buffer`; returns how many were read. */
  readAt(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number>;
  fstat(handle: FileHandle): Promise<Stats>;
  sync(handle: FileHandle, target: SyncTarget): Promise<void>;
  fchmod(handle: FileHandle, mode: number): Promise<void>;
  fchown(handle: FileHandle, uid: number, gid: number): Promise<void>;
  close(handle: FileHandle): Promise<void>;
  /** Never follows a link: what is at the path itself. */
  lstat(path: string): Promise<Stats>;
  link(existingPath: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  access(path: string, mode: number): Promise<void>;
}

export const nodeFs: FsFacade = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  async write(handle, data) {
    let offset = 0;
    while (offset < data.byteLength) {
      const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
      offset += bytesWritten;
    }
  },
  readAll: (handle) => handle.readFile(),
  readAt: async (handle, buffer, length, position) => (await handle.read(buffer, 0, length, position)).bytesRead,
  fstat: (handle) => handle.stat(),
  sync: (handle) => handle.sync(),
  fchmod: (handle, mode) => handle.chmod(mode),
  fchown: (handle, uid, gid) => handle.chown(uid, gid),
  close: (handle) => handle.close(),
  lstat: (path) => fsp.lstat(path),
  link: (existingPath, newPath) => fsp.link(existingPath, newPath),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (dir) => fsp.readdir(dir),
  mkdir: async (path, mode) => {
    await fsp.mkdir(path, { mode });
  },
  chmod: (path, mode) => fsp.chmod(path, mode),
  access: (path, mode) => fsp.access(path, mode),
};

export const W_OK = constants.W_OK;
export const X_OK = constants.X_OK;

/** An Error shaped like the ones node:fs throws, for fault injection in tests. */
export function errnoError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${syscall}${path ? ` '${path}'` : ''}`);
  error.code = code;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  return error;
}

/** Closes a handle, ignoring errors: used on paths that are already failing. */
export async function closeQuietly(fs: FsFacade, handle: FileHandle | undefined): Promise<void> {
  if (!handle) return;
  try {
    await fs.close(handle);
  } catch {
    // The original error is the one worth reporting.
  }
}

export async function unlinkQuietly(fs: FsFacade, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Nothing to clean up, or nothing more we can do.
  }
}

/** Makes a directory durable after a rename or create in it. */
export async function syncDirectory(fs: FsFacade, dir: string): Promise<void> {
  const handle = await openDirectory(dir, fs);
  try {
    await fs.sync(handle, 'directory');
  } finally {
    await closeQuietly(fs, handle);
  }
}

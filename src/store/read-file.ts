import { isUtf8 } from 'node:buffer';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { checkOpenedFile, symlinkRefused, UnsafePathError } from '../fs/index.js';
import { StoreError } from './api.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly } from './fs-facade.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** What identifies one version of the file cheaply: a rename gives a new inode, an edit a new mtime/size. */
export interface Fingerprint {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export function sameFingerprint(a: Fingerprint | undefined, b: Fingerprint | undefined): boolean {
  return !!a && !!b && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

export interface FileSnapshot {
  /** The bytes as read (with a BOM, if the file has one). */
  readonly bytes: Buffer;
  /** The decoded text without a BOM (decoded on demand: a save that finds the bytes unchanged never needs it). */
  readonly text: string;
  readonly fingerprint: Fingerprint;
  readonly uid: number;
  readonly gid: number;
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** O_NONBLOCK: a FIFO in place of the file must not hang the panel (regular files ignore it); O_NOFOLLOW: see openStore. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Reads the store file, or says clearly why not. fstat comes first so that a huge (or sparse)
 * file is refused before anything is allocated. Nothing is ever written here. The path is the
 * real one (openStore resolves links first), so a link found here was planted since: refused.
 * `owners`: who may own the file (undefined: anyone, in a folder only we and root can write).
 */
export async function readStoreFile(fs: FsFacade, path: string, maxBytes: number, owners?: readonly number[]): Promise<FileSnapshot | 'missing'> {
  let handle: FileHandle | undefined;
  try {
    try {
      handle = await fs.open(path, READ_FLAGS);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 'missing';
      if (errorCode(error) === 'ELOOP') throw symlinkRefused(path);
      throw error;
    }
    const stat = await fs.fstat(handle);
    if (stat.isDirectory()) {
      throw new StoreError('unreadable', `cannot read ${showPath(path)}: it is a directory, not a file (EISDIR); nothing was changed`, path);
    }
    if (!stat.isFile()) {
      throw new StoreError('unreadable', `cannot read ${showPath(path)}: it is not a regular file; nothing was changed`, path);
    }
    if (owners) checkOpenedFile(path, stat, { owners, access: 'read' });
    if (stat.size > maxBytes) {
      throw new StoreError(
        'too-large',
        `${showPath(path)} is too large (${megabytes(stat.size)}; the limit is ${megabytes(maxBytes)}); the file was left unchanged`,
        path,
      );
    }
    const bytes = await fs.readAll(handle);
    if (bytes.length > maxBytes) {
      throw new StoreError('too-large', `${showPath(path)} is too large (over ${megabytes(maxBytes)}); the file was left unchanged`, path);
    }
    if (!isUtf8(bytes)) {
      throw new StoreError('invalid', `${showPath(path)} is not UTF-8 text (is it the right file?); the file was left unchanged`, path);
    }
    const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return {
      bytes,
      get text() {
        return bytes.toString('utf8', hasBom ? 3 : 0);
      },
      fingerprint: { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs },
      uid: stat.uid,
      gid: stat.gid,
    };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (error instanceof UnsafePathError) throw new StoreError('unsafe', error.message, path);
    const code = errorCode(error);
    const what = code === 'EISDIR' ? 'it is a directory, not a file (EISDIR)' : describeIoError(error);
    throw new StoreError('unreadable', `cannot read ${showPath(path)}: ${what}; nothing was changed`, path);
  } finally {
    await closeQuietly(fs, handle);
  }
}

const CHUNK = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * Re-reads the file and says whether it still holds exactly `expected` (the bytes this process
 * last read or wrote), without allocating a second copy of a 10 MB file on every save. Any
 * difference or error returns undefined, and the caller does a full read.
 */
export async function readIfUnchanged(fs: FsFacade, path: string, expected: Buffer, owners?: readonly number[]): Promise<FileSnapshot | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(path, READ_FLAGS);
    const stat = await fs.fstat(handle);
    if (!stat.isFile() || stat.size !== expected.length || (owners && !owners.includes(stat.uid))) return undefined;
    scratch ??= Buffer.allocUnsafe(CHUNK);
    for (let position = 0; position < expected.length; ) {
      const read = await fs.readAt(handle, scratch, Math.min(CHUNK, expected.length - position), position);
      if (read === 0 || scratch.compare(expected, position, position + read, 0, read) !== 0) return undefined;
      position += read;
    }
    // One more byte would mean the file grew while we read it.
    if ((await fs.readAt(handle, scratch, 1, expected.length)) !== 0) return undefined;
    const hasBom = expected.length >= 3 && expected[0] === 0xef && expected[1] === 0xbb && expected[2] === 0xbf;
    return {
      bytes: expected,
      get text() {
        return expected.toString('utf8', hasBom ? 3 : 0);
      },
      fingerprint: { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs },
      uid: stat.uid,
      gid: stat.gid,
    };
  } catch {
    return undefined;
  } finally {
    await closeQuietly(fs, handle);
  }
}

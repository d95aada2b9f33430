import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { describeUid, processUid, trustedOwners } from './users.js';
import { octal, shellPath, shownPath, UnsafePathError } from './errors.js';

/** The calls these checks need; node:fs by default, a fault-injecting facade in tests. */
export interface FileOpener {
  open(path: string, flags: number, mode?: number): Promise<FileHandle>;
  fstat(handle: FileHandle): Promise<Stats>;
  fchmod(handle: FileHandle, mode: number): Promise<void>;
  close(handle: FileHandle): Promise<void>;
}

export const nodeOpener: FileOpener = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  fstat: (handle) => handle.stat(),
  fchmod: (handle, mode) => handle.chmod(mode),
  close: (handle) => handle.close(),
};

export interface OpenFileOptions {
  /** 'append' is O_WRONLY | O_APPEND (logs); 'write' is O_RDWR. */
  readonly access: 'read' | 'append' | 'write';
  /**
   * 'never' (default): the file must exist. 'if-missing': create it when absent (exclusively, so
   * we know whether we did). 'new': it must not exist yet.
   */
  readonly create?: 'never' | 'if-missing' | 'new';
  /** Mode of a file we create, set exactly (fchmod, not filtered by the umask). Default 0600. */
  readonly mode?: number;
  /** Who may own an existing file. Default: the user we run as, and root. */
  readonly owners?: readonly number[];
  /** Refuse a file that other users may read (mode & 0o077), as ssh refuses a loose private key. */
  readonly private?: boolean;
  readonly opener?: FileOpener;
}

export interface OpenedFile {
  readonly handle: FileHandle;
  readonly stat: Stats;
  /** We created it (so we may chown it; an existing file's owner and mode are never changed). */
  readonly created: boolean;
}

const ACCESS = {
  read: constants.O_RDONLY,
  append: constants.O_WRONLY | constants.O_APPEND,
  write: constants.O_RDWR,
} as const;

// O_NOFOLLOW: a link in the last component fails (ELOOP) instead of being followed. O_NONBLOCK: a
// FIFO planted in place of a file cannot hang us (regular files ignore it). O_NOCTTY: a terminal
// device cannot become our controlling terminal.
const SAFE = constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function symlinkRefused(path: string): UnsafePathError {
  return new UnsafePathError('symlink', path, `refusing to open ${shownPath(path)}: it is a symbolic link, and backup-panel never follows links to its own files; remove the link (rm ${shellPath(path)}) or put the real file there`);
}

/**
 * Checks that an open file is one of ours: a regular file, owned by an expected user, not linked
 * elsewhere when we are about to write it, and private when it holds a secret.
 */
export function checkOpenedFile(path: string, stat: Stats, options: Pick<OpenFileOptions, 'owners' | 'private' | 'access'>): void {
  if (!stat.isFile()) {
    const what = kindOf(stat);
    throw new UnsafePathError('not-a-file', path, `refusing to open ${shownPath(path)}: it is ${what === 'not a regular file' ? 'not a regular file' : `${what}, not a regular file`}; remove it or put the real file there`);
  }
  const owners = options.owners ?? trustedOwners();
  if (owners.length > 0 && !owners.includes(stat.uid)) {
    const me = processUid();
    throw new UnsafePathError(
      'foreign-owner',
      path,
      `refusing to open ${shownPath(path)}: it belongs to ${describeUid(stat.uid)}, not to ${me === undefined ? 'root' : describeUid(me)} or root, so another user may have put it there; check it, then remove it or give it to ${me === undefined ? 'root' : describeUid(me)}`,
    );
  }
  if (options.access !== 'read' && stat.nlink > 1) {
    throw new UnsafePathError('hard-link', path, `refusing to write ${shownPath(path)}: it has ${stat.nlink} names (hard links), so writing it would change a file elsewhere too; copy it to a file of its own first`);
  }
  if (options.private && (stat.mode & 0o077) !== 0) {
    throw new UnsafePathError(
      'readable',
      path,
      `refusing to use ${shownPath(path)}: it holds a secret but other users may ${stat.mode & 0o022 ? 'write or read' : 'read'} it (mode ${octal(stat.mode)}); run chmod 600 ${shellPath(path)}`,
    );
  }
}

/**
 * Opens a file without following links (O_NOFOLLOW) and refuses anything that is not a regular
 * file owned by us or root. A file it creates gets exactly `mode`; an existing file's owner and
 * mode are left as they are (we never chmod or chown what we did not create). Throws
 * UnsafePathError for a refused path, the system error (ENOENT, EACCES, …) otherwise.
 */
export async function openFile(path: string, options: OpenFileOptions): Promise<OpenedFile> {
  const opener = options.opener ?? nodeOpener;
  const create = options.create ?? 'never';
  const mode = options.mode ?? 0o600;
  const flags = ACCESS[options.access] | SAFE;
  let handle: FileHandle | undefined;
  let created = false;
  try {
    if (create !== 'never') {
      try {
        handle = await opener.open(path, flags | constants.O_CREAT | constants.O_EXCL, mode);
        created = true;
      } catch (error) {
        // EEXIST covers a symlink too (O_EXCL never follows one): opened below, which refuses it.
        if (code(error) !== 'EEXIST' || create === 'new') throw error;
      }
    }
    handle ??= await opener.open(path, flags);
    if (created) await opener.fchmod(handle, mode);
    const stat = await opener.fstat(handle);
    if (!created) checkOpenedFile(path, stat, options);
    return { handle, stat, created };
  } catch (error) {
    if (handle) await opener.close(handle).catch(() => undefined);
    // Linux says ELOOP for a link under O_NOFOLLOW; FreeBSD says EMLINK.
    if (code(error) === 'ELOOP' || code(error) === 'EMLINK') throw symlinkRefused(path);
    throw error;
  }
}

/**
 * Opens a directory without following a link at its last component (for fsync after a rename);
 * the folder's own safety is `checkFolder`'s job.
 */
export async function openDirectory(path: string, opener: FileOpener = nodeOpener): Promise<FileHandle> {
  try {
    return await opener.open(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    // With O_DIRECTORY, Linux says ENOTDIR for a link instead of ELOOP.
    const isLink = code(error) === 'ENOTDIR' && (await fsp.lstat(path).then((s) => s.isSymbolicLink(), () => false));
    if (isLink || code(error) === 'ELOOP' || code(error) === 'EMLINK') throw symlinkRefused(path);
    throw error;
  }
}

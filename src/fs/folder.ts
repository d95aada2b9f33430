import type { Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { octal, shellPath, shownPath, UnsafePathError } from './errors.js';
import { describeUid, processUid, trustedOwners } from './users.js';

const STICKY = 0o1000;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

/** The real path of `path`: links resolved in the part that exists, the missing tail kept as given. */
export async function realpathOfExisting(path: string): Promise<string> {
  const tail: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...tail);
    } catch (error) {
      const parent = dirname(current);
      if ((code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') || parent === current) throw error;
      tail.unshift(basename(current));
      current = parent;
    }
  }
}

/** Why one existing folder is unsafe for files only we may change, or undefined. */
export function folderProblem(path: string, stat: Stats, uid: number | undefined = processUid()): UnsafePathError | undefined {
  if (uid === undefined) return undefined;
  if (stat.isSymbolicLink()) {
    return new UnsafePathError('symlink', path, `refusing to use the folder ${shownPath(path)}: it was replaced by a symbolic link while it was being checked; check who changes it, then try again`);
  }
  if (!trustedOwners(uid).includes(stat.uid)) {
    const me = describeUid(uid);
    const owner = describeUid(stat.uid);
    return new UnsafePathError(
      'folder-owner',
      path,
      `refusing to use the folder ${shownPath(path)}: it belongs to ${owner}, but backup-panel runs as ${me}, and ${owner} could swap the files in it; ` +
        `run backup-panel as that user, or give the folder to ${uid === 0 ? 'root' : me} (chown ${uid} ${shellPath(path)})`,
    );
  }
  if ((stat.mode & 0o022) !== 0 && (stat.mode & STICKY) === 0) {
    const who = stat.mode & 0o002 ? (stat.mode & 0o020 ? 'its group and everyone' : 'everyone') : 'its group';
    return new UnsafePathError(
      'folder-writable',
      path,
      `refusing to use the folder ${shownPath(path)}: ${who} may write to it (mode ${octal(stat.mode)}), so other users could swap the files in it; run chmod go-w ${shellPath(path)}`,
    );
  }
  return undefined;
}

/**
 * Refuses a folder (and every folder above it) that a user other than us or root owns, or that
 * others may write to without the sticky bit, as OpenSSH refuses a group-writable ~/.ssh: anyone
 * who can write a folder can replace the files in it, or plant links where we will create ours.
 * Folders that do not exist yet are skipped (whoever creates them makes them 0700); the ones above
 * them are checked. Throws UnsafePathError with one line naming the folder and the fix.
 */
export async function checkFolder(dir: string, uid: number | undefined = processUid()): Promise<void> {
  if (uid === undefined) return;
  let current = await realpathOfExisting(dir);
  for (;;) {
    let stat: Stats | undefined;
    try {
      stat = await lstat(current);
    } catch (error) {
      if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw error;
    }
    if (stat && (stat.isDirectory() || stat.isSymbolicLink())) {
      const problem = folderProblem(current, stat, uid);
      if (problem) throw problem;
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

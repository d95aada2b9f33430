import { displayText } from '../domain/index.js';

/** Why a path was refused: each kind has one fix, named in the message. */
export type UnsafePathKind =
  | 'symlink' // a link where a file or folder of ours should be
  | 'not-a-file' // a directory, FIFO, socket or device where a regular file should be
  | 'foreign-owner' // a file that belongs to a user other than us or root
  | 'hard-link' // a file we would write that has other names elsewhere
  | 'readable' // a secret file that other users may read
  | 'folder-writable' // a folder other users may write to (no sticky bit)
  | 'folder-owner'; // a folder that belongs to a user other than us or root

/**
 * A file or folder backup-panel refuses to use because another user could have put it there or
 * could swap it. `message` is one line that names the path and the fix.
 */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
  constructor(
    readonly kind: UnsafePathKind,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A path as it may appear in a one-line message (paths can hold control characters too). */
export function shownPath(path: string): string {
  return displayText(path, { maxLength: 300 });
}

/** A path quoted for a shell command in a fix ('it'\''s'), then made safe to print. */
export function shellPath(path: string): string {
  return displayText(`'${path.replaceAll("'", `'\\''`)}'`, { maxLength: 320 });
}

export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

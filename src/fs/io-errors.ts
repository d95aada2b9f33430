import { displayText } from '../domain/index.js';

const WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a parent of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'path too long',
  EBUSY: 'resource busy',
  EXDEV: 'not on the same file system',
};

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * "disk full (ENOSPC)": what an errno means, in words. Never the error's own message, which can
 * carry a path we already print or, for other errors, data.
 */
export function describeIoError(error: unknown): string {
  const code = errorCode(error);
  if (code) return `${WORDS[code] ?? 'system error'} (${displayText(code, { maxLength: 40 })})`;
  return 'unexpected error';
}

/** A path as it may appear in a one-line message (paths can hold control characters too). */
export function showPath(path: string): string {
  return displayText(path, { maxLength: 300 });
}

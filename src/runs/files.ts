import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The small files beside the store that running cycles and the backup service share (0600, links never followed). */

export function runsDir(storePath: string): string {
  return join(dirname(storePath), `${basename(storePath)}.runs`);
}

const FLAGS_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return JSON.parse(await handle.readFile('utf8')) as T;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** Creates the file; fails with EEXIST when it is there. */
export async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, FLAGS_NEW, 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** Replaces the file atomically (a reader sees the old or the new text, never half of one). */
export async function replaceFile(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  await writeNew(tmp, text);
  await rename(tmp, path);
}

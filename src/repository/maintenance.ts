/** Housekeeping done under a write or exclusive lock. */
import { join } from 'node:path';
import type { StorageContext } from './context.js';
import { listFiles, unlinkQuietly } from './files.js';
import { isProcessAlive } from './process.js';

const TEMP = /^(\d+)-[0-9a-f]{16}\.[a-z]+$/;

/**
 * Removes temp files of processes that are gone (a writer killed mid-pack). A live pid's temp is
 * left alone: it may be a reader taking its lock right now.
 */
export async function removeDeadTemps(ctx: StorageContext): Promise<number> {
  let removed = 0;
  for (const name of await listFiles(ctx.fs, ctx.layout.tmp)) {
    const match = TEMP.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const path = join(ctx.layout.tmp, name);
    const written = await ctx.fs.lstat(path).then((s) => s.mtimeMs, () => undefined);
    // A live process that started after the file was written is another one that reused the pid.
    if (written === undefined || pid === process.pid || isProcessAlive(pid, written)) continue;
    await unlinkQuietly(ctx.fs, path);
    removed++;
  }
  return removed;
}

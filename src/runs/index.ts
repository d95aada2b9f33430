import { constants } from 'node:fs';
import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { readJson, replaceFile, runsDir, writeNew } from './files.js';

export { runsDir } from './files.js';
export * from './service-file.js';

/**
 * Running cycles, beside the store (`<store>.runs/`), so that the CLI, the panel and the backup
 * service see each other without writing the store during a cycle:
 * - `<job>.lock`: the per-job run lock (created exclusively; a lock of a dead process on this host
 *   is taken over). A second run of the same job is refused, naming the holder.
 * - `<job>.status.json`: the cycle's live progress, replaced atomically about once a second.
 * - `<job>.stop`: `jobs stop` asks the running cycle to end at the next item boundary.
 * Files are 0600, opened without following links; nothing in them is a secret or message content.
 */

export interface RunHolder {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly what: string;
  readonly since: string;
}

export interface RunStatus<P = unknown> {
  readonly jobId: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Set once the cycle has seen a stop request and ends at the next item boundary. */
  readonly stopping?: boolean;
  readonly progress: P;
}

const safeId = (jobId: string) => jobId.replace(/[^A-Za-z0-9._-]/g, '_');

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunLockHeld extends Error {
  constructor(readonly holder: RunHolder) {
    super(`held by pid ${holder.pid} on ${holder.host}`);
  }
}

export interface RunLock {
  readonly holder: RunHolder;
  /** Replaces the live status (atomically: tmp file + rename). */
  writeStatus(status: RunStatus): Promise<void>;
  /** True once `jobs stop` asked this run to end. */
  stopRequested(): Promise<boolean>;
  release(): Promise<void>;
}

/** Takes the job's run lock, or throws RunLockHeld naming the process that holds it. */
export async function acquireRunLock(storePath: string, jobId: string, what: string, now: Date = new Date()): Promise<RunLock> {
  const dir = runsDir(storePath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = safeId(jobId);
  const lockPath = join(dir, `${id}.lock`);
  const holder: RunHolder = { pid: process.pid, host: hostname(), user: whoAmI(), what, since: now.toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeNew(lockPath, JSON.stringify(holder));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = await readJson<RunHolder>(lockPath);
      // A lock left by a process that is gone (kill -9, power loss) on this host is taken over.
      if (other && (other.host !== hostname() || alive(other.pid))) throw new RunLockHeld(other);
      await rm(lockPath, { force: true });
      if (attempt === 2) throw error;
    }
  }
  await rm(join(dir, `${id}.stop`), { force: true });
  // Status files half-written by a run that was killed.
  for (const name of await readdir(dir).catch(() => [] as string[])) if (name.startsWith(`.${id}.status.`) && name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
  const statusPath = join(dir, `${id}.status.json`);
  return {
    holder,
    async writeStatus(status) {
      await replaceFile(statusPath, JSON.stringify(status));
    },
    async stopRequested() {
      try {
        const handle = await open(join(dir, `${id}.stop`), constants.O_RDONLY | constants.O_NOFOLLOW);
        await handle.close();
        return true;
      } catch {
        return false;
      }
    },
    async release() {
      await rm(statusPath, { force: true });
      await rm(join(dir, `${id}.stop`), { force: true });
      await rm(lockPath, { force: true });
    },
  };
}

/** Who runs the job now (undefined when nobody does; a dead holder on this host counts as nobody). */
export async function runHolder(storePath: string, jobId: string): Promise<RunHolder | undefined> {
  const holder = await readJson<RunHolder>(join(runsDir(storePath), `${safeId(jobId)}.lock`));
  if (!holder) return undefined;
  if (holder.host === hostname() && !alive(holder.pid)) return undefined;
  return holder;
}

/** The live status of a running cycle, if any. */
export async function readRunStatus<P>(storePath: string, jobId: string): Promise<RunStatus<P> | undefined> {
  if (!(await runHolder(storePath, jobId))) return undefined;
  return readJson<RunStatus<P>>(join(runsDir(storePath), `${safeId(jobId)}.status.json`));
}

/** Every running job's status (for the panel and the service). */
export async function runningJobs(storePath: string): Promise<string[]> {
  const names = await readdir(runsDir(storePath)).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.lock')) continue;
    const jobId = name.slice(0, -'.lock'.length);
    if (await runHolder(storePath, jobId)) out.push(jobId);
  }
  return out;
}

/** Asks the running cycle to stop at the next item boundary; false when the job is not running. */
export async function requestStop(storePath: string, jobId: string): Promise<boolean> {
  if (!(await runHolder(storePath, jobId))) return false;
  await writeNew(join(runsDir(storePath), `${safeId(jobId)}.stop`), new Date().toISOString()).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return true;
}

/** Reads a file written by this module (tests). */
export async function readRunFile(storePath: string, name: string): Promise<string> {
  return readFile(join(runsDir(storePath), name), 'utf8');
}

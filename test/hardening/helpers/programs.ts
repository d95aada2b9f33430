import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

/**
 * The built program as these tests run it: a private copy of dist/ (the global setup builds it),
 * so that a rebuild started elsewhere while a long test runs cannot pull chunks from under the
 * children, and readable by the unprivileged user the permission tests switch to.
 */

let copied: Promise<string> | undefined;
let copyDir: string | undefined;

afterAll(async () => {
  if (copyDir) await rm(copyDir, { recursive: true, force: true });
  copied = undefined;
  copyDir = undefined;
});

async function copyDist(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'bp-hardening-dist-'));
    try {
      await cp(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      await chmod(dir, 0o755);
      const cli = join(dir, 'dist', 'cli.js');
      // A copy taken in the middle of a rebuild lacks files: prove the program starts and loads its store chunk.
      const check = spawnSync(process.execPath, [cli, 'check', '--store', join(dir, 'none', 'store.json')], { encoding: 'utf8', timeout: 20_000 });
      if (check.status !== 3 || !check.stdout.startsWith('BACKUP-PANEL UNKNOWN')) throw new Error(`dist copy does not run: ${check.stdout}${check.stderr}`);
      copyDir = dir;
      return cli;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Path of cli.js in this worker's private copy of the build. */
export function cliPath(): Promise<string> {
  copied ??= copyDist();
  return copied;
}

/** Every child process these helpers started: its argv and environment, for the secret scans. */
export interface SpawnRecord {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  pid?: number;
}
export const spawned: SpawnRecord[] = [];

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time, for the report only (never asserted). */
  readonly ms: number;
  readonly pid: number | undefined;
}

/** The environment a child gets: ours, no colour, plus the overrides (undefined removes a variable). */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/** Runs `node cli.js …args` as a user would from a shell, without a TTY. */
export async function run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const cli = await cliPath();
  const argv = [process.execPath, cli, ...args];
  const env = childEnv(options.env);
  const record: SpawnRecord = { argv, env };
  spawned.push(record);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    if (child.pid !== undefined) record.pid = child.pid;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A hang guard, not a budget: on a loaded CI machine one run of the program can take half a minute.
    const limit = Math.max(options.timeoutMs ?? 0, 240_000);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backup-panel ${args.join(' ')} did not finish within ${limit} ms\n${stdout}\n${stderr}`));
    }, limit);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, pid: record.pid });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURE_V1 = join(ROOT, 'test', 'fixtures', 'store-v1.json');
export const FIXTURE_PASSWORDS = ['Winter2020!', 'S3rv1ce-Backup', 'Fabr1kam#2021'];

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built program as a user would, with no TTY. */
export function runCli(args: readonly string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
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
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A private temp directory holding a copy of the version-1 fixture as store.json. */
export async function fixtureStore(source = FIXTURE_V1): Promise<{ dir: string; store: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-test-'));
  const store = join(dir, 'store.json');
  await copyFile(source, store);
  return { dir, store };
}

/** Every file in a directory tree with its content, for leak scans. */
export async function filesIn(dir: string): Promise<Array<{ path: string; content: Buffer; mode: number }>> {
  const out: Array<{ path: string; content: Buffer; mode: number }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, content: await readFile(path), mode: (await stat(path)).mode & 0o777 });
  }
  return out;
}

/** Runs a `--json` command that must succeed and returns its parsed document (stderr in the failure message). */
export async function cliJson<T = unknown>(args: readonly string[], options: Parameters<typeof runCli>[1] = {}): Promise<T> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`backup-panel ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

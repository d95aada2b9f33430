import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll } from 'vitest';
import { ROOT } from './tmp.js';

let bundled: Promise<string> | undefined;
let bundleDir: string | undefined;

afterAll(async () => {
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  bundled = undefined;
  bundleDir = undefined;
});

/** Bundles helpers/writer.ts (and the real store code) into one .mjs that plain node runs fast. */
export function writerBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-writer-'));
    bundleDir = dir;
    // Readable by the unprivileged user the permission tests run it as.
    await chmod(dir, 0o755);
    const outfile = join(dir, 'writer.mjs');
    await build({
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, 'test', 'store', 'helpers', 'writer.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    await chmod(outfile, 0o644);
    return outfile;
  })();
  return bundled;
}

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line. */
  readonly firstLine: Promise<string>;
  /** Resolves with the first stdout line (from the start) that matches, or undefined if the child ends first. */
  waitForLine(pattern: RegExp): Promise<string | undefined>;
  /** Resolves when the process exits, with everything it printed. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export async function startWriter(args: readonly string[], options: SpawnOptions = {}): Promise<Child> {
  const bundle = await writerBundle();
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  let resolveLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve));
  const waiters: Array<{ pattern: RegExp; resolve: (line: string | undefined) => void }> = [];
  let ended = false;
  const check = () => {
    const lines = stdout.split('\n').slice(0, -1);
    for (const waiter of waiters.splice(0)) {
      const line = lines.find((l) => waiter.pattern.test(l));
      if (line !== undefined) waiter.resolve(line);
      else if (ended) waiter.resolve(undefined);
      else waiters.push(waiter);
    }
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const newline = stdout.indexOf('\n');
    if (newline !== -1) resolveLine(stdout.slice(0, newline));
    check();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolveLine(stdout);
      ended = true;
      check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitForLine = (pattern: RegExp) =>
    new Promise<string | undefined>((resolve) => {
      waiters.push({ pattern, resolve });
      check();
    });
  return { process: child, firstLine, done, waitForLine };
}

/** Runs a writer to completion and parses its last stdout line as JSON. */
export async function runWriter<T>(args: readonly string[], options: SpawnOptions = {}): Promise<T> {
  const child = await startWriter(args, options);
  child.process.stdin?.end();
  const { code, stdout, stderr } = await child.done;
  if (code !== 0) throw new Error(`writer ${args.join(' ')} exited with ${code}: ${stderr}`);
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}

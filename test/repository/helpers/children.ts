import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll } from 'vitest';
import type { Secret } from '../../../src/domain/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let bundled: Promise<string> | undefined;
let bundleDir: string | undefined;

afterAll(async () => {
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  bundled = undefined;
});

/** helpers/child.ts and the real storage code in one .mjs, so each child starts in ~100 ms. */
export function childBundle(): Promise<string> {
  bundled ??= (async () => {
    bundleDir = await mkdtemp(join(tmpdir(), 'storage-child-'));
    const outfile = join(bundleDir, 'child.mjs');
    await build({ absWorkingDir: ROOT, entryPoints: [join(ROOT, 'test', 'repository', 'helpers', 'child.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
    return outfile;
  })();
  return bundled;
}

export interface Writer {
  readonly process: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves with the index of the first line `match` accepts (waits for it). */
  waitFor(match: (line: string) => boolean): Promise<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export async function startWriter(dir: string, key: Secret, args: readonly string[]): Promise<Writer> {
  const child = spawn(process.execPath, [await childBundle(), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.write(`${JSON.stringify({ dir, key: key.reveal() })}\n`);
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (i: number) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    let newline: number;
    while ((newline = partial.indexOf('\n')) !== -1) {
      const line = partial.slice(0, newline);
      partial = partial.slice(newline + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(lines.length - 1);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return {
    process: child,
    lines,
    exited,
    waitFor(match) {
      const found = lines.findIndex(match);
      if (found !== -1) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code, signal, stderr: err }) => reject(new Error(`writer exited (${code ?? signal}) before the line: ${lines.slice(-3).join(' | ')} ${err}`)));
      });
    },
  };
}

#!/usr/bin/env node
import { mkdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The program's entry: it only switches on Node's on-disk compile cache (Node 22+), then loads the
 * program. Most of the panel's start-up is compiling its own code; with the cache a second start
 * reads the compiled code instead. The cache lives in the user's own 0700 cache folder: compiled
 * code is trusted as it is read, so nobody else may write there. NODE_DISABLE_COMPILE_CACHE=1
 * turns it off (Node's own switch).
 */
function compileCacheFolder(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const folder = join(base, 'backup-panel', 'compile-cache');
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = statSync(folder);
    const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
    return mine && (stat.mode & 0o022) === 0 ? folder : undefined;
  } catch {
    return undefined;
  }
}

// enableCompileCache exists from Node 22.1; Node 20 starts without it.
const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (enable && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  const folder = compileCacheFolder();
  if (folder) enable(folder);
}

await import('./cli.js');

import { createHash } from 'node:crypto';
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

afterAll(async () => {
  for (const dir of created.splice(0)) await rm(dir, { recursive: true, force: true });
});

/**
 * A fresh directory under the system temp dir, mode 0755 so that the unprivileged user of the
 * permission tests can reach what is inside (the test decides the modes below it). Removed after
 * the file's tests.
 */
export async function tempDir(prefix = 'bp-hard-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  created.push(dir);
  return dir;
}

/** A copy of a prepared store directory (store, key, backups, audit log…) to spoil in one test. */
export async function copyStoreDir(template: string): Promise<{ dir: string; store: string }> {
  const dir = await tempDir();
  await cp(template, dir, { recursive: true });
  return { dir, store: join(dir, 'store.json') };
}

/** sha256 of every file in a directory (non-recursive), by name: "nothing changed" means equal maps. */
export async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) {
      out[name] = 'dir';
      continue;
    }
    out[name] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

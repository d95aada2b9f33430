import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURE_V1 = join(ROOT, 'test', 'fixtures', 'store-v1.json');
export const FIXTURE_PASSWORDS = ['Winter2020!', 'S3rv1ce-Backup', 'Fabr1kam#2021'];

const created: string[] = [];

afterEach(async () => {
  for (const dir of created.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh directory on the real file system, removed after the test. */
export async function tempDir(prefix = 'store-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A directory holding a copy of the version-1 fixture as `store.json`. */
export async function v1StoreDir(): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'store.json');
  await copyFile(FIXTURE_V1, path);
  return { dir, path };
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** Temp files the store writes: `.store.json.<pid>.<random>.tmp` and its variants. */
export function isTempName(name: string): boolean {
  return /^\.store\.json\..*\.tmp$/.test(name);
}

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sample from './store-v1.json';

/**
 * The demo runs on a fresh copy of the previous release's sample store (a version-1 file with
 * obsolete connections), in a new private temp folder, so it never touches real data.
 */
export async function prepareDemoStore(): Promise<{ readonly storePath: string; readonly dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-panel-demo-'));
  const storePath = join(dir, 'store.json');
  await writeFile(storePath, JSON.stringify(sample, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return { storePath, dir };
}

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Contracts §7 "Reading never creates" (issue 11, item 4). */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-nocreate-'));
  dirs.push(dir);
  return dir;
}

describe('a mistyped --store', () => {
  it('list, test and check exit non-zero with one line naming the path, and create no file or folder', async () => {
    const dir = await emptyDir();
    const store = join(dir, 'mistyped', 'deeper', 'store.json');
    const line = `backup-panel: ${store} does not exist; nothing was created. Check the path (--store or BACKUP_PANEL_STORE)`;
    for (const args of [['connections', 'list'], ['connections', 'list', '--json'], ['connections', 'test', 'c-1'], ['jobs', 'list'], ['alerts', 'list'], ['alerts', 'dismiss', 'a-1'], ['connections', 'delete', 'c-1'], ['jobs', 'run', 'j-1']]) {
      const result = await runCli([...args, '--store', store]);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr.trim().split('\n'), args.join(' ')).toEqual([line]);
    }
    const check = await runCli(['check', '--store', store]);
    expect(check.code).toBe(3);
    expect(check.stdout.trim()).toBe(`BACKUP-PANEL UNKNOWN - ${store} does not exist; nothing was created. Check the path (--store or BACKUP_PANEL_STORE)`);
    // The red team's sequence: list, then check, which must not say OK.
    expect(await readdir(dir)).toEqual([]);
  });

  it('BACKUP_PANEL_STORE pointing nowhere is treated the same', async () => {
    const dir = await emptyDir();
    const store = join(dir, 'nowhere', 'store.json');
    const result = await runCli(['connections', 'list'], { env: { BACKUP_PANEL_STORE: store } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${store} does not exist; nothing was created`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an explicit write that makes sense on a new store (alerts mute) creates it, private', async () => {
    const dir = await emptyDir();
    const store = join(dir, 'new', 'store.json');
    const result = await runCli(['alerts', 'mute', 'job-failed', '--store', store]);
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(join(dir, 'new'))).sort()).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak']);
    const list = await runCli(['connections', 'list', '--json', '--store', store]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

import { chmod, chown, copyFile, lchown, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { fingerprint, tempDir } from './helpers/files.js';
import { run } from './helpers/programs.js';

/**
 * The red team's privilege escalation (issue 11, item 1) and its relatives, as they happen: the
 * panel runs as root (CI does), another user (uid 65534) owns or shares the store's folder and
 * plants links or files where the panel keeps its own. Nothing may be followed, created, chmodded
 * or chowned outside the store, and the refusal is one line naming the path and the fix.
 */

const ROOT = process.getuid?.() === 0;
const OTHER = 65534;

/** A root-owned file another program runs (the red team used /etc/profile.d/x.sh), somewhere the other user cannot write. */
async function victim(): Promise<{ existing: string; missing: string; snapshot: () => Promise<unknown> }> {
  const dir = await tempDir('bp-victim-');
  const existing = join(dir, 'profile.sh');
  await writeFile(existing, 'echo hello\n');
  await chmod(existing, 0o644);
  const missing = join(dir, 'x.sh');
  const snapshot = async () => {
    const s = await stat(existing);
    return { names: (await readdir(dir)).sort(), text: await readFile(existing, 'utf8'), mode: s.mode & 0o777, uid: s.uid, gid: s.gid };
  };
  return { existing, missing, snapshot };
}

const lines = (stderr: string) => stderr.trim().split('\n');

describe.skipIf(!ROOT)('links and other users in the store folder (as root)', () => {
  let target: Awaited<ReturnType<typeof victim>>;
  let before: unknown;

  beforeAll(async () => {
    target = await victim();
    before = await target.snapshot();
  });

  it('a store folder that belongs to another user: refused with one line naming the folder and the fix; the planted links lead nowhere', async () => {
    const dir = join(await tempDir(), 'theirs');
    await mkdir(dir, { mode: 0o700 });
    await copyFile(FIXTURE_V1, join(dir, 'store.json'));
    await symlink(target.missing, join(dir, 'store.json.audit.log'));
    await symlink(target.existing, join(dir, 'store.json.lock'));
    for (const name of await readdir(dir)) await lchown(join(dir, name), OTHER, OTHER);
    await chown(dir, OTHER, OTHER);
    const files = await fingerprint(dir).catch(() => undefined);

    for (const args of [['alerts', 'mute', 'job-failed'], ['connections', 'list'], ['check']]) {
      const result = await run([...args, '--store', join(dir, 'store.json')]);
      expect(result.code, args.join(' ')).toBe(args[0] === 'check' ? 3 : 2);
      const message = `refusing to use the folder ${dir}: it belongs to nobody (uid 65534), but backup-panel runs as root (uid 0), and nobody (uid 65534) could swap the files in it; run backup-panel as that user, or give the folder to root (chown 0 '${dir}')`;
      if (args[0] === 'check') expect(result.stdout.trim()).toBe(`BACKUP-PANEL UNKNOWN - ${message}`);
      else expect(lines(result.stderr)).toEqual([`backup-panel: ${message}`]);
    }
    expect(await target.snapshot()).toEqual(before);
    expect(await fingerprint(dir).catch(() => undefined)).toEqual(files);
    expect(await readlink(join(dir, 'store.json.audit.log'))).toBe(target.missing);
  });

  it('the same folder used by its owner: the planted audit-log link is refused, and nothing is saved', async () => {
    const dir = join(await tempDir(), 'theirs');
    await mkdir(dir, { mode: 0o700 });
    await copyFile(FIXTURE_V1, join(dir, 'store.json'));
    // Migrate first (the owner's own first run), then plant.
    await chown(join(dir, 'store.json'), OTHER, OTHER);
    await chown(dir, OTHER, OTHER);
    expect((await run(['connections', 'list', '--store', join(dir, 'store.json')], { uid: OTHER, gid: OTHER })).code).toBe(0);
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'store.json.audit.log'));
    await symlink(target.missing, join(dir, 'store.json.audit.log'));
    await lchown(join(dir, 'store.json.audit.log'), OTHER, OTHER);
    const storeBefore = await readFile(join(dir, 'store.json'));
    const result = await run(['alerts', 'mute', 'job-failed', '--store', join(dir, 'store.json')], { uid: OTHER, gid: OTHER });
    expect(result.code).not.toBe(0);
    expect(lines(result.stderr)).toEqual([
      `backup-panel: refusing to open ${dir}/store.json.audit.log: it is a symbolic link, and backup-panel never follows links to its own files; remove the link (rm '${dir}/store.json.audit.log') or put the real file there`,
    ]);
    expect(await readFile(join(dir, 'store.json'))).toEqual(storeBefore);
    expect(await target.snapshot()).toEqual(before);
  });

  it('a shared sticky folder (like /tmp): links and files another user planted beside a root store are refused, never followed or taken over', async () => {
    const shared = join(await tempDir(), 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const store = join(shared, 'store.json');
    await copyFile(FIXTURE_V1, store);
    await chmod(store, 0o600);
    expect((await run(['alerts', 'mute', 'credential-expiring', '--store', store])).code).toBe(0);
    const storeBefore = await readFile(store);

    // The other user replaces the log by a link to a root file (a sticky folder stops them from
    // replacing root's files; here the log was not there yet), then by a file of their own.
    const { rm } = await import('node:fs/promises');
    await rm(`${store}.audit.log`);
    await symlink(target.existing, `${store}.audit.log`);
    await lchown(`${store}.audit.log`, OTHER, OTHER);
    let result = await run(['alerts', 'mute', 'job-failed', '--store', store]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringContaining(`refusing to open ${store}.audit.log: it is a symbolic link`)]);
    expect(await target.snapshot()).toEqual(before);
    expect(await readFile(store)).toEqual(storeBefore);

    await rm(`${store}.audit.log`);
    await writeFile(`${store}.audit.log`, '');
    await chown(`${store}.audit.log`, OTHER, OTHER);
    result = await run(['alerts', 'mute', 'job-failed', '--store', store]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^backup-panel: refusing to open ${store}\\.audit\\.log: it belongs to nobody \\(uid 65534\\), not to root \\(uid 0\\) or root`))]);
    expect(await readFile(store)).toEqual(storeBefore);
    const planted = await stat(`${store}.audit.log`);
    expect({ uid: planted.uid, mode: planted.mode & 0o777, size: planted.size }).toEqual({ uid: OTHER, mode: 0o644, size: 0 });

    // A key file another user planted in place of a missing one is refused too (never read as ours).
    await rm(`${store}.audit.log`);
    const { rename } = await import('node:fs/promises');
    await rename(`${store}.key`, `${store}.key.aside`);
    await writeFile(`${store}.key`, '{}', { mode: 0o600 });
    await chown(`${store}.key`, OTHER, OTHER);
    result = await run(['connections', 'test', 'c-3', '--store', store]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`refusing to open ${store}\\.key: it belongs to nobody \\(uid 65534\\)`));
  });

  it('a store folder others may write (0777, 0775): refused, naming the folder and chmod go-w', async () => {
    for (const mode of [0o777, 0o775, 0o757]) {
      const dir = join(await tempDir(), 'open');
      await mkdir(dir);
      await chmod(dir, mode);
      await copyFile(FIXTURE_V1, join(dir, 'store.json'));
      const files = await fingerprint(dir);
      const result = await run(['alerts', 'mute', 'job-failed', '--store', join(dir, 'store.json')]);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^backup-panel: refusing to use the folder ${dir}: .* may write to it \\(mode 0${mode.toString(8)}\\), so other users could swap the files in it; run chmod go-w '${dir}'$`))]);
      expect(await fingerprint(dir)).toEqual(files);
    }
  });
});

describe('a store that is a symbolic link (issue 11, item 10)', () => {
  it('a dangling link: a write creates the store where the link points and the link stays; a read creates nothing', async () => {
    const dir = await tempDir();
    const real = join(dir, 'data', 'real.json');
    const link = join(dir, 'store.json');
    await symlink(real, link);
    const list = await run(['connections', 'list', '--store', link]);
    expect(list.code).not.toBe(0);
    expect(lines(list.stderr)).toEqual([`backup-panel: ${real} (where ${link} points) does not exist; nothing was created. Check the path (--store or BACKUP_PANEL_STORE)`]);
    expect((await readdir(dir)).sort()).toEqual(['store.json']);

    const mute = await run(['alerts', 'mute', 'job-failed', '--store', link]);
    expect(mute.code, mute.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(JSON.parse(await readFile(real, 'utf8'))).toMatchObject({ notifications: { muted: ['job-failed'] } });
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['real.json', 'real.json.audit.log', 'real.json.bak']);
  });
});

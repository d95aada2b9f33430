import { execFileSync } from 'node:child_process';
import { chmod, chown, link, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFolder, openDirectory, openFile, UnsafePathError } from '../../src/fs/index.js';
import { tempDir } from '../store/helpers/tmp.js';

const ROOT = process.getuid?.() === 0;
const OTHER = 65534;

async function refusal(promise: Promise<unknown>): Promise<UnsafePathError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UnsafePathError)) throw new Error(`expected a refusal, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  return error;
}

describe('openFile', () => {
  it('never follows a link, and leaves the link target untouched', async () => {
    const dir = await tempDir();
    const target = join(dir, 'profile.sh');
    await writeFile(target, 'echo hi\n', { mode: 0o644 });
    await chmod(target, 0o644);
    const planted = join(dir, 'store.json.audit.log');
    await symlink(target, planted);
    for (const create of ['if-missing', 'never'] as const) {
      const error = await refusal(openFile(planted, { access: 'append', create }));
      expect(error.kind).toBe('symlink');
      expect(error.message).toContain(planted);
    }
    // A dangling link is not created through either.
    const dangling = join(dir, 'dangling');
    await symlink(join(dir, 'nowhere'), dangling);
    expect((await refusal(openFile(dangling, { access: 'append', create: 'if-missing' }))).kind).toBe('symlink');
    expect(await readFile(target, 'utf8')).toBe('echo hi\n');
    expect((await stat(target)).mode & 0o777).toBe(0o644);
    await expect(stat(join(dir, 'nowhere'))).rejects.toThrow();
  });

  it('refuses what is not a regular file (a FIFO does not hang it)', async () => {
    const dir = await tempDir();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(openFile(fifo, { access: 'read' }))).kind).toBe('not-a-file');
    expect((await refusal(openFile(dir, { access: 'read' }))).kind).toBe('not-a-file');
  });

  it('creates with the exact mode whatever the umask, and says it created the file', async () => {
    const dir = await tempDir();
    const old = process.umask(0);
    try {
      const opened = await openFile(join(dir, 'new'), { access: 'append', create: 'if-missing' });
      expect(opened.created).toBe(true);
      await opened.handle.close();
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o600);
    const again = await openFile(join(dir, 'new'), { access: 'append', create: 'if-missing' });
    expect(again.created).toBe(false);
    await again.handle.close();
  });

  it('never changes the mode of a file it did not create', async () => {
    const dir = await tempDir();
    const path = join(dir, 'existing.log');
    await writeFile(path, '');
    await chmod(path, 0o644);
    const opened = await openFile(path, { access: 'append', create: 'if-missing' });
    await opened.handle.close();
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('refuses to write a file with a second name (hard link), reads it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a');
    await writeFile(path, 'x');
    await link(path, join(dir, 'b'));
    expect((await refusal(openFile(path, { access: 'append' }))).kind).toBe('hard-link');
    const read = await openFile(path, { access: 'read' });
    await read.handle.close();
  });

  it('refuses a secret file others may read, naming the chmod', async () => {
    const dir = await tempDir();
    const path = join(dir, 'key');
    await writeFile(path, 'k');
    await chmod(path, 0o644);
    const error = await refusal(openFile(path, { access: 'read', private: true }));
    expect(error.kind).toBe('readable');
    expect(error.message).toContain(`chmod 600 '${path}'`);
    await chmod(path, 0o600);
    await (await openFile(path, { access: 'read', private: true })).handle.close();
  });

  it.skipIf(!ROOT)('as root, refuses a file that belongs to another user', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json.audit.log');
    await writeFile(path, '');
    await chown(path, OTHER, OTHER);
    const error = await refusal(openFile(path, { access: 'append', create: 'if-missing' }));
    expect(error.kind).toBe('foreign-owner');
    expect(error.message).toMatch(/belongs to (nobody \()?uid 65534/);
    // …unless the caller says that user is expected (root saving a service account's store).
    await (await openFile(path, { access: 'append', owners: [0, OTHER] })).handle.close();
  });

  it('opens a directory for fsync but not through a link', async () => {
    const dir = await tempDir();
    await (await openDirectory(dir)).close();
    await symlink(dir, join(dir, 'link'));
    expect((await refusal(openDirectory(join(dir, 'link')))).kind).toBe('symlink');
  });
});

describe('checkFolder', () => {
  it('accepts a private folder, a missing one below it, and a sticky shared one (/tmp)', async () => {
    const dir = await tempDir();
    await checkFolder(dir);
    await checkFolder(join(dir, 'not', 'yet'));
    await mkdir(join(dir, 'sticky'), { mode: 0o1777 });
    await chmod(join(dir, 'sticky'), 0o1777);
    await checkFolder(join(dir, 'sticky'));
  });

  it('refuses a folder others may write to, naming it and the chmod', async () => {
    const dir = await tempDir();
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    for (const path of [shared, join(shared, 'inner'), join(shared, 'missing', 'store')]) {
      if (path.endsWith('inner')) await mkdir(path, { mode: 0o700 });
      const error = await refusal(checkFolder(path));
      expect(error.kind).toBe('folder-writable');
      expect(error.path).toBe(shared);
      expect(error.message).toContain(`chmod go-w '${shared}'`);
    }
    await chmod(shared, 0o775);
    expect((await refusal(checkFolder(shared))).message).toContain('its group may write to it (mode 0775)');
  });

  it('judges a folder reached through a link by the real one', async () => {
    const dir = await tempDir();
    const real = join(dir, 'real');
    await mkdir(real);
    await chmod(real, 0o777);
    await symlink(real, join(dir, 'alias'));
    expect((await refusal(checkFolder(join(dir, 'alias')))).path).toBe(real);
  });

  it.skipIf(!ROOT)('as root, refuses a folder that belongs to another user (as OpenSSH does)', async () => {
    const dir = await tempDir();
    const theirs = join(dir, 'theirs');
    await mkdir(theirs, { mode: 0o700 });
    await chown(theirs, OTHER, OTHER);
    const error = await refusal(checkFolder(theirs));
    expect(error.kind).toBe('folder-owner');
    expect(error.message).toMatch(/belongs to (nobody \()?uid 65534\)?, but backup-panel runs as root \(uid 0\)/);
    expect(error.message).toContain(`chown 0 '${theirs}'`);
    // The same folder is fine for its owner.
    await checkFolder(theirs, OTHER);
  });

  it('for an ordinary user, refuses a folder of another user but accepts root\'s', async () => {
    const dir = await tempDir();
    await checkFolder(dir, 1000); // owned by root: trusted
    if (!ROOT) return;
    await chown(dir, 2000, 2000);
    expect((await refusal(checkFolder(dir, 1000))).kind).toBe('folder-owner');
  });
});

import { chmod, mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/domain/index.js';
import { StorageError, attachStorage, createStorage, openStorage, readStorageInfo } from '../../src/repository/index.js';
import { filesUnder, mime, newStorage, readContent, tempDir } from './helpers/storage.js';

const SEEDS = {
  subject: 'Übernahme Zürich – vertraulich 機密',
  fileName: 'Gehälter-2026-Ölçü.xlsx',
  folder: 'Projekt Nordlicht',
  mailbox: 'geheim.person@contoso.com',
  cursor: 'https://graph.microsoft.com/v1.0/users/x/mailFolders/y/messages/delta?$deltatoken=SEEKRITTOKEN123',
  body: 'The launch code is PINEAPPLE-7731 and nobody may know.',
};

function variants(text: string): Buffer[] {
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(text.toLowerCase(), 'utf8')];
}

describe('what a storage folder reveals', () => {
  it('holds no subject, name, folder, cursor, content or key in any file or file name', async () => {
    const { dir, storage, masterKey, recoveryKey } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const builder = await session.snapshot({ key: `mailbox:${SEEDS.mailbox}`, name: SEEDS.mailbox, kind: 'mailbox', extra: { tenant: SEEDS.folder } });
    builder.setFolder({ id: SEEDS.folder, parentId: null, name: SEEDS.folder });
    builder.setCursor(SEEDS.folder, SEEDS.cursor);
    builder.setCursor(null, SEEDS.cursor);
    const content = Buffer.concat([mime(1, SEEDS.subject), Buffer.from(`\r\n${SEEDS.body}\r\n`)]);
    // Once compressible and small, once long (several chunks) with the secret repeated in it.
    const small = await session.putContent(content);
    const large = await session.putContent(Buffer.from(SEEDS.body.repeat(100_000)));
    await builder.putItem(SEEDS.folder, { id: SEEDS.subject, name: SEEDS.subject, title: SEEDS.subject, date: '2026-01-01T00:00:00.000Z', kind: 'message', content: small.ref });
    await builder.putItem(SEEDS.folder, { id: SEEDS.fileName, name: SEEDS.fileName, date: '2026-01-01T00:00:00.000Z', kind: 'file', content: large.ref, extra: { eTag: SEEDS.body } });
    await builder.commit();
    await session.close();
    expect(await readContent(storage, small.ref)).toEqual(content);

    const needles = [...Object.values(SEEDS).flatMap(variants), Buffer.from(masterKey.reveal(), 'base64'), Buffer.from(masterKey.reveal()), Buffer.from(recoveryKey.reveal()), Buffer.from(recoveryKey.reveal().replace(/-/g, ''))];
    const files = await filesUnder(dir);
    expect(files.length).toBe(5); // config, keys/recovery, a pack, an index, a snapshot
    let hits = 0;
    for (const file of files) {
      const bytes = await readFile(join(dir, file));
      for (const needle of needles) if (bytes.includes(needle) || Buffer.from(file).includes(needle)) hits++;
      // Owner-only files.
      expect(((await stat(join(dir, file))).mode & 0o777).toString(8), file).toBe('600');
    }
    expect(hits).toBe(0);
    for (const folder of ['', 'keys', 'packs', 'index', 'snapshots', 'locks', 'tmp']) {
      expect(((await stat(join(dir, folder))).mode & 0o777).toString(8), folder).toBe('700');
    }
    // The only plaintext file says what the storage is, nothing of its data.
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'config'), 'utf8'))).sort()).toEqual(['created', 'format', 'id', 'keyCheck', 'name', 'retentionDays', 'version']);
  });
});

describe('keys', () => {
  it('opens with the recovery key alone (attach) and refuses a wrong one without echoing it', async () => {
    const { dir, masterKey, recoveryKey } = await newStorage();
    expect(String(recoveryKey)).toBe('[REDACTED]');
    expect(recoveryKey.reveal()).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    // Typed back in lower case, with spaces and an O for a zero, it still opens.
    const typed = recoveryKey.reveal().toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    const attached = await attachStorage(dir, new Secret(`  ${typed}\n`));
    expect(attached.masterKey.reveal()).toBe(masterKey.reveal());
    expect(attached.storage.info.name).toBe('Main');

    const other = await newStorage();
    for (const wrong of [other.recoveryKey.reveal(), 'not a key at all']) {
      const error = await attachStorage(dir, new Secret(wrong)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'wrong-key' });
      expect((error as Error).message).not.toContain(wrong);
    }
    const wrongMaster = await openStorage(dir, other.masterKey).catch((e: unknown) => e);
    expect(wrongMaster).toMatchObject({ code: 'wrong-key', message: 'the key does not open storage Main' });
    await expect(openStorage(dir, new Secret('short'))).rejects.toMatchObject({ code: 'wrong-key' });
    expect(await readStorageInfo(dir)).toMatchObject({ name: 'Main', retentionDays: 30, path: dir });
  });
});

describe('unsafe folders and links', () => {
  it('refuses a storage folder other users can write, or one that is a link', async () => {
    const { dir, masterKey } = await newStorage();
    await chmod(dir, 0o777);
    await expect(openStorage(dir, masterKey)).rejects.toMatchObject({ code: 'unsafe', message: expect.stringContaining('may write to it') });
    await chmod(dir, 0o700);
    const link = join(await tempDir(), 'link');
    await symlink(dir, link);
    await expect(openStorage(link, masterKey)).rejects.toMatchObject({ code: 'unsafe' });
    const open = await tempDir();
    await chmod(open, 0o777);
    await expect(createStorage(open, { name: 'X', retentionDays: 1 })).rejects.toMatchObject({ code: 'unsafe' });
    // Under a folder others can write, nothing is created.
    await expect(createStorage(join(open, 'storage'), { name: 'X', retentionDays: 1 })).rejects.toMatchObject({ code: 'unsafe' });
    expect(await readdir(open)).toEqual([]);
  });

  it('does not follow a link put in place of a storage file or folder', async () => {
    const { dir, masterKey, storage } = await newStorage();
    const session = await storage.beginWrite({ what: 'test' });
    const { ref } = await session.putContent(mime(1));
    await session.close();
    const elsewhere = await tempDir();
    // A pack swapped for a link to another file: reading refuses rather than follows.
    const pack = (await filesUnder(dir)).find((f) => f.startsWith('packs/'))!;
    await rename(join(dir, pack), join(elsewhere, 'pack'));
    await symlink(join(elsewhere, 'pack'), join(dir, pack));
    await expect(readContent(await openStorage(dir, masterKey), ref)).rejects.toMatchObject({ code: 'unsafe' });
    // The snapshots folder swapped for a link.
    await rm(join(dir, 'snapshots'), { recursive: true });
    await mkdir(join(elsewhere, 'snapshots'));
    await symlink(join(elsewhere, 'snapshots'), join(dir, 'snapshots'));
    await expect(openStorage(dir, masterKey)).rejects.toMatchObject({ code: 'unsafe' });
  });

  it('creates only in a new or empty folder', async () => {
    const parent = await tempDir();
    await writeFile(join(parent, 'something'), 'x');
    await expect(createStorage(parent, { name: 'X', retentionDays: 1 })).rejects.toMatchObject({ code: 'not-empty' });
    const { dir } = await newStorage();
    await expect(createStorage(dir, { name: 'Again', retentionDays: 1 })).rejects.toMatchObject({ code: 'not-empty', message: expect.stringContaining('already holds a storage') });
    await expect(createStorage(join(parent, 'new'), { name: ' ', retentionDays: 1 })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(createStorage(join(parent, 'new'), { name: 'X', retentionDays: -1 })).rejects.toMatchObject({ code: 'bad-input' });
  });
});

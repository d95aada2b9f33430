import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Connection, SecretRef } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../src/domain/index.js';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { secretAad, Vault } from '../../src/store/vault.js';
import { listDir, modeOf, readJson, tempDir } from './helpers/tmp.js';

const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const passwordRef = (id: string): SecretRef => connectionSecretRef(id, CONNECTION_SECRET_FIELDS.password);

async function addConnection(store: Store, id: string, password: string): Promise<void> {
  await store.update((draft, tools) => {
    draft.connections.push({
      id, displayName: `${id}.corp.contoso.com`, created: '2020-01-01T00:00:00Z', service: 'exchange', location: 'onpremises', server: `${id}.corp.contoso.com`,
      credential: { kind: 'basic', userName: 'CORP\\svc', password: tools.seal(password, passwordRef(id)) },
    });
    return { change: { action: 'connection.create', entity: { type: 'connection', id }, fields: ['credential.password'] }, result: undefined };
  });
}

function sealedPassword(store: Store, id: string) {
  const c = store.current().connections.find((x) => x.id === id) as Connection;
  if (c.credential.kind !== 'basic') throw new Error('expected basic');
  return c.credential.password;
}

async function newStore(options: { passphraseFile?: string } = {}): Promise<{ dir: string; path: string; store: Store }> {
  const dir = await tempDir();
  const path = join(dir, 'store.json');
  const store = await openStore({ path, scryptCost: FAST_SCRYPT, ...options });
  return { dir, path, store };
}

describe('secrets are sealed per field', () => {
  it('round trip through the file; the key file is 0600 and holds a 32-byte key', async () => {
    const { dir, path, store } = await newStore();
    expect(await listDir(dir)).toEqual(['store.json', 'store.json.audit.log']); // no key until a secret is sealed
    await addConnection(store, 'c-1', 'Tr0ub4dor&3');
    await store.close();

    const reopened = await openStore({ path });
    const secret = reopened.reveal(sealedPassword(reopened, 'c-1'), passwordRef('c-1'));
    expect(secret.reveal()).toBe('Tr0ub4dor&3');
    expect(String(secret)).toBe('[REDACTED]');
    expect(inspect(reopened)).not.toContain('Tr0ub4dor');
    const key = await readJson(`${path}.key`);
    expect(Buffer.from(String(key.key), 'base64')).toHaveLength(32);
    expect((reopened.current() as { encryption?: unknown }).encryption).toEqual({ mode: 'key-file', kid: key.kid });
    expect(await modeOf(`${path}.key`)).toBe(0o600);
    expect(await readFile(path, 'utf8')).not.toContain('Tr0ub4dor');
    await reopened.close();
  });

  it('refuses a key file or passphrase file that other users may read, naming the chmod (as ssh does); listing still works', async () => {
    const { path, store } = await newStore();
    await addConnection(store, 'c-1', 'loose-key');
    await store.close();
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(`${path}.key`, mode);
      const loose = await openStore({ path });
      expect(loose.current().connections).toHaveLength(1);
      expect(() => loose.reveal(sealedPassword(loose, 'c-1'), passwordRef('c-1'))).toThrow(
        expect.objectContaining({ code: 'key', message: expect.stringMatching(new RegExp(`^refusing to use ${path}\\.key: it holds a secret but other users may (write or )?read it \\(mode 0${mode.toString(8)}\\); run chmod 600 '${path}\\.key'$`)) }),
      );
      await loose.close();
      expect(await modeOf(`${path}.key`)).toBe(mode); // never chmodded for the user
    }
    await chmod(`${path}.key`, 0o600);
    const fixed = await openStore({ path });
    expect(fixed.reveal(sealedPassword(fixed, 'c-1'), passwordRef('c-1')).reveal()).toBe('loose-key');
    await fixed.close();

    const dir = await tempDir();
    const passphraseFile = join(dir, 'passphrase');
    await writeFile(passphraseFile, 'open to all\n', { mode: 0o644 });
    await chmod(passphraseFile, 0o644);
    const pp = await openStore({ path: join(dir, 'store.json'), passphraseFile, scryptCost: FAST_SCRYPT });
    await expect(addConnection(pp, 'c-1', 'x')).rejects.toThrow(`refusing to use ${passphraseFile}: it holds a secret but other users may read it (mode 0644); run chmod 600 '${passphraseFile}'`);
    await pp.close();
  });

  it('a ciphertext moved to another connection cannot be opened there', async () => {
    const { store } = await newStore();
    await addConnection(store, 'c-1', 'first-password');
    await addConnection(store, 'c-2', 'second-password');
    await store.update((draft) => {
      const [one, two] = draft.connections as Connection[];
      if (one?.credential.kind !== 'basic' || two?.credential.kind !== 'basic') throw new Error('expected basic');
      two.credential.password = one.credential.password;
      return { change: { action: 'test.move' }, result: undefined };
    });
    const error = (() => {
      try {
        store.reveal(sealedPassword(store, 'c-2'), passwordRef('c-2'));
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toContain('connection:c-2|credential.password');
    expect((error as Error).message).not.toContain('first-password');
    // Still fine in its own place, and not usable for another field of the same record.
    expect(store.reveal(sealedPassword(store, 'c-1'), passwordRef('c-1')).reveal()).toBe('first-password');
    expect(() => store.reveal(sealedPassword(store, 'c-1'), connectionSecretRef('c-1', CONNECTION_SECRET_FIELDS.legacyPassword))).toThrow(/does not belong there/);
    await store.close();
  });

  it('a wrong or missing key file is a key error that names the file and the fix', async () => {
    const { path, store } = await newStore();
    await addConnection(store, 'c-1', 'p4ss');
    await store.close();
    const original = await readFile(`${path}.key`);

    const other = new Vault(Buffer.alloc(32, 7));
    await writeFile(`${path}.key`, JSON.stringify({ version: 1, kid: other.kid, key: other.exportKey().toString('base64') }), { mode: 0o600 });
    const wrong = await openStore({ path });
    expect(wrong.current().connections).toHaveLength(1); // listing still works
    expect(() => wrong.reveal(sealedPassword(wrong, 'c-1'), passwordRef('c-1'))).toThrow(
      expect.objectContaining({ code: 'key', message: expect.stringMatching(new RegExp(`the key file ${path}\\.key holds key ${other.kid}, but .* restore the matching key file from your backup`)) }),
    );
    await expect(addConnection(wrong, 'c-2', 'x')).rejects.toMatchObject({ code: 'key' });
    await wrong.close();

    await rm(`${path}.key`);
    const missing = await openStore({ path });
    expect(() => missing.reveal(sealedPassword(missing, 'c-1'), passwordRef('c-1'))).toThrow(
      expect.objectContaining({ code: 'key', message: expect.stringContaining(`cannot read the key file ${path}.key: it does not exist.`) }),
    );
    // Not re-created behind the user's back: that would orphan every sealed secret.
    await expect(addConnection(missing, 'c-2', 'x')).rejects.toMatchObject({ code: 'key' });
    await missing.close();

    await writeFile(`${path}.key`, 'garbage', { mode: 0o600 });
    const damaged = await openStore({ path });
    expect(() => damaged.reveal(sealedPassword(damaged, 'c-1'), passwordRef('c-1'))).toThrow(/is damaged/);
    await damaged.close();

    await writeFile(`${path}.key`, original, { mode: 0o600 });
    const restored = await openStore({ path });
    expect(restored.reveal(sealedPassword(restored, 'c-1'), passwordRef('c-1')).reveal()).toBe('p4ss');
    await restored.close();
  });

  it('passphrase mode wraps the data key with scrypt and writes no key file', async () => {
    const dir = await tempDir();
    const passphraseFile = join(dir, 'passphrase');
    await writeFile(passphraseFile, 'correct horse battery staple\n', { mode: 0o600 });
    const path = join(dir, 'store', 'store.json');
    const store = await openStore({ path, passphraseFile });
    await addConnection(store, 'c-1', 'pp-secret');
    await store.close();
    expect(await listDir(join(dir, 'store'))).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak']);
    const encryption = (await readJson(path)).encryption as Record<string, unknown>;
    expect(encryption).toMatchObject({ mode: 'passphrase', kdf: { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 }, wrappedKey: { iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) } });
    expect(Buffer.from(String((encryption.kdf as Record<string, unknown>).salt), 'base64')).toHaveLength(16);

    const reopened = await openStore({ path, passphraseFile });
    expect(reopened.reveal(sealedPassword(reopened, 'c-1'), passwordRef('c-1')).reveal()).toBe('pp-secret');
    await reopened.close();

    await writeFile(passphraseFile, 'wrong horse\n');
    const wrong = await openStore({ path, passphraseFile });
    expect(() => wrong.reveal(sealedPassword(wrong, 'c-1'), passwordRef('c-1'))).toThrow(
      expect.objectContaining({ code: 'key', message: `the passphrase in ${passphraseFile} does not unlock this store; check the passphrase file.` }),
    );
    await wrong.close();

    const without = await openStore({ path });
    expect(() => without.reveal(sealedPassword(without, 'c-1'), passwordRef('c-1'))).toThrow(/BACKUP_PANEL_PASSPHRASE_FILE/);
    await without.close();
  });

  it('reuses a key file left by an interrupted first save instead of failing or replacing it', async () => {
    const { path, store } = await newStore();
    const leftover = new Vault(Buffer.alloc(32, 9));
    await writeFile(`${path}.key`, JSON.stringify({ version: 1, kid: leftover.kid, key: leftover.exportKey().toString('base64') }), { mode: 0o600 });
    await addConnection(store, 'c-1', 'after-crash');
    expect((store.current() as { encryption?: unknown }).encryption).toEqual({ mode: 'key-file', kid: leftover.kid });
    expect(store.reveal(sealedPassword(store, 'c-1'), passwordRef('c-1')).reveal()).toBe('after-crash');
    await store.close();
  });

  it('takes the passphrase file from BACKUP_PANEL_PASSPHRASE_FILE', async () => {
    const dir = await tempDir();
    const passphraseFile = join(dir, 'pass');
    await writeFile(passphraseFile, 'from the environment\r\n', { mode: 0o600 });
    vi.stubEnv('BACKUP_PANEL_PASSPHRASE_FILE', passphraseFile);
    try {
      const path = join(dir, 'store.json');
      const store = await openStore({ path, scryptCost: FAST_SCRYPT });
      await addConnection(store, 'c-1', 'env-secret');
      await store.close();
      expect((await readJson(path)).encryption).toMatchObject({ mode: 'passphrase', kdf: { N: FAST_SCRYPT.N } });
      const reopened = await openStore({ path });
      expect(reopened.reveal(sealedPassword(reopened, 'c-1'), passwordRef('c-1')).reveal()).toBe('env-secret');
      await reopened.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('rejects secrets that are not well-formed Unicode, saving nothing', async () => {
    const { path, store } = await newStore();
    const before = await readFile(path, 'utf8');
    await expect(addConnection(store, 'c-1', 'half \ud800 surrogate')).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('not well-formed') });
    expect(await readFile(path, 'utf8')).toBe(before);
    await store.close();
  });

  it('property: reveal(seal(s)) === s for any well-formed string (vault)', () => {
    const vault = Vault.generate();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ minLength: 1, maxLength: 20 }), (secret, id) => {
        fc.pre((secret as string & { isWellFormed(): boolean }).isWellFormed());
        const aad = secretAad(connectionSecretRef(id, CONNECTION_SECRET_FIELDS.password));
        return vault.open(vault.seal(secret, aad), aad) === secret;
      }),
      { numRuns: 500 },
    );
  });

  it('property: a secret sealed by a store update reveals to itself from a reopened store', async () => {
    const { path, store } = await newStore();
    await addConnection(store, 'c-1', 'initial');
    await store.close();
    const writer = await openStore({ path });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (secret) => {
        await writer.update((draft, tools) => {
          const c = draft.connections[0] as Connection;
          if (c.credential.kind !== 'basic') throw new Error('expected basic');
          c.credential.password = tools.seal(secret, passwordRef('c-1'));
          return { change: { action: 'connection.password', fields: ['credential.password'] }, result: undefined };
        });
        const reader = await openStore({ path, readOnly: true });
        await reader.reload();
        const revealed = reader.reveal(sealedPassword(reader, 'c-1'), passwordRef('c-1')).reveal();
        await reader.close();
        return revealed === secret;
      }),
      { numRuns: 60 },
    );
    await writer.close();
  });
});

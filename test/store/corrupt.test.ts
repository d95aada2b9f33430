import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyDocument, hasUnsafeCharacters } from '../../src/domain/index.js';
import type { StoreErrorCode } from '../../src/store/index.js';
import { openStore, StoreError } from '../../src/store/index.js';
import { runWriter } from './helpers/children.js';
import { listDir, sha256, tempDir } from './helpers/tmp.js';

const SEALED = { $enc: 'v1', kid: '0123456789abcdef', iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA', tag: 'AAAAAAAAAAAAAAAAAAAAAA==' };

function connection(id: string, displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    displayName,
    created: '2020-03-02T09:15:00Z',
    service: 'exchange',
    location: 'onpremises',
    server: 'ex01.corp.contoso.com',
    credential: { kind: 'basic', userName: 'CORP\\svc', password: SEALED },
    ...extra,
  };
}

function doc(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...emptyDocument(), connections: [connection('c-1', 'one'), connection('c-2', 'two'), connection('c-3', 'three')], ...overrides }, null, 2);
}

interface Case {
  readonly name: string;
  readonly content: string | Buffer;
  readonly code: StoreErrorCode;
  /** Substrings the one-line message must contain (besides the path). */
  readonly says: readonly string[];
  /** A snippet of the file that must not be echoed. */
  readonly secret?: string;
  readonly maxBytes?: number;
}

const valid = doc();
const CANARY = 'hunter2SuperSecret';

const cases: Case[] = [
  { name: 'an empty file', content: '', code: 'invalid', says: ['is empty'] },
  { name: 'only whitespace', content: '  \n\n', code: 'invalid', says: ['is empty'] },
  { name: 'null', content: 'null', code: 'invalid', says: ['top level is null'] },
  { name: 'a list', content: '[]', code: 'invalid', says: ['top level is a list'] },
  { name: 'a number', content: '42', code: 'invalid', says: ['top level is a number'] },
  { name: 'truncated JSON', content: valid.slice(0, Math.floor(valid.length / 2)), code: 'invalid', says: ['not valid JSON', 'ends too early', 'line '] },
  {
    name: 'invalid JSON with a secret in it',
    content: `{\n  "schemaVersion": 2,\n  "password": ${CANARY}\n}`,
    code: 'invalid',
    says: ['not valid JSON: unexpected character at line 3, column 15'],
    secret: CANARY,
  },
  { name: 'a trailing comma', content: '{"schemaVersion": 2,}', code: 'invalid', says: ['expected a property name in double quotes at line 1, column 21'] },
  { name: 'NUL bytes', content: Buffer.alloc(64), code: 'invalid', says: ['not valid JSON', 'line 1, column 1'] },
  { name: 'bytes that are not UTF-8', content: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), code: 'invalid', says: ['not UTF-8'] },
  { name: 'a wrong type', content: doc({ revision: '3' }), code: 'invalid', says: ['revision: Invalid input: expected number'] },
  { name: 'connections not a list', content: doc({ connections: {} }), code: 'invalid', says: ['connections: Invalid input: expected array'] },
  {
    name: 'a wrong credential kind',
    content: doc({ connections: [connection('c-1', 'one'), connection('c-2', 'two'), connection('c-3', 'contoso.sharepoint.com', { credential: { kind: 'nope' } })] }),
    code: 'invalid',
    says: ["connections[2].credential.kind (connection 'contoso.sharepoint.com'): Invalid input", '(and 2 more problems)'],
  },
  {
    name: 'a wrongly typed password, without echoing it',
    content: doc({ connections: [connection('c-1', 'one', { credential: { kind: 'basic', userName: 'u', password: CANARY } })] }),
    code: 'invalid',
    says: ["connections[0].credential.password (connection 'one')"],
    secret: CANARY,
  },
  {
    name: 'a key with an escape sequence',
    content: doc({ connections: [connection('c-1', 'one', { credential: { kind: 'basic', userName: 'u', password: SEALED, '\u001b]0;pwned\u0007': 1 } })] }),
    code: 'invalid',
    says: ['\\x1b]0;pwned\\x07'],
  },
  {
    name: 'a display name with an escape sequence',
    content: doc({ connections: [connection('c-1', 'evil\u001b[2J\u009b31m\u202ename', { created: 'yesterday' })] }),
    code: 'invalid',
    says: ["connections[0].created (connection 'evil\\x1b[2J\\x9b31m\\u202ename')"],
  },
  {
    name: 'a newer schema version',
    content: doc({ schemaVersion: 3 }),
    code: 'newer-version',
    says: ['written by a newer version of backup-panel (schema 3; this release reads up to 2) — upgrade; the file was left unchanged'],
  },
  { name: 'an unknown schema version', content: doc({ schemaVersion: 1 }), code: 'invalid', says: ['unknown schema version 1'] },
  { name: 'a schema version that is not a number', content: doc({ schemaVersion: '2' }), code: 'invalid', says: ['schemaVersion: expected a whole number'] },
  { name: 'no version at all', content: JSON.stringify({ connections: [] }), code: 'invalid', says: ['no schemaVersion'] },
  { name: 'an unknown version-1 style version', content: JSON.stringify({ version: 7, connections: [] }), code: 'invalid', says: ['unknown version'] },
  { name: 'a duplicate id', content: doc({ connections: [connection('c-1', 'one'), connection('c-1', 'again')] }), code: 'invalid', says: ["connections[1].id (connection 'again'): duplicate connection id 'c-1'"] },
  { name: 'a damaged encryption record', content: doc({ encryption: { mode: 'key-file', kid: 'xyz' } }), code: 'invalid', says: ['encryption.kid'] },
  { name: 'a file over the size cap', content: valid, maxBytes: 100, code: 'too-large', says: ['too large', 'the limit is 0.0 MB', 'left unchanged'] },
];


async function expectRefused(path: string, expected: { code: StoreErrorCode; says: readonly string[]; secret?: string }, options: { maxBytes?: number } = {}): Promise<StoreError> {
  const error = await openStore({ path, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StoreError);
  const storeError = error as StoreError;
  expect(storeError.code).toBe(expected.code);
  expect(storeError.message).toContain(path);
  for (const text of expected.says) expect(storeError.message).toContain(text);
  expect(hasUnsafeCharacters(storeError.message)).toBe(false);
  expect(storeError.message.split('\n')).toHaveLength(1);
  if (expected.secret) expect(storeError.message).not.toContain(expected.secret);
  expect(storeError.stack ?? '').not.toContain(CANARY);
  return storeError;
}

describe('files the store cannot use are refused with one clear line and never touched', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = await tempDir();
      const path = join(dir, 'store.json');
      await writeFile(path, c.content, { mode: 0o600 });
      const before = await sha256(path);
      await expectRefused(path, c, c.maxBytes ? { maxBytes: c.maxBytes } : {});
      expect(await sha256(path)).toBe(before);
      // No key, backup, lock, temp or audit log appeared.
      expect(await listDir(dir)).toEqual(['store.json']);
    });
  }

  it('a huge sparse file is refused from its size, before reading it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    execFileSync('truncate', ['-s', '200M', path]);
    const before = await stat(path);
    const error = await expectRefused(path, { code: 'too-large', says: ['too large (200.0 MB; the limit is 64.0 MB)'] });
    expect(error.path).toBe(path);
    const after = await stat(path);
    expect({ size: after.size, ino: after.ino, mtime: after.mtimeMs, blocks: after.blocks }).toEqual({ size: before.size, ino: before.ino, mtime: before.mtimeMs, blocks: before.blocks });
    expect(await listDir(dir)).toEqual(['store.json']);
  });

  it('a directory in place of the file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    await mkdir(path);
    const before = await stat(path);
    await expectRefused(path, { code: 'unreadable', says: ['is a directory', 'EISDIR'] });
    expect(await readdir(path)).toEqual([]);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect(await listDir(dir)).toEqual(['store.json']);
  });

  it('a UTF-8 byte order mark is accepted (and dropped on the next save)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]));
    const store = await openStore({ path });
    expect(store.current().connections).toHaveLength(3);
    await store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute' }, result: undefined };
    });
    await store.close();
    const bytes = await readFile(path);
    expect(bytes[0]).toBe(0x7b);
  });

  it('a missing file is not created when asked not to, nor when read-only', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    await expect(openStore({ path, create: false })).rejects.toMatchObject({ code: 'missing', message: expect.stringContaining('does not exist') });
    await expect(openStore({ path, readOnly: true })).rejects.toMatchObject({ code: 'missing' });
    expect(await listDir(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)('a file the user may not read: permission denied, nothing created', async () => {
    const dir = await tempDir();
    await chmod(dir, 0o755);
    const path = join(dir, 'store.json');
    await writeFile(path, valid, { mode: 0o600 });
    const before = await sha256(path);
    const result = await runWriter<{ ok: boolean; code: string; message: string }>(['open', path], { uid: 65534, gid: 65534 });
    expect(result.ok).toBe(false);
    expect(result.code).toBe('unreadable');
    expect(result.message).toBe(`cannot read ${path}: permission denied (EACCES); nothing was changed`);
    expect(await sha256(path)).toBe(before);
    expect(await listDir(dir)).toEqual(['store.json']);
  });
});

describe('odd things in place of the file', () => {
  it('a FIFO does not hang the panel', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    execFileSync('mkfifo', [path]);
    await expect(openStore({ path })).rejects.toMatchObject({ code: 'unreadable', message: `cannot read ${path}: it is not a regular file; nothing was changed` });
  });

  it('a symlinked store is saved where the link points, and the link stays', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'real'));
    const target = join(dir, 'real', 'store.json');
    await writeFile(target, valid, { mode: 0o600 });
    const link = join(dir, 'store.json');
    await symlink(target, link);
    const store = await openStore({ path: link });
    await store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute' }, result: undefined };
    });
    await store.close();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, 'utf8')).notifications.muted).toEqual(['job-failed']);
  });
});

describe('a damaged store with a good backup beside it (issue 11, item 5)', () => {
  it('names the backup, its revision and the commands that use it; following them brings the store back', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    const store = await openStore({ path, now: () => new Date('2026-03-01T12:00:00.000Z') });
    for (const category of ['job-failed', 'connection-failed']) {
      await store.update((draft) => {
        draft.notifications.muted = [...draft.notifications.muted, category];
        return { change: { action: 'alerts.mute' }, result: undefined };
      });
    }
    await store.close();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2)); // truncated, as after a disk-full copy
    const error = await openStore({ path }).then(
      () => undefined,
      (e: unknown) => e as StoreError,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error?.message).toMatch(/^.* is not valid JSON: the file ends too early \(truncated\?\) at line \d+, column \d+; the file was left unchanged\. /);
    expect(error?.message).toContain(
      `The last good version (revision 1, saved 2026-03-01T12:00:00.000Z) is in ${path}.bak: look at it with backup-panel --store '${path}.bak' --read-only, ` +
        `or put it back with mv '${path}' '${path}.damaged' && cp -p '${path}.bak' '${path}'`,
    );
    expect(error?.message).not.toContain('\n');
    // What the message says to do, done by a shell.
    execFileSync('sh', ['-c', `mv '${path}' '${path}.damaged' && cp -p '${path}.bak' '${path}'`]);
    const restored = await openStore({ path });
    expect(restored.current()).toMatchObject({ revision: 1, notifications: { muted: ['job-failed'] } });
    await restored.close();
  });

  it('says nothing of a backup when there is none, or when it is damaged too', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    await writeFile(path, '{"schemaVersion": 2,', { mode: 0o600 });
    await expect(openStore({ path })).rejects.toThrow(/the file was left unchanged$/);
    await writeFile(`${path}.bak`, '{', { mode: 0o600 });
    await expect(openStore({ path })).rejects.toThrow(/the file was left unchanged$/);
  });
});

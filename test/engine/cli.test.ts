import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURE_V1, filesIn, runCli } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { engineWorld, type EngineWorld } from './world.js';

/** The CLI of contract §8 as scripts use it: the built program, the sandbox on loopback. */
describe('storages, jobs and restore export from the command line', () => {
  let world: EngineWorld;
  let env: Record<string, string>;
  let store: string;
  const cli = (args: string[], input?: string) => runCli([...args, '--store', store], { env, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
  const outputs: string[] = [];
  const record = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);

  beforeAll(async () => {
    world = await engineWorld({ mailboxes: 2, messages: 10, largeMessages: 0, files: 0, largeFiles: 0 }, { storeFrom: FIXTURE_V1 });
    await world.addConnection({ id: 'c-exo', service: 'exchange' });
    await world.store.close();
    store = join(world.dir, 'store.json');
    env = { BACKUP_PANEL_M365_ENDPOINT: world.sandbox.url };
  }, 60_000);
  afterAll(() => world?.sandbox.close());

  it('storages create prints the recovery key once; list and an occupied folder answer as the contract says', async () => {
    const created = await cli(['storages', 'create', 'Second', '--path', join(world.dir, 'second'), '--retention-days', '7', '--json']);
    record(created);
    expect(created.code, created.stderr).toBe(0);
    const doc = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['id', 'name', 'path', 'recoveryKey', 'retentionDays']);
    const listed = JSON.parse((await cli(['storages', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(listed.map((s) => s.name)).toEqual(['Main', 'Second']);
    expect(Object.keys(listed[1]!).sort()).toEqual(['bytesOriginal', 'bytesStored', 'id', 'items', 'name', 'path', 'retentionDays']);
    expect(JSON.stringify(listed)).not.toContain(String(doc.recoveryKey));
    const again = await cli(['storages', 'create', 'Third', '--path', join(world.dir, 'second')]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a job on on-premises SharePoint in one line, and a version-1 job without a storage names the fix', async () => {
    const sp = await cli(['jobs', 'create', 'SP', '--connection', 'c-4', '--storage', 'Main']);
    expect(sp.code).toBe(2);
    expect(sp.stderr).toBe('backup-panel: This version does not back up on-premises SharePoint; choose an Exchange or SharePoint Online connection.\n');
    const v1 = await cli(['jobs', 'run', 'j-3']);
    expect(v1.code).toBe(1);
    expect(v1.stderr).toMatch(/^backup-panel: Job 'On-prem mailboxes' has no storage yet \(jobs of the previous version have none\); choose one: backup-panel jobs edit j-3 --storage <storage>\n$/);
    const list = JSON.parse((await cli(['jobs', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(list.find((j) => j.id === 'j-3')).toMatchObject({ sources: 'all', storage: null, schedule: 'continuous, idle 00:01:00' });
  });

  it('jobs run does a cycle (progress on stderr, --json figures), history and browse show it, export writes .eml', async () => {
    const created = await cli(['jobs', 'create', 'Mail', '--connection', 'c-exo', '--storage', 'Main', '--sources', 'all', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const run = await cli(['jobs', 'run', 'Mail', '--json']);
    record(run);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^progress: \d+\/\d+ sources · \d+ items/m);
    const cycle = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(cycle).sort()).toEqual(['backedUp', 'bytes', 'endedAt', 'errors', 'job', 'jobId', 'removed', 'restored', 'result', 'scanned', 'startedAt']);
    expect(cycle).toMatchObject({ job: 'Mail', result: 'succeeded', removed: 0, restored: 0, errors: [] });
    expect(cycle.backedUp).toBeGreaterThanOrEqual(20);

    const history = JSON.parse((await cli(['jobs', 'history', 'Mail', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ result: 'succeeded', backedUp: cycle.backedUp });

    const top = JSON.parse((await cli(['storages', 'browse', 'Main', '--json'])).stdout) as { path: string; entries: Array<{ name: string; kind: string }> };
    expect(top.path).toBe('');
    const upn = top.entries.find((e) => e.kind === 'source' && world.sandbox.mail.messages(e.name, 'inbox').length > 0)!.name;
    const inbox = JSON.parse((await cli(['storages', 'browse', 'Main', `${upn}/Inbox`, '--json'])).stdout) as { entries: Array<Record<string, unknown>> };
    const items = inbox.entries.filter((e) => e.kind === 'item');
    expect(items.length).toBe(world.sandbox.mail.messages(upn, 'inbox').length);
    expect(Object.keys(items[0]!).sort()).toEqual(['date', 'id', 'kind', 'name', 'size', 'title']);
    expect((await cli(['storages', 'browse', 'Main', `${upn}/No such folder`])).code).toBe(2);

    const out = join(world.dir, 'exported');
    const exported = await cli(['restore', 'export', '--storage', 'Main', '--from', `${upn}/Inbox`, '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const inFolders = world.sandbox.mail.folders(upn).filter((f) => f.path === 'Inbox' || f.path.startsWith('Inbox/'));
    const expected = inFolders.reduce((n, f) => n + world.sandbox.mail.messages(upn, f.id).length, 0);
    expect((JSON.parse(exported.stdout) as { exported: number }).exported).toBe(expected);
    expect((await filesIn(out)).filter((f) => f.path.endsWith('.eml'))).toHaveLength(expected);
    expect((await cli(['storages', 'check', 'Main'])).code).toBe(0);
  });

  it('a second run of a running job is refused naming the holder; jobs stop ends it as stopped', async () => {
    const upn = 'admin@contoso.onmicrosoft.com';
    const jobId = (JSON.parse((await cli(['jobs', 'list', '--json'])).stdout) as Array<{ id: string; name: string }>).find((j) => j.name === 'Mail')!.id;
    world.sandbox.mail.addMessage(upn, 'inbox', { subject: 'Held one' });
    const release = world.sandbox.mail.hold(upn);
    const first = spawn(process.execPath, [CLI, 'jobs', 'run', 'Mail', '--json', '--store', store], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    first.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => first.on('close', resolve));
    while (world.sandbox.mail.inFlight(upn) === 0) await new Promise((r) => setTimeout(r, 20));
    const second = await cli(['jobs', 'run', 'Mail']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^backup-panel: Job 'Mail' is already running \(pid \d+ on .+, user .+, since .+\)\.\n$/);
    const deleting = await cli(['jobs', 'delete', 'Mail', '--yes']);
    expect(deleting.code).toBe(1);
    const stop = await cli(['jobs', 'stop', 'Mail']);
    expect(stop.code, stop.stderr).toBe(0);
    // The cycle says in its live status that it saw the request; then the held requests may finish.
    const status = join(`${store}.runs`, `${jobId}.status.json`);
    while (!(await readFile(status, 'utf8').catch(() => '')).includes('"stopping":true')) await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await exited).toBe(0);
    expect((JSON.parse(stdout) as { result: string }).result).toBe('stopped');
    expect((await cli(['jobs', 'stop', 'Mail'])).code).toBe(1);
  }, 60_000);

  it('keeps secrets out of the store, the storage, stdout and stderr; the storage shows no subject', async () => {
    const files = await filesIn(world.dir);
    const subjects = world.sandbox.mail.messages('admin@contoso.onmicrosoft.com', 'inbox').map((m) => m.subject).filter((s) => s.length >= 8);
    expect(subjects.length).toBeGreaterThan(3);
    const storageFiles = files.filter((f) => f.path.startsWith(join(world.dir, 'storage')));
    expect(storageFiles.length).toBeGreaterThan(3);
    for (const f of storageFiles) {
      for (const subject of subjects) expect(f.content.includes(subject), `${subject} in ${f.path}`).toBe(false);
      expect(f.content.includes('admin@contoso.onmicrosoft.com'), f.path).toBe(false);
    }
    const secret = 'engine-test-secret-c-exo';
    for (const f of files.filter((f) => !f.path.includes('exported'))) expect(f.content.includes(secret), f.path).toBe(false);
    for (const text of outputs) {
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
      for (const subject of subjects) expect(text).not.toContain(subject);
    }
  });
});

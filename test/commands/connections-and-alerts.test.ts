import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORDS, filesIn, fixtureStore, runCli } from '../helpers/cli.js';

const OBSOLETE_TEXT = (name: string) =>
  `Server connection '${name}' needs to be reconfigured to use Modern Authentication (OAuth 2.0) when connecting to Office 365. ` +
  'Otherwise, jobs that use this connection will stop working when Basic Authentication is disabled for your tenant.';

describe('connections list', () => {
  it('lists the six v1 connections with obsolete flags, authentication types and the jobs using them', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'list', '--json', '--store', store]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(rows.filter((r) => r.obsolete).map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-5']);
    expect(byId['c-1']).toMatchObject({ name: 'admin@contoso.onmicrosoft.com', service: 'exchange', location: 'online', authType: 'legacy', usedBy: ['Mailboxes - nightly', 'Restore CEO mailbox'] });
    expect(byId['c-2']).toMatchObject({ service: 'sharepoint', location: 'online', usedBy: ['SharePoint sites - weekly'] });
    expect(byId['c-3']).toMatchObject({ service: 'exchange', location: 'onpremises', authType: 'legacy', obsolete: false, usedBy: ['On-prem mailboxes'] });
    expect(byId['c-4']).toMatchObject({ service: 'sharepoint', location: 'onpremises', authType: 'legacy', usedBy: [] });
    expect(byId['c-5']).toMatchObject({ usedBy: ['Fabrikam mailboxes'] });
    expect(byId['c-6']).toMatchObject({ name: 'Autodiscover (corp.contoso.com)', location: 'onpremises', usedBy: [] });
  });

  it('prints a table with the [obsolete] suffix for people', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'list', '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/c-1\s+Exchange\s+admin@contoso\.onmicrosoft\.com \[obsolete\]\s+Microsoft 365\s+legacy/);
    expect(result.stdout).toMatch(/c-3\s+Exchange\s+ex01\.corp\.contoso\.com\s+On-premises\s+legacy/);
  });
});

describe('after a command that writes', () => {
  it('no fixture password is left in plain text anywhere beside the store, and secrets are 0600', async () => {
    const { dir, store } = await fixtureStore();
    expect((await runCli(['alerts', 'mute', 'job-failed', '--store', store])).code).toBe(0);
    const files = await filesIn(dir);
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      for (const password of FIXTURE_PASSWORDS) expect(file.content.includes(password), `${password} in ${file.path}`).toBe(false);
      expect(file.mode, file.path).toBe(0o600);
    }
  });
});

describe('alerts', () => {
  it('lists one obsolete-connection alert per obsolete connection with the exact text, plus the v1 event', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['alerts', 'list', '--json', '--store', store]);
    expect(result.code).toBe(0);
    const alerts = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const obsolete = alerts.filter((a) => a.category === 'obsolete-connection');
    expect(obsolete.map((a) => a.connectionId)).toEqual(['c-1', 'c-2', 'c-5']);
    expect(obsolete.map((a) => a.message)).toEqual([
      OBSOLETE_TEXT('admin@contoso.onmicrosoft.com'),
      OBSOLETE_TEXT('contoso.sharepoint.com'),
      OBSOLETE_TEXT('backup@fabrikam.onmicrosoft.com'),
    ]);
    for (const a of obsolete) expect(a).toMatchObject({ permanent: true, severity: 'warning' });
    const events = alerts.filter((a) => a.category === 'job-failed');
    expect(events).toEqual([
      expect.objectContaining({ id: 'a-1', permanent: false, jobId: 'j-5', message: "Job 'Fabrikam mailboxes' failed: the server did not respond.", createdAt: '2020-06-19T23:02:00Z' }),
    ]);
    for (const a of alerts) expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'category', 'severity', 'message', 'permanent', 'createdAt']));
  });

  it('mute hides the obsolete alerts across restarts, --all still shows them, unmute brings them back', async () => {
    const { store } = await fixtureStore();
    expect((await runCli(['alerts', 'mute', 'obsolete-connection', '--store', store])).code).toBe(0);
    const muted = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string }>;
    expect(muted.map((a) => a.category)).toEqual(['job-failed']);
    const all = JSON.parse((await runCli(['alerts', 'list', '--json', '--all', '--store', store])).stdout) as Array<{ category: string }>;
    expect(all.filter((a) => a.category === 'obsolete-connection')).toHaveLength(3);
    expect((await runCli(['alerts', 'unmute', 'obsolete-connection', '--store', store])).code).toBe(0);
    const back = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string }>;
    expect(back.filter((a) => a.category === 'obsolete-connection')).toHaveLength(3);
  });

  it('an unknown category is bad input (exit 2) and changes nothing', async () => {
    const { store } = await fixtureStore();
    await runCli(['alerts', 'list', '--store', store]);
    const before = await readFile(store);
    const result = await runCli(['alerts', 'mute', 'obsolete', '--store', store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown alert category 'obsolete'");
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readFile(store)).toEqual(before);
  });

  it('dismiss removes the event; dismissing a permanent alert is refused with the reason', async () => {
    const { store } = await fixtureStore();
    expect((await runCli(['alerts', 'dismiss', 'a-1', '--store', store])).code).toBe(0);
    const after = JSON.parse((await runCli(['alerts', 'list', '--json', '--all', '--store', store])).stdout) as Array<{ id: string }>;
    expect(after.map((a) => a.id)).not.toContain('a-1');
    const refused = await runCli(['alerts', 'dismiss', 'obsolete-connection:c-1', '--store', store]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/permanent.*reconfigured/);
  });
});

describe('jobs list', () => {
  it('shows every job with its connection, obsolete flag and last result', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['jobs', 'list', '--json', '--store', store]);
    expect(result.code).toBe(0);
    const jobs = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(jobs.map((j) => j.id)).toEqual(['j-1', 'j-2', 'j-3', 'j-4', 'j-5']);
    expect(jobs[0]).toMatchObject({ name: 'Mailboxes - nightly', kind: 'backup', connectionId: 'c-1', connectionObsolete: true, lastRun: { result: 'succeeded' } });
    expect(jobs[3]).toMatchObject({ id: 'j-4', kind: 'restore', lastRun: null });
    expect(jobs[4]).toMatchObject({ id: 'j-5', lastRun: { result: 'failed' } });
  });
});

describe('check (monitoring)', () => {
  it('exits 1 with one WARNING line on the fixture (obsolete connections)', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['check', '--store', store]);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/^BACKUP-PANEL WARNING - 3 obsolete connections/);
  });

  it('exits 0 when nothing needs attention', async () => {
    const { dir, store } = await fixtureStore();
    const v1 = JSON.parse(await readFile(store, 'utf8')) as { connections: Array<{ id: string; location: string }>; jobs: Array<{ connectionId: string }>; alerts: unknown[] };
    v1.connections = v1.connections.filter((c) => c.location === 'onpremises');
    v1.jobs = v1.jobs.filter((j) => v1.connections.some((c) => c.id === j.connectionId));
    v1.alerts = [];
    await writeFile(store, JSON.stringify(v1));
    const result = await runCli(['check', '--store', store]);
    expect(result.stdout).toMatch(/^BACKUP-PANEL OK - /);
    expect(result.code).toBe(0);
    expect(dir).toBeTruthy();
  });

  it('exits 3 (UNKNOWN) when the store cannot be read, and leaves the file untouched', async () => {
    const { store } = await fixtureStore();
    await writeFile(store, '{"version": 1, "connections": [');
    const result = await runCli(['check', '--store', store]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^BACKUP-PANEL UNKNOWN - /);
    expect(await readFile(store, 'utf8')).toBe('{"version": 1, "connections": [');
  });

  it('a job that failed within the last week is CRITICAL (exit 2)', async () => {
    const { store } = await fixtureStore();
    const v1 = JSON.parse(await readFile(store, 'utf8')) as { jobs: Array<{ id: string; lastRun?: { at: string; result: string } }> };
    const j3 = v1.jobs.find((j) => j.id === 'j-3');
    if (j3) j3.lastRun = { at: new Date(Date.now() - 3600_000).toISOString(), result: 'failed' };
    await writeFile(store, JSON.stringify(v1));
    const result = await runCli(['check', '--store', store]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^BACKUP-PANEL CRITICAL - 1 job failed: 'On-prem mailboxes'/);
  });
});

describe('the panel without a terminal', () => {
  it('points at the CLI commands in one line and exits 2', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['--store', store]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/interactive terminal.*connections list/);
  });
});

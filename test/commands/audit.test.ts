import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORDS, fixtureStore, runCli } from '../helpers/cli.js';

/** Issue 16, item 9: `audit list [--json] [--since]` (contracts §7): who changed what, from the log beside the store. */

interface Row {
  at: string;
  action: string;
  entity: { type: string; id?: string; name?: string } | null;
  fields: string[];
  actor: { uid: number; user: string; claimed?: { sudoUser?: string; sshClient?: string } };
  who: string;
  from: string;
  what: string;
}

async function auditJson(store: string, ...extra: string[]): Promise<Row[]> {
  const result = await runCli(['audit', 'list', '--json', '--store', store, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('audit list', () => {
  it('lists who changed what and when, with sudo and SSH marked as claimed, and never a secret', async () => {
    const { store } = await fixtureStore();
    expect((await runCli(['alerts', 'mute', 'job-failed', '--store', store])).code).toBe(0);
    const claimed = { SUDO_USER: 'alice', SSH_CONNECTION: '203.0.113.7 50000 10.0.0.1 22' };
    expect((await runCli(['alerts', 'unmute', 'job-failed', '--store', store], { env: claimed })).code).toBe(0);

    const rows = await auditJson(store);
    expect(rows.map((r) => r.action)).toEqual(['store.migrate', 'alerts.mute', 'alerts.unmute']);
    const [, mute, unmute] = rows;
    expect(mute?.fields).toEqual(['notifications.muted']);
    expect(mute?.what).toContain('category=job-failed');
    expect(mute?.actor.claimed).toBeUndefined();
    expect(unmute?.actor.claimed).toEqual({ sudoUser: 'alice', sshClient: '203.0.113.7' });
    expect(unmute?.who).toContain('claimed: sudo by alice');
    expect(unmute?.from).toContain('claimed: ssh from 203.0.113.7');
    expect(Date.parse(unmute?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(mute?.at ?? ''));

    const table = await runCli(['audit', 'list', '--store', store]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z {2}.+claimed: sudo by alice.+alerts\.unmute notifications: notifications\.muted, category=job-failed$/);
    for (const password of FIXTURE_PASSWORDS) expect(table.stdout + JSON.stringify(rows)).not.toContain(password);
  });

  it('filters by --since (date, time or age), --who and --what, and refuses a time it cannot read (exit 2)', async () => {
    const { store } = await fixtureStore();
    expect((await runCli(['alerts', 'mute', 'job-failed', '--store', store])).code).toBe(0);
    // A change from long ago, as another tool or an older release could have written it.
    const old = { id: '00000000000000aa', ts: '2020-01-02T03:04:05.000Z', action: 'connection.edit', entity: { type: 'connection', id: 'c-3' }, fields: ['server'], details: {}, revisionBefore: 1, revisionAfter: 2, actor: { uid: 1001, user: 'carol', pid: 1, host: 'old-host' } };
    await appendFile(`${store}.audit.log`, JSON.stringify(old) + '\n');

    expect((await auditJson(store)).map((r) => r.action)).toEqual(['store.migrate', 'alerts.mute', 'connection.edit']);
    expect((await auditJson(store, '--since', '2021-01-01')).map((r) => r.action)).toEqual(['store.migrate', 'alerts.mute']);
    expect((await auditJson(store, '--since', '1d')).map((r) => r.action)).toEqual(['store.migrate', 'alerts.mute']);
    expect((await auditJson(store, '--since', '2019-12-31T23:00:00Z')).map((r) => r.action)).toHaveLength(3);
    const byCarol = await auditJson(store, '--who', 'CAROL');
    expect(byCarol.map((r) => r.action)).toEqual(['connection.edit']);
    // The connection's current name is given beside its id.
    expect(byCarol[0]?.entity).toEqual({ type: 'connection', id: 'c-3', name: 'ex01.corp.contoso.com' });
    expect((await auditJson(store, '--what', 'ex01.corp')).map((r) => r.action)).toEqual(['connection.edit']);
    expect((await auditJson(store, '--what', 'alerts', '--limit', '1')).map((r) => r.action)).toEqual(['alerts.mute']);
    expect((await auditJson(store, '--limit', '2')).map((r) => r.action)).toEqual(['alerts.mute', 'connection.edit']);
    expect(await auditJson(store, '--who', 'nobody-at-all')).toEqual([]);

    const bad = await runCli(['audit', 'list', '--since', 'last tuesday', '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('--since: Write the time as YYYY-MM-DD');
  });

  it('a hostile log cannot drive the terminal: control sequences are shown escaped, broken and huge lines are skipped and counted', async () => {
    const { store } = await fixtureStore();
    expect((await runCli(['alerts', 'mute', 'job-failed', '--store', store])).code).toBe(0);
    const hostile = {
      id: '00000000000000bb',
      ts: new Date().toISOString(),
      action: 'connection.edit\u001b[2J',
      entity: { type: 'connection', id: 'c-1\u0007' },
      fields: ['name\u009b31m'],
      details: { note: '\u202eevil' },
      revisionBefore: 2,
      revisionAfter: 3,
      actor: { uid: 0, user: 'root\u001b]0;owned\u0007', pid: 1, host: 'h', claimed: { sudoUser: 'x\r\u001b[1A' } },
    };
    await appendFile(`${store}.audit.log`, JSON.stringify(hostile) + '\n{"cut by a crash\n' + 'x'.repeat(300_000) + '\n');

    const table = await runCli(['audit', 'list', '--store', store]);
    expect(table.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the point: no raw control character reaches the terminal
    expect(table.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(table.stdout).toContain('root\\x1b]0;owned\\x07');
    expect(table.stdout).toContain('connection.edit\\x1b[2J');
    expect(table.stderr).toContain('2 lines of the audit log could not be read and were left out');
    expect(table.stdout.trim().split('\n')).toHaveLength(3);

    const json = await runCli(['audit', 'list', '--json', '--store', store]);
    // eslint-disable-next-line no-control-regex -- as above, for --json printed to a screen
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect((JSON.parse(json.stdout) as Row[]).map((r) => r.actor.user)).toContain('root\\x1b]0;owned\\x07');
  });

  it('reads only: a store without a log lists nothing, and a missing store is not created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bp-audit-'));
    try {
      const missing = join(dir, 'nope', 'store.json');
      const result = await runCli(['audit', 'list', '--store', missing]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('does not exist; nothing was created');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A version-1 store opened read-only is not migrated on disk, so there is no log yet.
    const { store } = await fixtureStore();
    const empty = await runCli(['audit', 'list', '--store', store]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('No changes recorded.\n');
    expect(await auditJson(store)).toEqual([]);
  });
});

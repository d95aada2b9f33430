import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { fixtureStore, runCli } from '../helpers/cli.js';

/** Issue 16, item 8 (CLI words): the command line names commands, not the panel's keys and tabs. */

const PANEL_WORDS = /\(Edit\)|Jobs tab|then Edit|Manage server connections/;

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = { BACKUP_PANEL_M365_ENDPOINT: sandbox.url };
});
afterAll(async () => {
  await sandbox.close();
});

describe('what to do next, in the command line’s words', () => {
  it('delete refused while jobs use it: names the jobs delete commands', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'delete', 'c-1', '--store', store]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "backup-panel: Server connection 'admin@contoso.onmicrosoft.com' is used by jobs 'Mailboxes - nightly', 'Restore CEO mailbox'. " +
        "Delete those jobs first: backup-panel jobs delete 'Mailboxes - nightly' --yes; backup-panel jobs delete 'Restore CEO mailbox' --yes.\n",
    );
  });

  it('an obsolete connection: test, run and dismiss name connections reconfigure for that connection', async () => {
    const { store } = await fixtureStore();
    const reconfigure = 'backup-panel connections reconfigure c-1 --automatic';

    const test = await runCli(['connections', 'test', 'c-1', '--store', store], { env });
    expect(test.code).toBe(1);
    expect(test.stdout).toMatch(/^FAIL {2}Basic Authentication: Microsoft 365 no longer accepts passwords/);
    expect(test.stdout).toContain(reconfigure);
    const json = await runCli(['connections', 'test', 'admin@contoso.onmicrosoft.com', '--json', '--store', store], { env });
    expect((JSON.parse(json.stdout) as { checks: Array<{ message: string }> }).checks[0]?.message).toContain(reconfigure);

    const run = await runCli(['jobs', 'run', 'j-1', '--store', store], { env });
    expect(run.stderr).toContain(`Basic Authentication is disabled for your tenant. Reconfigure it with Modern Authentication: ${reconfigure}`);

    const dismiss = await runCli(['alerts', 'dismiss', 'obsolete-connection:c-1', '--store', store]);
    expect(dismiss.code).toBe(1);
    expect(dismiss.stderr).toContain(reconfigure);

    for (const output of [test, json, run, dismiss]) expect(output.stdout + output.stderr).not.toMatch(PANEL_WORDS);
    // What is stored (the alert of the failed test) is read by the panel too: no front end's words in it.
    const alerts = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string; message: string }>;
    const failed = alerts.find((a) => a.category === 'connection-failed');
    expect(failed?.message).toMatch(/^Connection test of 'admin@contoso.onmicrosoft.com' failed: Basic Authentication: Microsoft 365 no longer accepts passwords/);
    expect(failed?.message).not.toMatch(PANEL_WORDS);
    expect(failed?.message).not.toContain('backup-panel connections');
  });
});

describe('an expiring credential, in alerts list', () => {
  it('says the command that renews it, not Edit', async () => {
    const { dir, store } = await fixtureStore();
    const { appId } = sandbox.registerApp('contoso', { displayName: 'words-secret', secret: 'words-secret-value', roles: ['Mail.ReadWrite', 'MailboxSettings.Read', 'User.Read.All'] });
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, 'words-secret-value', { mode: 0o600 });
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const created = await runCli(
      ['connections', 'create', 'exchange-online', '--name', 'Expiring', '--tenant', 'contoso.onmicrosoft.com', '--client-id', appId, '--client-secret-file', secretFile, '--secret-expires', soon, '--mailbox', 'admin@contoso.onmicrosoft.com', '--json', '--store', store],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const id = (JSON.parse(created.stdout) as { connection: { id: string } }).connection.id;
    const alerts = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string; message: string }>;
    const expiring = alerts.find((a) => a.category === 'credential-expiring');
    expect(expiring?.message).toContain(`The client secret of server connection 'Expiring' expires on ${soon}`);
    expect(expiring?.message).toContain(`backup-panel connections reconfigure ${id} --automatic`);
    expect(expiring?.message).not.toMatch(/Edit/);
  });
});

describe('an unknown command', () => {
  it("says unknown command 'x' with the closest match, exit 2, and touches nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bp-words-'));
    try {
      const store = join(dir, 'store.json');
      const cases: Array<[string[], string]> = [
        [['conections', 'list'], "backup-panel: unknown command 'conections' (did you mean 'connections'?); see 'backup-panel --help' for the commands\n"],
        [['--store', store, 'audti', 'list'], "backup-panel: unknown command 'audti' (did you mean 'audit'?); see 'backup-panel --help' for the commands\n"],
        [['stor'], "backup-panel: unknown command 'stor' (did you mean 'storages'?); see 'backup-panel --help' for the commands\n"],
        [['frobnicate'], "backup-panel: unknown command 'frobnicate'; see 'backup-panel --help' for the commands\n"],
      ];
      for (const [args, line] of cases) {
        const result = await runCli(args);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stdout, args.join(' ')).toBe('');
        expect(result.stderr, args.join(' ')).toBe(line);
      }
      const sub = await runCli(['connections', 'lst']);
      expect(sub.code).toBe(2);
      expect(sub.stderr).toContain("unknown command 'lst'");
      expect(sub.stderr).toMatch(/did you mean list\?/i);
      const help = await runCli(['help', 'audit']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: backup-panel audit');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

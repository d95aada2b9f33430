import { chmod, chown, copyFile, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_V1 } from '../helpers/cli.js';
import { closedPort } from '../auth/helpers.js';
import { copyStoreDir, fingerprint, sha256, tempDir } from './helpers/files.js';
import { KEY, Panel } from './helpers/panel.js';
import { run } from './helpers/programs.js';

/**
 * Store faults as an admin meets them: permissions, the key, a file moved away under the open
 * panel, a huge hand-edited file. CI runs as root, which ignores file permissions, so the program
 * runs as an unprivileged user (uid 65534) whenever permissions matter; a non-root run uses plain
 * chmod instead, and says so in the test names. Every case: one clear message, the files left
 * exactly as they were, and the panel still showing what it can, read-only.
 */

const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const AS = ROOT ? { uid: NOBODY, gid: NOBODY } : {};
const WHO = ROOT ? 'as an unprivileged user (uid 65534)' : 'as the current non-root user (plain chmod)';

/** Gives a path to the user the program runs as. */
async function toUser(path: string, mode: number): Promise<void> {
  if (ROOT) await chown(path, NOBODY, NOBODY);
  await chmod(path, mode);
}

/** Takes a path away from that user: root-owned 0600 (or, not being root, mode 000). */
async function awayFromUser(path: string): Promise<void> {
  if (ROOT) {
    await chown(path, 0, 0);
    await chmod(path, 0o600);
  } else {
    await chmod(path, 0o000);
  }
}

async function allToUser(dir: string, dirMode = 0o755): Promise<void> {
  for (const name of await readdir(dir)) await toUser(join(dir, name), 0o600);
  await toUser(dir, dirMode);
}

/** Migrated fixture, saved once more so that a last good backup (store.json.bak) exists. */
let template: string;
let otherKey: string;
let endpoint: string;

beforeAll(async () => {
  template = await tempDir();
  await copyFile(FIXTURE_V1, join(template, 'store.json'));
  expect((await run(['alerts', 'mute', 'credential-expiring', '--store', join(template, 'store.json')])).code).toBe(0);
  expect((await readdir(template)).sort()).toEqual(['store.json', 'store.json.audit.log', 'store.json.bak', 'store.json.key', 'store.json.v1.bak']);
  const other = await tempDir();
  await copyFile(FIXTURE_V1, join(other, 'store.json'));
  expect((await run(['connections', 'list', '--store', join(other, 'store.json')])).code).toBe(0);
  otherKey = join(other, 'store.json.key');
  // Nothing in these tests should reach Microsoft 365; if something tries, it fails fast.
  endpoint = `http://127.0.0.1:${await closedPort()}`;
});

const panels: Panel[] = [];
afterEach(() => {
  for (const p of panels.splice(0)) p.kill();
});

async function panel(store: string, extra: { uid?: number; gid?: number } = AS): Promise<Panel> {
  const p = await Panel.open(['--store', store], { cols: 100, rows: 30, env: { BACKUP_PANEL_M365_ENDPOINT: endpoint }, ...extra });
  panels.push(p);
  return p;
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe(`store faults ${WHO}`, () => {
  it(`read-only directory: reads work, saves are refused with the reason, the TUI shows the data marked READ-ONLY (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await allToUser(dir, 0o555);
    const before = await fingerprint(dir);

    const list = await run(['connections', 'list', '--json', '--store', store], AS);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(6);
    const check = await run(['check', '--store', store], AS);
    expect(check.stdout).toMatch(/^BACKUP-PANEL WARNING - 3 obsolete connections/);

    const mute = await run(['alerts', 'mute', 'job-failed', '--store', store], AS);
    expect(mute.code).toBe(1);
    expect(oneLine(mute.stderr)).toHaveLength(1);
    expect(mute.stderr).toMatch(new RegExp(`^backup-panel: ${store} is open read-only \\(\\S+ has no permission to create files in ${dir}, which saving needs \\(EACCES\\)\\); nothing was saved`));
    const job = await run(['jobs', 'run', 'j-3', '--store', store], AS);
    expect(job.code).toBe(1);
    expect(job.stderr).toMatch(/The store is open read-only \(.*EACCES.*\); a job run could not be recorded\./);

    const p = await panel(store);
    await p.waitFor('READ-ONLY');
    await p.waitFor('3 permanent · 1 event');
    await p.press('3');
    await p.waitFor('Bad news: 3 permanent');
    await p.press('n', KEY.space, KEY.enter);
    await p.waitFor('The store is read-only');
    expect(p.flowed()).toMatch(/Notification options would change the store, which is open read-only \(\S+ has no permission to create files in .*EACCES.*\)\. Nothing was changed\./);
    await p.press(KEY.enter, KEY.esc, '1', 'q');
    expect(await p.exited()).toBe(0);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it(`permission denied on the store file: one line naming the file, exit 2 (check: 3), nothing created (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await allToUser(dir);
    await awayFromUser(store);
    const before = await fingerprint(dir);
    const line = `backup-panel: cannot read ${store}: permission denied (EACCES); nothing was changed`;
    for (const args of [['connections', 'list'], ['alerts', 'mute', 'job-failed'], ['jobs', 'run', 'j-3']]) {
      const result = await run([...args, '--store', store], AS);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(oneLine(result.stderr)).toEqual([line]);
    }
    const check = await run(['check', '--store', store], AS);
    expect(check.code).toBe(3);
    expect(check.stdout.trim()).toBe(`BACKUP-PANEL UNKNOWN - cannot read ${store}: permission denied (EACCES); nothing was changed`);

    const p = await panel(store);
    expect(await p.exited()).toBe(2);
    const squeeze = (text: string) => text.replace(/\s+/g, '');
    expect(squeeze(p.text())).toContain(squeeze(line));
    expect(await fingerprint(dir)).toEqual(before);
  });

  it(`permission denied on the key file: listing works; whatever needs a secret names the key file and the fix; nothing changes (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await allToUser(dir);
    await awayFromUser(`${store}.key`);
    const before = await fingerprint(dir);
    expect((await run(['connections', 'list', '--store', store], AS)).code).toBe(0);
    for (const args of [['connections', 'test', 'c-3'], ['jobs', 'run', 'j-3']]) {
      const result = await run([...args, '--store', store], { ...AS, env: { BACKUP_PANEL_M365_ENDPOINT: endpoint } });
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(`^backup-panel: cannot read the key file ${store}\\.key: permission denied \\(EACCES\\)\\. The secrets in ${store} were sealed with key [0-9a-f]{16}\\. Run as the user that owns it, or restore it from your backup\\.$`, 'm'),
      );
    }

    const p = await panel(store);
    await p.waitFor('Defined server connections');
    await p.press('2');
    await p.waitFor('Manage server connections (6)');
    await p.press('j', 'j', 't');
    await p.waitFor(/close/);
    await p.waitFor(`Test: the store's key cannot be used: cannot read the key file ${store}.key: permission denied (EACCES)`);
    expect(p.flowed()).not.toMatch(/could not be saved/);
    await p.press(KEY.enter, KEY.esc, 'q');
    expect(await p.exited()).toBe(0);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it(`key file missing: "restore the key file", no new key is made, the store is untouched (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await rm(`${store}.key`);
    await allToUser(dir);
    const before = await fingerprint(dir);
    for (const args of [['connections', 'test', 'c-3'], ['jobs', 'run', 'j-3']]) {
      const result = await run([...args, '--store', store], { ...AS, env: { BACKUP_PANEL_M365_ENDPOINT: endpoint } });
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLine(result.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^backup-panel: cannot read the key file ${store}\\.key: it does not exist\\. The secrets in ${store} were sealed with key [0-9a-f]{16}\\. Restore the key file from your backup\\.$`)),
      ]);
    }
    expect((await run(['connections', 'list', '--json', '--store', store], AS)).code).toBe(0);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it(`another store's key file: names both keys and asks for the matching one; nothing changes (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await copyFile(otherKey, `${store}.key`);
    await allToUser(dir);
    const before = await fingerprint(dir);
    const result = await run(['connections', 'test', 'c-3', '--store', store], { ...AS, env: { BACKUP_PANEL_M365_ENDPOINT: endpoint } });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^backup-panel: the key file ${store}\\.key holds key [0-9a-f]{16}, but ${store} was sealed with key [0-9a-f]{16}; restore the matching key file from your backup\\.$`)),
    ]);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it(`the store moved away while the panel is open: it keeps the data, says the file is gone, refuses to save, never recreates it, and carries on when it is back (${WHO})`, async () => {
    const { dir, store } = await copyStoreDir(template);
    await allToUser(dir);
    const p = await panel(store);
    await p.waitFor('3 permanent · 1 event');
    const moved = `${store}.moved`;
    await rename(store, moved);
    const movedBytes = await sha256(moved);
    // Within a poll or two the panel says so, and keeps showing the data…
    await p.waitFor('The store file is gone: showing the last data; saving is off until it is back.');
    expect(p.text()).toContain('3 permanent · 1 event');
    expect(p.text()).toContain("Server connection 'admin@contoso.onmicrosoft.com' needs to be reconfigured");
    // …a save is refused, saying why…
    await p.press('3');
    await p.waitFor('Bad news: 3 permanent');
    await p.press('n', KEY.space, KEY.enter);
    await p.waitFor(`${store} was removed since it was opened; nothing was saved`);
    await p.press(KEY.enter, KEY.esc);
    // …and a dismiss too; nothing appears in the directory.
    await p.press('G', 'x');
    await p.waitFor(`${store} was removed since it was opened; nothing was saved`);
    await p.press(KEY.enter);
    expect((await readdir(dir)).sort()).toEqual(['store.json.audit.log', 'store.json.bak', 'store.json.key', 'store.json.moved', 'store.json.v1.bak']);
    expect(await sha256(moved)).toBe(movedBytes);
    // Put back, the panel notices and saving works again.
    await rename(moved, store);
    await p.waitFor('The store file is back; saving works again.');
    await p.press('G', 'x');
    await p.waitFor('Alert dismissed');
    await p.press('1', 'q');
    expect(await p.exited()).toBe(0);
    const audit = (await readFile(`${store}.audit.log`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(audit.map((a) => a.action)).toEqual(['store.migrate', 'alerts.mute', 'alerts.dismiss']);
  });
});

describe('a huge hand-edited store (24 MB, 45,000 connections)', () => {
  let big: { valid: string; invalid: string };
  beforeAll(async () => {
    const doc = JSON.parse(await readFile(join(template, 'store.json'), 'utf8')) as { connections: Array<Record<string, unknown>> };
    const base = doc.connections.find((c) => c.id === 'c-3') as Record<string, unknown>;
    for (let i = 0; i < 45_000; i++) doc.connections.push({ ...base, id: `c-big-${i}`, displayName: `server-${i}.corp.contoso.com` });
    const valid = `${JSON.stringify(doc, null, 2)}\n`;
    (doc.connections[40_000] as Record<string, unknown>).created = 12345;
    big = { valid, invalid: `${JSON.stringify(doc, null, 2)}\n` };
    expect(valid.length).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('valid: every command reads it', async () => {
    const { store } = await copyStoreDir(template);
    await writeFile(store, big.valid, { mode: 0o600 });
    const list = await run(['connections', 'list', '--json', '--store', store]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(45_006);
    expect((await run(['check', '--store', store])).code).toBe(1);
  });

  it('invalid deep inside: one line with the JSON path and the connection, exit 2 / check 3, file untouched; the panel opens the last good backup read-only', async () => {
    const { dir, store } = await copyStoreDir(template);
    await writeFile(store, big.invalid, { mode: 0o600 });
    const before = await fingerprint(dir);
    const problem = `${store} is not a valid backup-panel store: connections[40000].created (connection 'server-39994.corp.contoso.com'): Invalid input: expected string, received number; the file was left unchanged`;
    // …and where the last good version is, with the commands that use it.
    const hint = new RegExp(
      `^\\. The last good version \\(revision 1, saved [0-9T:.Z-]+\\) is in ${store}\\.bak: look at it with backup-panel --store '${store}\\.bak' --read-only, ` +
        `or put it back with mv '${store}' '${store}\\.damaged' && cp -p '${store}\\.bak' '${store}'$`,
    );
    for (const args of [['connections', 'list'], ['alerts', 'mute', 'job-failed']]) {
      const result = await run([...args, '--store', store]);
      expect(result.code).toBe(2);
      const lines = oneLine(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith(`backup-panel: ${problem}`)).toBe(true);
      expect(lines[0]?.slice(`backup-panel: ${problem}`.length)).toMatch(hint);
    }
    const check = await run(['check', '--store', store]);
    expect(check.code).toBe(3);
    expect(check.stdout.trim().startsWith(`BACKUP-PANEL UNKNOWN - ${problem}. The last good version`)).toBe(true);

    const p = await panel(store, {});
    await p.waitFor('READ-ONLY');
    expect(p.text()).toContain(`Store: ${store}.bak`);
    // The banner has two lines: what is shown, then why, down to the JSON path at least.
    expect(p.flowed()).toContain(`Showing the last good backup (${store}.bak), read-only: ${store} is not a valid backup-panel store: connections[40000].created`);
    await p.waitFor('3 permanent · 1 event');
    await p.press('2');
    await p.waitFor('Manage server connections (6)');
    await p.press('3', 'n', KEY.space, KEY.enter);
    await p.waitFor('The store is read-only');
    await p.press(KEY.enter, KEY.esc, '1', 'q');
    expect(await p.exited()).toBe(0);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it('not UTF-8 (a Latin-1 editor): the panel opens the last good backup read-only, saying why', async () => {
    const { dir, store } = await copyStoreDir(template);
    const text = await readFile(store);
    const at = text.indexOf('ex01.corp.contoso.com');
    await writeFile(store, Buffer.concat([text.subarray(0, at), Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), text.subarray(at + 4)]), { mode: 0o600 });
    const before = await fingerprint(dir);
    const p = await panel(store, {});
    await p.waitFor('READ-ONLY');
    expect(p.flowed()).toContain(`Showing the last good backup (${store}.bak), read-only: ${store} is not UTF-8 text (is it the right file?)`);
    await p.waitFor('3 permanent · 1 event');
    await p.press('q');
    expect(await p.exited()).toBe(0);
    expect(await fingerprint(dir)).toEqual(before);
  });
});

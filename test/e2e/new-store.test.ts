import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, PanelSession } from './terminal.js';

/** The panel creates a store only after asking (issue 11, item 4; contracts §7). */

const sessions: PanelSession[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.kill();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bp-newstore-'));
  dirs.push(dir);
  return dir;
}

/** The screen without whitespace: the terminal wraps long lines anywhere, also inside words. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

async function waitForQuestion(panel: PanelSession, text: string): Promise<void> {
  await panel.waitFor((p) => squeeze(p.text()).includes(squeeze(text)));
}

function open(args: string[], env: Record<string, string | undefined> = {}): PanelSession {
  const panel = new PanelSession(args, { env: { NO_COLOR: '1', BACKUP_PANEL_STORE: undefined, ...env } });
  sessions.push(panel);
  return panel;
}

describe('the panel on a path without a store', () => {
  it('asks first; no (the default for a path given) creates nothing and exits 1', async () => {
    const dir = await emptyDir();
    const store = join(dir, 'typo', 'store.json');
    const panel = open(['--store', store]);
    await waitForQuestion(panel, `There is no store at ${store}. Create a new, empty store there? [y/N]`);
    await panel.press(KEY.enter);
    expect(await panel.exited()).toBe(1);
    expect(squeeze(panel.text())).toContain(squeeze(`nothing was created at ${store}`));
    expect(await readdir(dir)).toEqual([]);
  });

  it('Ctrl-C at the question creates nothing either', async () => {
    const dir = await emptyDir();
    const panel = open(['--store', join(dir, 'store.json')]);
    await waitForQuestion(panel, 'Create a new, empty store there?');
    await panel.press('\x03');
    expect(await panel.exited()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('yes creates the store and opens the panel on it', async () => {
    const dir = await emptyDir();
    const store = join(dir, 'new', 'store.json');
    const panel = open(['--store', store]);
    await waitForQuestion(panel, '[y/N]');
    await panel.press('y', KEY.enter);
    await panel.waitFor('Nothing needs attention.');
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
    expect((await readdir(join(dir, 'new'))).sort()).toEqual(['store.json', 'store.json.audit.log']);
  });

  it('the first start at the default location offers yes by default', async () => {
    const dir = await emptyDir();
    const panel = open([], { XDG_DATA_HOME: dir });
    await waitForQuestion(panel, `There is no store at ${join(dir, 'backup-panel', 'store.json')}. Create a new, empty store there? [Y/n]`);
    await panel.press(KEY.enter);
    await panel.waitFor('Nothing needs attention.');
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
    expect(await readdir(join(dir, 'backup-panel'))).toContain('store.json');
  });

  it('read-only on a missing path: one line, no question, nothing created', async () => {
    const dir = await emptyDir();
    const panel = open(['--store', join(dir, 'store.json'), '--read-only']);
    expect(await panel.exited()).not.toBe(0);
    expect(squeeze(panel.text())).toContain(squeeze('does not exist; nothing was created'));
    expect(await readdir(dir)).toEqual([]);
  });
});

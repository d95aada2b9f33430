import { afterEach, describe, expect, it } from 'vitest';
import { fixtureStore, runCli } from '../helpers/cli.js';
import { KEY, PanelSession } from './terminal.js';
import { userNameOf } from '../../src/fs/index.js';

/** The user the audit log names for this process (as the store's actor does). */
const me = () => userNameOf(process.getuid?.() ?? -1) ?? `uid ${process.getuid?.() ?? -1}`;

/** Issue 16 item 9 in a real terminal: a rename made in the panel is in its Audit view, with who made it. */

const sessions: PanelSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describe('the Audit view in a real terminal (80x24)', () => {
  it('rename a connection, open Audit (6): the change is on top, with the user who made it', async () => {
    const { store } = await fixtureStore();
    const panel = new PanelSession(['--store', store]);
    sessions.push(panel);
    await panel.waitFor('Defined server connections');
    await panel.press('2');
    await panel.waitFor('Manage server connections');
    await panel.press('r');
    await panel.waitFor('Rename server connection');
    await panel.press('\u0015');
    await panel.type('Zurich mail');
    await panel.press(KEY.enter);
    await panel.waitFor("renamed to 'Zurich mail'");
    await panel.press('6');
    // Under the table, the selected (newest) change in full: what, then who and from where.
    await panel.waitFor("connection.rename connection 'Zurich mail' (c-1)");
    const text = panel.text();
    expect(text).toContain('6 Audit');
    expect(text).toMatch(new RegExp(`^ ${me()} (\\(|·)`, 'm'));
    // The time as `audit list` prints it.
    const listed = (await runCli(['audit', 'list', '--store', store])).stdout.trim().split('\n').at(-1) ?? '';
    expect(listed).toContain('connection.rename');
    const when = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z/.exec(listed)?.[0] ?? 'no time';
    expect(text).toMatch(new RegExp(`^› ${when} `, 'm'));
    await panel.press('q', 'q');
    expect(await panel.exited()).toBe(0);
  }, 60_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { KEY, PanelSession } from './terminal.js';

/**
 * The newcomer's path on the demo, in a real pseudo-terminal at 80×24: a backup job made in the
 * wizard and run, its storage browsed, one message restored into the mailbox. That the message is
 * back in the mailbox is seen the way an admin sees it: the next backup of the mailbox finds it in
 * the folder "Restored <date>" (the demo's tenant lives inside the panel's process).
 */

const sessions: PanelSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

const MAILBOX = 'admin@contoso.onmicrosoft.com';

describe('the newcomer on the demo', () => {
  it('New backup job → Run → Browse the storage → Restore an item → it is in the sandbox mailbox', async () => {
    const panel = new PanelSession(['--demo'], { cols: 80, rows: 24, env: { BACKUP_PANEL_M365_ENDPOINT: undefined } });
    sessions.push(panel);
    await panel.waitFor('Defined server connections');

    // New backup job: name, one-time, the demo connection, all mailboxes, the demo storage.
    await panel.press('4');
    await panel.waitFor(/Jobs \(\d+\)/);
    await panel.press('n');
    await panel.waitFor('New job');
    await panel.press(KEY.enter);
    await panel.waitFor('Job name');
    await panel.type('First backup');
    await panel.press(KEY.enter);
    await panel.waitFor('Job continuity');
    await panel.press(KEY.right);
    await panel.press(KEY.enter);
    await panel.waitFor('demo@contoso.onmicrosoft.com');
    await panel.press('/');
    await panel.type('demo@');
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.waitFor(/Back up/);
    await panel.press(KEY.enter);
    await panel.waitFor('Demo storage');
    await panel.press('/');
    await panel.type('Demo storage');
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.waitFor('Cycles start');
    await panel.press(KEY.enter);
    await panel.waitFor('Finish');
    await panel.waitFor(/Target storage\s+Demo storage/);
    await panel.press(KEY.enter);
    await panel.waitFor(/First backup\s.*never run/);

    // Run it; the demo tenant is started on the way.
    await panel.press('r');
    await panel.waitFor(/First backup\s.*succeeded/, 180_000);

    // Browse the storage down to the mailbox's Inbox and restore its newest message.
    await panel.press('5');
    await panel.waitFor(/Storages \(\d+\)/);
    await panel.press('/');
    await panel.type('Demo storage');
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.waitFor(MAILBOX);
    await panel.press('/');
    await panel.type(MAILBOX);
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.waitFor('Inbox/');
    await panel.press('/');
    await panel.type('inbox');
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.waitFor(/onmicrosoft\.com \/ Inbox \(\d+\)/);
    await panel.waitFor(/\[ \] /);
    // Folders come first: down to the first message.
    const highlighted = () => panel.lines().find((l) => l.includes('›') && l.includes('[ ]')) ?? '';
    const nameOf = (line: string) => line.replace(/^.*\[ \]\s+/, '').split(/\s{2,}/)[0]?.trim() ?? '';
    for (let i = 0; i < 40 && nameOf(highlighted()).endsWith('/'); i++) {
      const before = highlighted();
      await panel.press(KEY.down);
      await panel.waitFor(() => highlighted() !== before);
    }
    const title = nameOf(highlighted()).replace(/…$/, '');
    expect(title.length).toBeGreaterThan(3);
    expect(title.endsWith('/')).toBe(false);
    await panel.press(KEY.space);
    await panel.waitFor('1 marked');
    await panel.press('r');
    await panel.waitFor('New restore job');
    await panel.press(KEY.enter);
    await panel.waitFor('Where they came from');
    await panel.press(KEY.enter);
    await panel.waitFor(`1 item of ${MAILBOX}`);
    await panel.press(KEY.enter);
    await panel.waitFor(/Restore .*succeeded/, 180_000);

    // The next backup of the mailbox finds the message in "Restored <date>".
    await panel.press('/');
    await panel.type('First backup');
    await panel.press(KEY.enter);
    await panel.press('r');
    // A one-item cycle may start and end between two refreshes of the list: the job's history is
    // what shows it ran (two succeeded cycles).
    await panel.press(KEY.enter);
    await panel.waitFor('Cycle history');
    await panel.waitFor((s) => (s.text().match(/succeeded\s+\d{4}-\d\d-\d\d \d\d:\d\d/g) ?? []).length >= 2, 180_000);
    await panel.press(KEY.esc);
    await panel.waitFor(/First backup\s.*succeeded/);
    await panel.press('5');
    await panel.waitFor(/Storages \(1 of 1\)/);
    await panel.press(KEY.enter);
    await panel.waitFor(MAILBOX);
    await panel.press('/');
    await panel.type(MAILBOX);
    await panel.press(KEY.enter);
    await panel.press(KEY.enter);
    await panel.press('/');
    await panel.type('Restored ');
    await panel.press(KEY.enter);
    await panel.waitFor(/Restored \d{4}-\d\d-\d\d/);
    await panel.press(KEY.enter);
    await panel.waitFor(/\/ Restored \d{4}-\d\d-\d\d \d\d\.\d\d \(\d+\)/);
    // The message, or the folder it came from below the restore folder.
    if (!panel.text().includes(title.slice(0, 20))) {
      await panel.press(KEY.enter);
      await panel.waitFor(title.slice(0, 20));
    }
    expect(panel.text()).toContain(title.slice(0, 20));
    await panel.press('1');
    await panel.waitFor('Defined server connections');
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
  }, 600_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/auth/api.js';
import { App } from '../../src/app/App.js';
import { migratedFixture } from '../app/helpers/documents.js';
import { fakeAuth } from '../app/helpers/fake-auth.js';
import { MemoryStore } from '../app/helpers/memory-store.js';
import { cleanup, KEYS, renderSized, type Screen } from '../app/helpers/render.js';

/** Keys a newcomer expects in every scrolled pane, dialog and list (issue 16.5). */

afterEach(() => cleanup());

const NOW = new Date('2026-11-20T10:00:00Z');
const BANNER = 'Demo: a copy of the sample store in a temporary folder. Microsoft 365 is the sandbox tenant, which approves sign-ins by itself after a few seconds.';

/** Nine checks, each two lines long at 80 columns: taller than the job-result dialog at 80x24. */
const manyChecks = (): CheckResult[] =>
  Array.from({ length: 9 }, (_, i) => ({
    name: `Check ${i + 1}`,
    status: 'pass' as const,
    message: `The server answered step ${i + 1} of the preflight as expected, within the time allowed for it, and nothing else needs to be done.`,
  }));

async function panel(options: { checks?: () => CheckResult[]; size?: { columns: number; rows: number } } = {}): Promise<Screen> {
  const store = new MemoryStore(migratedFixture());
  const auth = fakeAuth({ stepMs: 1, ...(options.checks ? { checks: options.checks } : {}) });
  return renderSized(<App ctx={{ store, now: () => NOW, auth: async () => auth }} color={false} ascii={false} host="backup01" banner={BANNER} />, options.size ?? { columns: 80, rows: 24 });
}

/** The dialog's lines between its top and bottom border. */
const dialogText = (frame: string) => frame.split('\n').filter((l) => l.startsWith('│')).join('\n');

describe('the results dialog (test, preflight) at 80x24', () => {
  it('keeps its first line in view when done and scrolls with ↓ PgDn End Home Space', async () => {
    const screen = await panel({ checks: manyChecks });
    await screen.press('2');
    await screen.press(KEYS.down);
    await screen.press(KEYS.down);
    await screen.press('t');
    await screen.waitFor((f) => f.includes('checks passed'));
    let text = dialogText(screen.frame());
    expect(text).toContain("Testing server connection 'ex01.corp.contoso.com'");
    expect(text).toContain('✓ Check 1: The server answered step 1');
    expect(text).not.toContain('Check 9:');
    // The outcome stays in view whatever is scrolled.
    expect(text).toContain('All 9 checks passed.');
    expect(screen.frame()).toContain('▼');

    await screen.press(KEYS.end);
    text = dialogText(screen.frame());
    expect(text).toContain('✓ Check 9:');
    expect(text).not.toContain('Check 1:');
    expect(text).toContain('All 9 checks passed.');

    await screen.press(KEYS.home);
    expect(dialogText(screen.frame())).toContain('Check 1:');
    await screen.press(KEYS.pageDown);
    expect(dialogText(screen.frame())).not.toContain('Check 1:');
    await screen.press(KEYS.pageUp);
    expect(dialogText(screen.frame())).toContain('Check 1:');
    await screen.press(KEYS.space);
    expect(dialogText(screen.frame())).not.toContain('Check 1:');
    await screen.press('k');
    await screen.press('g');
    expect(dialogText(screen.frame())).toContain('Check 1:');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Manage server connections');
  });
});

describe('the help overlay', () => {
  it('pages with PgDn / Space, jumps with End / Home', async () => {
    const screen = await panel({ size: { columns: 80, rows: 15 } });
    await screen.press('2');
    await screen.press('?');
    const first = screen.frame();
    expect(first).toContain('Keys');
    await screen.press(KEYS.pageDown);
    const paged = screen.frame();
    expect(paged).not.toBe(first);
    await screen.press(KEYS.end);
    expect(screen.frame()).toContain('Scroll to the end');
    expect(screen.frame()).not.toContain('▼');
    await screen.press(KEYS.home);
    expect(screen.frame()).toBe(first);
    await screen.press(KEYS.space);
    expect(screen.frame()).toBe(paged);
  });
});

describe('q goes back outside the Dashboard (as in k9s), and quits only there', () => {
  it('from Connections, Bad news, Jobs and Notification options; closes dialogs; cancels a wizard on a choice', async () => {
    const screen = await panel();
    for (const tab of ['2', '3', '4']) {
      await screen.press(tab);
      await screen.press('q');
      expect(screen.frame()).toMatch(/\[1 Dashboard\]/);
    }
    await screen.press('3');
    await screen.press('n');
    expect(screen.frame()).toContain('Notification options');
    await screen.press('q');
    expect(screen.frame()).toMatch(/\[3 Bad news\]/);
    expect(screen.frame()).not.toContain('Notification options');

    await screen.press('2');
    await screen.press('n');
    expect(screen.frame()).toContain('New server connection');
    await screen.press('q');
    expect(screen.frame()).not.toContain('New server connection');

    // The wizard on a step whose only field is a choice: q cancels as Esc does (asking, once touched).
    await screen.press('e');
    expect(screen.frame()).toContain('(•) Automatic registration');
    await screen.press('q');
    expect(screen.frame()).toContain('Wizard closed; nothing was changed.');
    expect(screen.frame()).toMatch(/\[2 Connections\]/);
  });
});

describe('radio groups accept j/k', () => {
  it('j and k pick the options of a choice as ↓ and ↑ do', async () => {
    const screen = await panel();
    await screen.press('2');
    await screen.press('e');
    expect(screen.frame()).toContain('(•) Automatic registration');
    await screen.press('j');
    expect(screen.frame()).toContain('(•) Manual registration');
    expect(screen.frame()).toContain('( ) Automatic registration');
    await screen.press('k');
    expect(screen.frame()).toContain('(•) Automatic registration');
    // Touched now: q asks before discarding, as Esc does.
    await screen.press('q');
    expect(screen.frame()).toContain('Cancel the wizard');
  });
});

describe('a pasted value ending in a line break', () => {
  it('fills the field and does not advance the wizard', async () => {
    const screen = await panel();
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    await screen.press(KEYS.tab);
    const step = screen.frame().split('\n')[4];
    await screen.pressTogether('ex01.corp.contoso.com\r');
    expect(screen.frame()).toContain('ex01.corp.contoso.com');
    expect(screen.frame().split('\n')[4]).toBe(step);
    // The filter too: pasted text stays in the field being edited.
    await screen.press(KEYS.escape);
    await screen.press('y');
    await screen.press('/');
    await screen.pressTogether('contoso\n');
    expect(screen.frame()).toContain('⏎ keep');
  });
});

describe('the / filter on Bad news and Jobs (the one list filter of the panel)', () => {
  it('Bad news: / filters the alerts; Enter keeps it; / again edits the same text; Esc clears', async () => {
    const screen = await panel({ size: { columns: 100, rows: 30 } });
    await screen.press('3');
    expect(screen.frame()).toContain("Job 'Fabrikam mailboxes' failed");
    expect(screen.frame()).toContain('admin@contoso.onmicrosoft.com');
    await screen.press('/');
    await screen.pressTogether('fabrikam');
    await screen.press(KEYS.enter);
    let frame = screen.frame();
    expect(frame).toContain('/fabrikam');
    expect(frame).toContain("Job 'Fabrikam mailboxes' failed");
    expect(frame).not.toMatch(/› .*admin@contoso\.onmicrosoft\.com/);
    expect(frame).toMatch(/1\/2/);
    // / again: the old text, editable at its end.
    await screen.press('/');
    await screen.press(KEYS.backspace);
    await screen.press(KEYS.backspace);
    expect(screen.frame()).toContain('/fabrik_');
    await screen.press(KEYS.escape);
    frame = screen.frame();
    expect(frame).not.toContain('/fabrik');
    expect(frame).toContain('admin@contoso.onmicrosoft.com');
  });

  it('Jobs: / filters the jobs', async () => {
    const screen = await panel({ size: { columns: 100, rows: 30 } });
    await screen.press('4');
    await screen.press('/');
    await screen.pressTogether('restore');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Restore CEO mailbox');
    expect(screen.frame()).not.toContain('On-prem mailboxes');
  });
});

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

describe('the job-result dialog at 80x24', () => {
  it('keeps its first line in view when done and scrolls with ↓ PgDn End Home Space', async () => {
    const screen = await panel({ checks: manyChecks });
    await screen.press('4');
    await screen.press(KEYS.down);
    await screen.press(KEYS.down);
    // On-prem mailboxes: no obsolete-connection question, the run starts at once.
    await screen.press('r');
    await screen.waitFor((f) => f.includes('succeeded'));
    let text = dialogText(screen.frame());
    expect(text).toContain("Running job 'On-prem mailboxes'");
    expect(text).toContain('✓ Check 1: The server answered step 1');
    expect(text).not.toContain('Check 9:');
    // The outcome stays in view whatever is scrolled.
    expect(text).toMatch(/Job 'On-prem mailboxes' succeeded/);
    expect(screen.frame()).toContain('▼');

    await screen.press(KEYS.end);
    text = dialogText(screen.frame());
    expect(text).toContain('✓ Check 9:');
    expect(text).not.toContain('Check 1:');
    expect(text).toMatch(/Job 'On-prem mailboxes' succeeded/);

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
    expect(screen.frame()).toContain('Jobs (5)');
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

import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { migratedFixture } from '../app/helpers/documents.js';
import { fakeAuth } from '../app/helpers/fake-auth.js';
import { MemoryStore } from '../app/helpers/memory-store.js';
import { cleanup, KEYS, renderSized, type Screen } from '../app/helpers/render.js';
import { resolve } from '../../src/model/state/dispatch.js';
import { initialState } from '../../src/model/state/reducer.js';
import { paneOffset, scrollPane, scrollWizard } from '../../src/model/state/scroll.js';
import { openStorageForm } from '../../src/model/forms/open.js';
import type { AppState } from '../../src/model/state/types.js';
import { openWizard } from '../../src/model/wizard/init.js';

/** Issue 16 item 5: PgDn / PgUp / Home / End / Space on a wizard step that is read, not filled in. */

afterEach(() => cleanup());
const NOW = new Date('2026-11-20T10:00:00Z');

/** The Permissions step of reconfiguring the [obsolete] Exchange Online connection: no field, taller than 60x15. */
async function permissions(): Promise<Screen> {
  const store = new MemoryStore(migratedFixture());
  // Five permissions, each a line or two: the step is twice the height of its area.
  const permissionsFor = () =>
    Array.from({ length: 5 }, (_, i) => ({ resource: 'Microsoft Graph' as const, resourceAppId: '00000003-0000-0000-c000-000000000000', name: `Permission.${i + 1}`, id: `role-${i + 1}`, why: `What permission ${i + 1} is needed for.` }));
  const auth = { ...fakeAuth({ stepMs: 1 }), permissionsFor };
  const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => auth }} color={false} ascii={false} host="backup01" />, { columns: 60, rows: 15 });
  await screen.press('2');
  await screen.press('e');
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => f.includes('Step 2 of 6: Permissions') && !f.includes('Loading'));
  return screen;
}

/** The step's title line, with its scroll marks. */
const marks = (frame: string) => frame.split('\n').find((l) => l.startsWith(' Permissions')) ?? '';
/** The lines of the step area (between the step title and the button line). */
const area = (frame: string) => {
  const lines = frame.split('\n');
  const from = lines.findIndex((l) => l.startsWith(' Permissions'));
  const to = lines.findIndex((l) => l.includes('< Back'));
  return lines.slice(from + 1, to).join('\n');
};

describe('a wizard step without fields at 60x15', () => {
  it('PgDn and Space page it, End and Home jump, and ↑ moves at once after End', async () => {
    const screen = await permissions();
    const top = area(screen.frame());
    expect(marks(screen.frame())).toContain('▼');
    expect(marks(screen.frame())).not.toContain('▲');

    await screen.press(KEYS.pageDown);
    const paged = area(screen.frame());
    expect(paged).not.toBe(top);
    expect(marks(screen.frame())).toContain('▲');

    await screen.press(KEYS.end);
    const end = area(screen.frame());
    expect(marks(screen.frame())).toContain('▲');
    expect(marks(screen.frame())).not.toContain('▼');
    // The last line of the step is in view.
    expect(end).not.toBe(top);

    // One ↑ moves the view (End stopped at the real end, not beyond it).
    await screen.press(KEYS.up);
    expect(area(screen.frame())).not.toBe(end);
    expect(marks(screen.frame())).toContain('▼');

    await screen.press(KEYS.home);
    expect(area(screen.frame())).toBe(top);
    await screen.press(KEYS.space);
    expect(area(screen.frame())).toBe(paged);
    await screen.press('G');
    expect(area(screen.frame())).toBe(end);
    await screen.press('g');
    expect(area(screen.frame())).toBe(top);
    expect(screen.frame()).toContain('Step 2 of 6: Permissions');
  });

  it('PgUp pages back up, and at the top goes back a step as before', async () => {
    const screen = await permissions();
    const top = area(screen.frame());
    await screen.press(KEYS.pageDown);
    await screen.press(KEYS.pageUp);
    expect(area(screen.frame())).toBe(top);
    expect(screen.frame()).toContain('Step 2 of 6: Permissions');
    await screen.press(KEYS.pageUp);
    expect(screen.frame()).toContain('Step 1 of 6: Application registration');
  });

  it('the footer names the page key', async () => {
    const screen = await permissions();
    expect(screen.frame()).toMatch(/PgDn page/);
  });
});

describe('a wizard step made only of choices at 60x15 (Application registration)', () => {
  async function registration(): Promise<Screen> {
    const store = new MemoryStore(migratedFixture());
    const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => fakeAuth() }} color={false} ascii={false} host="backup01" />, { columns: 60, rows: 15 });
    await screen.press('2');
    await screen.press('e');
    await screen.waitFor((f) => f.includes('Step 1 of 6: Application registration'));
    return screen;
  }
  const title = (frame: string) => frame.split('\n').find((l) => l.startsWith(' Application registration')) ?? '';
  const lastWords = 'registers the app with a new certificate and grants its permissions.';

  it('PgDn reveals the cut-off description, End and Home jump, ↓ still picks', async () => {
    const screen = await registration();
    expect(title(screen.frame())).toContain('▼');
    expect(screen.frame().replace(/\s+/g, ' ')).not.toContain(lastWords);
    // A page down from where the step is drawn (its choice in view) reaches the description's last line.
    await screen.press(KEYS.pageDown);
    await screen.waitFor((f) => f.replace(/\s+/g, ' ').includes(lastWords) && !title(f).includes('▼'));
    expect(title(screen.frame())).toContain('▲');
    await screen.press(KEYS.home);
    await screen.waitFor((f) => !title(f).includes('▲'));
    await screen.press(KEYS.end);
    await screen.waitFor((f) => f.replace(/\s+/g, ' ').includes(lastWords));
    // ↓ still picks the option, and the view follows the choice again.
    await screen.press(KEYS.down);
    const manual = await screen.waitFor((f) => f.includes('( ) Automatic registration'));
    expect(manual).toContain('(•) Manual registration');
    expect(manual).toContain('Application registration');
  });

  it('the step title names the keys that scroll it there: PgDn/PgUp, not the arrows that pick', async () => {
    const screen = await registration();
    expect(title(screen.frame())).toContain('(PgDn/PgUp scroll)');
    expect(title(screen.frame())).not.toContain('↑↓');
  });
});

describe('the scroll keys in the model', () => {
  const base = initialState({ size: { columns: 60, rows: 15 }, readOnly: false });
  const c1 = migratedFixture().connections.find((c) => c.id === 'c-1');
  if (!c1) throw new Error('c-1');
  const wizard = openWizard({ mode: 'edit', connection: c1, usedBy: [] }, { host: 'backup01', demo: false, now: NOW, clock: 0 });
  const at = (step: 'summary' | 'verify', scroll = 0): AppState => ({ ...base, view: 'connections', wizard: { ...wizard, view: { ...wizard.view, step, focus: 0, scroll } } });

  it('on the Summary PgDn/PgUp page, while Space, Home and End stay with its name field', () => {
    const state = at('summary');
    expect(resolve(state, 'pagedown')).toMatchObject({ spec: { id: 'wizard.scroll-page-down' } });
    expect(resolve(state, 'pageup')).toMatchObject({ spec: { id: 'wizard.scroll-page-up' } });
    for (const key of ['space', 'home', 'end', 'g', 'G']) expect(resolve(state, key)).toEqual({ kind: 'text' });
  });

  it('a step that keeps its newest line in view (the checks) pages back from the end, clamped to what is there', () => {
    const range = { lines: 30, rows: 7 };
    const scrollOf = (s: AppState | undefined) => s?.wizard?.view.scroll;
    // scroll counts back from the end on the checks step.
    expect(scrollOf(scrollWizard(at('verify'), 'wizard.scroll-page-up', range))).toBe(6);
    expect(scrollOf(scrollWizard(at('verify'), 'wizard.scroll-top', range))).toBe(23);
    expect(scrollOf(scrollWizard(at('verify', 23), 'wizard.scroll-bottom', range))).toBe(0);
    // Beyond the top there is nothing more: PgUp goes back a step instead.
    expect(scrollWizard(at('verify', 23), 'wizard.scroll-page-up', range)).toBeUndefined();
    expect(scrollOf(scrollWizard(at('verify', 40), 'wizard.scroll-down', range))).toBe(22);
  });
});

describe("a job's details taller than the screen (60x15)", () => {
  async function details(): Promise<Screen> {
    const doc = migratedFixture();
    const cycle = (day: number) => ({
      result: 'warning' as const,
      startedAt: `2026-11-${String(day).padStart(2, '0')}T01:00:00Z`,
      endedAt: `2026-11-${String(day).padStart(2, '0')}T01:10:00Z`,
      scanned: 10,
      backedUp: 8,
      removed: 0,
      restored: 0,
      bytes: 1000,
      errorCount: 7,
      errors: [1, 2, 3].map((n) => ({ source: 'ceo@fabrikam.onmicrosoft.com', item: `item-${n}`, message: `Error number ${n}: the server refused the item, and said so at some length to fill the line.` })),
    });
    doc.jobs = doc.jobs.map((j) => (j.id === 'j-5' ? { ...j, cycles: [cycle(19), cycle(18), cycle(17), cycle(16), cycle(15)] } : j));
    const store = new MemoryStore(doc);
    const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => fakeAuth() }} color={false} ascii={false} host="backup01" />, { columns: 60, rows: 15 });
    await screen.press('4');
    for (let i = 0; i < 6 && !(screen.frame().split('\n').find((l) => l.startsWith('›')) ?? '').includes('Fabrikam'); i++) await screen.press('j');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes("Job 'Fabrikam mailboxes'"));
    return screen;
  }

  it('keeps its title, and PgDn / End / Home / Space / ↑ scroll the rest to the last error and back', async () => {
    const screen = await details();
    const top = screen.frame();
    expect(top).toContain('Cycle history');
    expect(top).not.toContain('item item-3');
    expect(top).toMatch(/Job 'Fabrikam mailboxes'.*▼/);
    await screen.press(KEYS.end);
    const end = screen.frame();
    expect(end).toContain("Job 'Fabrikam mailboxes'");
    expect(end).toContain('item item-3');
    expect(end).toMatch(/Job 'Fabrikam mailboxes'.*▲/);
    expect(end).not.toContain('▼');
    await screen.press(KEYS.up);
    expect(screen.frame()).not.toBe(end);
    await screen.press(KEYS.home);
    expect(screen.frame()).toBe(top);
    await screen.press(KEYS.pageDown);
    const paged = screen.frame();
    expect(paged).not.toBe(top);
    await screen.press(KEYS.home);
    await screen.press(KEYS.space);
    expect(screen.frame()).toBe(paged);
    // Details opened again start at the top.
    await screen.press(KEYS.escape);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toBe(top);
  });
});

describe('a job or storage wizard step without fields', () => {
  const base = initialState({ size: { columns: 60, rows: 15 }, readOnly: false });
  const storage = openStorageForm('2026-11-20 10:00');

  it('the recovery key step and a field-less Summary take the pane keys; a step with a field does not', () => {
    const key: AppState = { ...base, view: 'storages', form: { ...storage, step: 'key' } };
    expect(resolve(key, 'pagedown')).toMatchObject({ spec: { id: 'pane.scroll-page-down' } });
    expect(resolve(key, 'end')).toMatchObject({ spec: { id: 'pane.scroll-bottom' } });
    expect(resolve(key, 'return')).toMatchObject({ spec: { id: 'form.kept' } });
    const scrolled = scrollPane(key, 'pane.scroll-page-down', { lines: 12, rows: 6 });
    expect(paneOffset(scrolled)).toBe(5);
    expect(paneOffset(scrollPane(scrolled, 'pane.scroll-bottom', { lines: 12, rows: 6 }))).toBe(6);
    // Another step starts at the top.
    expect(paneOffset({ ...scrolled, form: { ...storage, step: 'summary' } })).toBe(0);
    const typing: AppState = { ...base, view: 'storages', form: storage };
    expect(resolve(typing, 'end')).not.toMatchObject({ spec: { id: 'pane.scroll-bottom' } });
  });
});

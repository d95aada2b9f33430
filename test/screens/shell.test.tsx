import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { openFixture, type Fixture } from './helpers/context.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

async function open(size = { columns: 80, rows: 24 }) {
  fixture = await openFixture();
  return renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
}

/** After exit Ink stops drawing: a key that would change the screen changes nothing. */
async function hasQuit(screen: Screen): Promise<boolean> {
  const count = screen.frames.length;
  await screen.press('2', 100);
  return screen.frames.length === count;
}

describe('app shell', () => {
  it('shows a help overlay generated from the keymap, for the view under it', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('?');
    const frame = screen.frame();
    expect(frame).toContain('Keys');
    expect(frame).toContain('Test the selected connection');
    expect(frame).toContain('Delete the selected connection');
    expect(frame).toMatch(/C-c\s+Quit now/);
    // Keys that act on the list do nothing while the overlay is open.
    await screen.press('d');
    expect(screen.frame()).not.toContain('Cannot delete');
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Manage server connections');
  });

  it('shows footer hints for the current view, cut to the width', async () => {
    const wide = await open({ columns: 120, rows: 40 });
    await wide.press('2');
    const footer = wide.frame().split('\n').at(-1) ?? '';
    expect(footer).toContain('t test');
    expect(footer).toContain('d delete');
    expect(footer).toContain('/ filter');
    expect(footer).toContain('? help');
    await wide.resize(60, 15);
    const narrow = wide.frame().split('\n').at(-1) ?? '';
    expect([...narrow].length).toBeLessThanOrEqual(60);
    expect(narrow).toContain('t test');
  });

  it('handles keys that arrive together in one chunk in order against the current state', async () => {
    const screen = await open();
    // Tab, Tab, Enter: the third card (Jobs) opens; then j twice.
    await screen.pressTogether('\t\t\rjj');
    expect(screen.frame()).toContain('Jobs (5)');
    expect(screen.frame().split('\n').find((l) => l.startsWith('›'))).toContain('On-prem mailboxes');
  });

  it('Esc and q go back and never quit; q quits from the Dashboard only', async () => {
    const screen = await open();
    await screen.press('3');
    await screen.press('q');
    expect(screen.frame()).toContain('[1 Dashboard]');
    expect(await hasQuit(screen)).toBe(false);
    await screen.press('3');
    await screen.press(KEYS.escape);
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('[1 Dashboard]');
    expect(await hasQuit(screen)).toBe(false);
    await screen.press('1');
    await screen.press('q');
    expect(await hasQuit(screen)).toBe(true);
  });

  it('Ctrl-C quits from anywhere, even from a dialog', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('d');
    expect(screen.frame()).toContain('Cannot delete');
    await screen.press(KEYS.ctrlC);
    expect(await hasQuit(screen)).toBe(true);
  });

  it('says the terminal is too small below 60x15 and recovers when it grows', async () => {
    const screen = await open({ columns: 80, rows: 24 });
    await screen.press('2');
    await screen.resize(50, 12);
    expect(unwrap(screen.frame())).toContain('Terminal too small: 50x12. backup-panel needs at least 60x15.');
    await screen.press('j');
    await screen.resize(80, 24);
    expect(screen.frame()).toContain('Manage server connections (6)');
    expect(screen.frame().split('\n').find((l) => l.startsWith('›'))).toContain('admin@contoso');
  });

  it('lays out again on resize: more rows show more of the list', async () => {
    const screen = await open({ columns: 120, rows: 40 });
    await screen.press('3');
    const tall = screen.frame().split('\n').length;
    await screen.resize(80, 24);
    const short = screen.frame().split('\n');
    expect(short.length).toBeLessThan(tall);
    expect(short.length).toBeLessThanOrEqual(23);
    expect(short.every((l) => [...l].length <= 80)).toBe(true);
  });
});

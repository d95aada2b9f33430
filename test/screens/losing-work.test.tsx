import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { openFixture, type Fixture } from './helpers/context.js';

/** Issue 16 item 4: nothing entered is discarded without a question; the question is answered by a second Ctrl-C. */

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

async function hasQuit(screen: Screen): Promise<boolean> {
  const count = screen.frames.length;
  await screen.press('2', 100);
  return screen.frames.length === count;
}

/** New Exchange connection → On-premises → a server name typed. */
async function halfFilledWizard(screen: Screen): Promise<void> {
  await screen.press('2');
  await screen.press('n');
  await screen.press(KEYS.enter);
  await screen.press(KEYS.right);
  await screen.press(KEYS.enter);
  await screen.press(KEYS.tab);
  await screen.pressTogether('ex01.corp');
  expect(screen.frame()).toContain('ex01.corp');
}

describe('losing work (issue 16 item 4)', () => {
  it('Ctrl-C with a half-filled wizard asks first; No keeps the wizard; Ctrl-C twice quits', async () => {
    const screen = await open();
    await halfFilledWizard(screen);
    await screen.press(KEYS.ctrlC);
    expect(screen.frame()).toContain('Quit backup-panel');
    expect(unwrap(screen.frame())).toContain('Quit and discard what you entered? Nothing has been saved yet.');
    await screen.press('n');
    expect(screen.frame()).toContain('ex01.corp');
    expect(screen.frame()).not.toContain('Quit backup-panel');
    await screen.press(KEYS.ctrlC);
    expect(screen.frame()).toContain('Quit backup-panel');
    await screen.press(KEYS.ctrlC);
    expect(await hasQuit(screen)).toBe(true);
  });

  it('Ctrl-C with nothing entered still quits at once', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.ctrlC);
    expect(await hasQuit(screen)).toBe(true);
  });

  it('q on the too-small notice asks before discarding a half-filled wizard; n keeps it, y quits', async () => {
    const screen = await open();
    await halfFilledWizard(screen);
    await screen.resize(50, 12);
    await screen.press('q');
    expect(unwrap(screen.frame())).toContain('Quit and discard what you entered?');
    await screen.press('n');
    await screen.resize(80, 24);
    expect(screen.frame()).toContain('ex01.corp');
    await screen.resize(50, 12);
    await screen.press('q');
    await screen.press('y');
    expect(await hasQuit(screen)).toBe(true);
  });

  it('the discard question has one hint, in its answers’ words', async () => {
    const screen = await open();
    await halfFilledWizard(screen);
    await screen.press(KEYS.escape);
    const frame = screen.frame();
    expect(frame).toContain('Cancel the wizard');
    expect(frame).not.toContain('[y/N]');
    // The keys once, in the footer; the dialog holds the question and its two answers.
    expect(frame.match(/y discard/g)).toHaveLength(1);
    expect(frame.split('\n').filter((l) => l.includes('│')).join('\n')).not.toMatch(/y discard|n\/Esc/);
  });
});

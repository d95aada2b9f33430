import { afterEach, describe, expect, it, vi } from 'vitest';

// chalk picks its colour level when first imported; without a TTY it would be 0 and a test of "no
// colour escapes" could not fail. Force colour support, so only the no-colour theme can remove them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { App } = await import('../../src/app/App.js');
const { cleanup, KEYS, renderSized } = await import('../app/helpers/render.js');
const { openFixture } = await import('./helpers/context.js');

let fixture: Awaited<ReturnType<typeof openFixture>> | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

const ESC = '\x1b';
const BOX_DRAWING = /[\u2500-\u257f]/;
// The glyphs the Unicode theme draws; data from a server (an en dash in a check message) may differ.
const UNICODE_GLYPHS = /[▲▼…✓✗•›←↑↓→⏎·]/;
const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 60, rows: 15 },
  { columns: 120, rows: 40 },
];

async function context() {
  fixture = await openFixture();
  return fixture.ctx;
}

/** Every screen and dialog, reached by keys: what a mode test must look at. */
async function tour(screen: Awaited<ReturnType<typeof renderSized>>): Promise<string[]> {
  const frames = [screen.frame()];
  for (const key of ['2', '/', 'c', KEYS.enter, 'd', KEYS.escape, KEYS.escape, 't']) {
    await screen.press(key);
    frames.push(screen.frame());
  }
  await screen.waitFor((f) => f.includes('close'));
  frames.push(screen.frame());
  for (const key of [KEYS.enter, '3', 'n', KEYS.escape, '4', 'r', KEYS.escape, '?']) {
    await screen.press(key);
    frames.push(screen.frame());
  }
  // The Audit view and one change in full.
  await screen.press(KEYS.escape);
  await screen.press('6');
  frames.push(await screen.waitFor((f) => f.includes('store.migrate')));
  await screen.press(KEYS.enter);
  frames.push(screen.frame());
  return frames;
}

describe('render modes', () => {
  it('the colour theme does colour (so the no-colour assertions below mean something)', async () => {
    const screen = await renderSized(<App ctx={await context()} color={true} ascii={false} host="backup01" />, SIZES[0]!);
    expect(screen.frame()).toMatch(new RegExp(`${ESC}\\[(3|9)\\dm`));
  });

  it.each(SIZES)('without colour no frame holds a single escape sequence ($columns x $rows)', async (size) => {
    const screen = await renderSized(<App ctx={await context()} color={false} ascii={false} host="backup01" />, size);
    const frames = await tour(screen);
    for (const frame of frames) expect(frame).not.toContain(ESC);
    // The selected row is still visible without reverse video: a pointer marks it.
    await screen.press(KEYS.escape);
    await screen.press('2');
    expect(screen.frame()).toMatch(/^› Exchange\s+admin@co/m);
  });

  it.each(SIZES)('in ASCII mode no frame holds box drawing or the Unicode glyphs ($columns x $rows)', async (size) => {
    const screen = await renderSized(<App ctx={await context()} color={false} ascii={true} host="backup01" />, size);
    for (const frame of await tour(screen)) {
      expect(frame).not.toMatch(BOX_DRAWING);
      expect(frame).not.toMatch(UNICODE_GLYPHS);
    }
    await screen.press(KEYS.escape);
    await screen.press('1');
    // The Dashboard's cards are boxes from 70 columns on; below that they collapse into lines.
    if (size.columns >= 70) {
      expect(screen.frame()).toContain('+----');
      expect(screen.frame()).toMatch(/^\|/m);
    }
  });

  it.each(SIZES)('every frame fits the terminal: fewer lines than rows, no line wider than it ($columns x $rows)', async (size) => {
    const screen = await renderSized(<App ctx={await context()} color={false} ascii={false} host="backup01" banner="Demo: a copy of the sample store in a temporary folder. Microsoft 365 is the sandbox tenant, which approves sign-ins by itself after a few seconds." />, size);
    for (const frame of await tour(screen)) {
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(size.columns);
    }
  });
});

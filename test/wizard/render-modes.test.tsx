import { afterEach, describe, expect, it, vi } from 'vitest';

// Force colour support so that only the no-colour theme can remove the escapes (see test/screens).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { App } = await import('../../src/app/App.js');
const { cleanup, KEYS, renderSized } = await import('../app/helpers/render.js');
const { openFixture } = await import('../screens/helpers/context.js');
const { CTRL_B, userCodeOf, unwrapFrame } = await import('./helpers.js');

let fixture: Awaited<ReturnType<typeof openFixture>> | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

const ESC = '\x1b';
const BOX_DRAWING = /[\u2500-\u257f]/;
const UNICODE_GLYPHS = /[▲▼…✓✗•›←↑↓→⏎·—]/;

/** New Exchange (menu, location), then Edit c-1 through device code, registration, checks, Summary, the discard question and the help. */
async function tour(size: { columns: number; rows: number }, color: boolean, ascii: boolean): Promise<string[]> {
  fixture = await openFixture();
  const sandbox = await fixture.sandbox();
  const screen = await renderSized(<App ctx={fixture.ctx} color={color} ascii={ascii} host="backup01" />, size);
  const frames: string[] = [];
  const step = async (key: string) => {
    await screen.press(key);
    frames.push(screen.frame());
  };
  for (const key of ['2', 'n', KEYS.enter, KEYS.enter, KEYS.tab, KEYS.escape]) await step(key);
  await step('y');
  for (const key of ['e', '?', KEYS.escape, KEYS.enter, KEYS.enter]) await step(key);
  const code = userCodeOf(await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000));
  frames.push(screen.frame());
  sandbox.approveDeviceCode(code ?? '');
  frames.push(await screen.waitFor((f) => /checks passed/.test(unwrapFrame(f)), 30_000));
  await step(KEYS.up);
  await step(KEYS.enter);
  await step(CTRL_B);
  await step(KEYS.escape);
  return frames;
}

describe('the wizard in every mode', () => {
  it('no colour: not one escape sequence; the chosen option and the cursor still show', async () => {
    const frames = await tour({ columns: 80, rows: 24 }, false, false);
    for (const frame of frames) expect(frame).not.toContain(ESC);
    expect(frames.join('\n')).toContain('(•) Automatic registration');
  });

  it('--ascii: no box drawing and none of the Unicode glyphs', async () => {
    const frames = await tour({ columns: 80, rows: 24 }, true, true);
    for (const frame of frames) {
      expect(frame).not.toMatch(BOX_DRAWING);
      // eslint-disable-next-line no-control-regex
      expect(frame.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(UNICODE_GLYPHS);
    }
    expect(frames.join('\n')).toContain('(*) Automatic registration');
  });

  it('fits 80x24 and 60x15: the step, the way on and the footer are on screen; nothing passes the width', async () => {
    for (const size of [
      { columns: 80, rows: 24 },
      { columns: 60, rows: 15 },
    ]) {
      const frames = await tour(size, false, false);
      for (const frame of frames) {
        const lines = frame.split('\n');
        expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(size.columns);
      }
      const code = frames.find((f) => userCodeOf(f));
      expect(code).toContain('https://microsoft.com/devicelogin');
      const checks = frames.find((f) => /checks passed/.test(unwrapFrame(f))) ?? '';
      expect(checks).toMatch(/Back \(C-b\)/);
      await fixture?.close();
      fixture = undefined;
      cleanup();
    }
  });
});

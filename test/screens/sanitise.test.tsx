import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap } from '../app/helpers/render.js';
import { openFixture, type Fixture } from './helpers/context.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

// Clear screen, set the window title (OSC … BEL), red text, carriage return, a bidi override.
const EVIL = '\x1b[2J\x1b]0;owned\x07\x1b[31mevil\rname\u202e';
/** C0 (but line feed), DEL, C1, bidi embeddings and isolates: what a terminal would act on. */
function hasControl(frame: string): boolean {
  return [...frame].some((ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return (cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
  });
}

describe('names with terminal control sequences', () => {
  it('are drawn as visible escapes on every screen, never acted on', async () => {
    fixture = await openFixture({
      prepare: (doc) => {
        const c3 = doc.connections.find((c) => c.id === 'c-3');
        if (c3) c3.displayName = `ex01${EVIL}`;
        const j3 = doc.jobs.find((j) => j.id === 'j-3');
        if (j3) j3.name = `job${EVIL}`;
        doc.alerts.push({ id: 'a-evil', category: 'connection-failed', created: '2026-11-19T10:00:00Z', connectionId: 'c-3', message: `Connection test of 'x' failed: ${EVIL}` });
      },
    });
    const screen = await renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host={`host${EVIL}`} banner={`banner${EVIL}`} />, { columns: 120, rows: 40 });
    const frames: string[] = [screen.frame()];
    for (const key of ['2', 'j', 'j', '3', 'j', 'j', 'j', '4', 'j', 'j']) {
      await screen.press(key);
      frames.push(screen.frame());
    }
    await screen.press('r');
    await screen.waitFor((f) => unwrap(f).includes('has no storage yet'));
    frames.push(screen.frame());
    await screen.press(KEYS.enter);
    // Back on the list the cursor is still on the third row (c-3), which job j-3 uses.
    await screen.press('2');
    await screen.press('d');
    frames.push(screen.frame());

    for (const frame of frames) {
      expect(hasControl(frame)).toBe(false);
      expect(frame).not.toContain('\x1b');
    }
    const all = frames.join('\n');
    expect(all).toContain('ex01\\x1b[2J\\x1b]0;owned\\x07');
    expect(all).toContain('job\\x1b[2J');
    expect(all).toContain('Host: host\\x1b[2J');
    expect(all).toContain('banner\\x1b[2J');
    expect(unwrap(all)).toContain("Server connection 'ex01\\x1b[2J");
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Store } from '../../src/store/index.js';
import { openStore } from '../../src/store/index.js';
import { tempDir } from './helpers/files.js';
import { HOSTILE_PIECES, hostileText, rawTerminalOffences, terminalActive } from './helpers/hostile.js';
import { KEY, Panel } from './helpers/panel.js';
import { hostileRecord, hostileV1Store, type HostileRecord } from './helpers/v1-store.js';

// chalk decides its colour level at import; without a TTY it is 0 and the colour runs below would
// draw no SGR at all. Force colour support so that frames hold Ink's own escapes next to the data.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { App } = await import('../../src/app/App.js');
const { createAuth } = await import('../../src/auth/index.js');
const { cleanup, KEYS, renderSized, unwrap } = await import('../app/helpers/render.js');

/**
 * Hostile text drawn by the panel (storage-and-secrets.md §8, T13): connection names, user names,
 * job names and alert messages from the store, a SharePoint site title from a server, and the
 * host name and banner, on every screen. A frame may hold Ink's SGR colour sequences and line
 * feeds; nothing else a terminal acts on. One run in a real terminal checks the byte stream too.
 */

const NOW = new Date('2026-11-20T10:00:00Z');
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

let store: Store | undefined;
afterEach(async () => {
  cleanup();
  sandbox.clearFaults();
  await store?.close();
  store = undefined;
});

async function hostileStore(records: readonly HostileRecord[]): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'store.json');
  await writeFile(path, hostileV1Store(records), { mode: 0o600 });
  return path;
}

function expectHarmless(frames: readonly string[]): void {
  for (const frame of frames) {
    const offences = terminalActive(frame, { sgr: true });
    expect(offences, JSON.stringify(offences.slice(0, 3))).toEqual([]);
  }
}

describe('hostile text on the panel (ink-testing-library)', () => {
  it('property: every frame of every screen is harmless, in colour and without', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileRecord(true), { minLength: 3, maxLength: 6 }),
        hostileText({ long: true }),
        hostileText(),
        fc.boolean(),
        async (records, title, hostOrBanner, color) => {
          const path = await hostileStore(records);
          store = await openStore({ path, now: () => NOW });
          const auth = createAuth({ endpoint: sandbox.url, timeoutMs: 3000, now: () => NOW, retry: { maxAttempts: 1 } });
          const screen = await renderSized(
            <App ctx={{ store, now: () => NOW, auth: async () => auth }} color={color} ascii={false} host={hostOrBanner} banner={`banner ${hostOrBanner}`} />,
            { columns: 100, rows: 30 },
          );
          // Manage server connections: every row selected in turn (the selected one is shown in full below).
          await screen.press('2');
          for (let i = 1; i < records.length; i++) await screen.press('j');
          // Test the on-premises SharePoint connection h2 while the site answers with a hostile title.
          await screen.press('g');
          await screen.press('j');
          await screen.press('j');
          sandbox.inject({ host: 'sp.corp.contoso.com', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Title: title }) } });
          await screen.press('t');
          // eslint-disable-next-line no-control-regex -- dropping SGR to read the words
          const words = (f: string) => unwrap(f.replace(/\x1b\[[0-9;]*m/g, ''));
          await screen.waitFor((f) => /The check passed\.|Test failed at/.test(words(f)), 10_000);
          expect(words(screen.frame())).toMatch(/Signed in to the site '/);
          await screen.press(KEYS.enter);
          // Delete asks with the name in the question; a job uses it, so the refusal names the job.
          await screen.press('d');
          await screen.press(KEYS.escape);
          // Bad news, each alert selected in turn; Notification options.
          await screen.press('3');
          for (let i = 0; i < records.length + 2; i++) await screen.press('j');
          await screen.press('n');
          await screen.press(KEYS.escape);
          // Jobs: every row, and the obsolete-connection warning for job j1 (on an obsolete connection).
          await screen.press('4');
          await screen.press('j');
          await screen.press('r');
          await screen.press(KEYS.escape);
          for (let i = 1; i < records.length; i++) await screen.press('j');
          await screen.press('?');
          await screen.press(KEYS.escape);
          await screen.press('1');
          expectHarmless(screen.frames);
          if (color) expect(screen.frames.some((f) => f.includes('\x1b['))).toBe(true);
          screen.unmount();
          cleanup();
          await store.close();
          store = undefined;
        },
      ),
      { numRuns: 10, endOnFailure: true },
    );
  });
});

describe('hostile text in a real terminal', () => {
  it('every hostile piece, on every screen: the byte stream carries no OSC, C1, BEL, BS, bare CR or bidi control, and the screen shows the escapes', async () => {
    const records = HOSTILE_PIECES.slice(0, 12).map((piece, i) => ({
      displayName: `name${i}${piece}end`,
      userName: `user${piece}`,
      jobName: `job${i}${piece}end`,
      alertMessage: `msg${i}${HOSTILE_PIECES[(i + 12) % HOSTILE_PIECES.length]}end`,
    }));
    const path = await hostileStore(records);
    const panel = await Panel.open(['--store', path], { cols: 120, rows: 40, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, BACKUP_PANEL_M365_ENDPOINT: sandbox.url } });
    try {
      await panel.waitFor('Bad news');
      await panel.press('2');
      await panel.waitFor('Manage server connections (12)');
      for (let i = 0; i < 11; i++) await panel.press('j');
      await panel.press('g', 'j', 'j');
      sandbox.inject({ host: 'sp.corp.contoso.com', respond: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Title: `site${HOSTILE_PIECES.join('')}` }) } });
      await panel.press('t');
      await panel.waitFor(/Signed in to the site/);
      await panel.waitFor('The check passed.');
      // The site's hostile title, as visible escapes, on the screen as it stands now (the byte stream
      // may or may not hold an intermediate frame, depending on how fast frames follow each other).
      expect(panel.flowed().replace(/\s+/g, '')).toContain('site\\x1b\\x1b[');
      await panel.press(KEY.enter, '3');
      await panel.waitFor('Bad news:');
      for (let i = 0; i < 14; i++) await panel.press('j');
      await panel.press('4');
      await panel.waitFor('job0');
      for (let i = 0; i < 11; i++) await panel.press('j');
      await panel.press('1');
      await panel.waitFor('Defined server connections');
      await panel.press('q');
      expect(await panel.exited()).toBe(0);
      const offences = rawTerminalOffences(panel.raw);
      expect(offences).toEqual([]);
      // The hostile text is there, as visible escapes: an OSC title and a hyperlink opener.
      expect(panel.raw).toContain('\\x1b]0;pwned-title\\x07');
      expect(panel.raw).toContain('\\x1b]8;;https://evil.example/\\x07');
    } finally {
      panel.kill();
    }
  });
});

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

async function badNews(size = { columns: 80, rows: 24 }) {
  fixture = await openFixture();
  const screen = await renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
  await screen.press('3');
  return screen;
}

const alertRows = (frame: string) => frame.split('\n').filter((l) => /^[› ] [!✗] /.test(l));

describe('Bad news', () => {
  it('lists every alert, permanent ones first, and shows the selected one in full', async () => {
    const screen = await badNews({ columns: 120, rows: 40 });
    const rows = alertRows(screen.frame());
    expect(rows).toHaveLength(4);
    expect(rows.slice(0, 3).every((r) => r.includes('Obsolete connection in use'))).toBe(true);
    expect(rows[3]).toContain("Job 'Fabrikam mailboxes' failed: the server did not respond.");
    expect(screen.frame()).toContain('Bad news: 3 permanent · 1 event');
    expect(unwrap(screen.frame())).toContain('will stop working when Basic Authentication is disabled for your tenant.');
  });

  it('dismisses an event alert (and keeps it dismissed), but explains why a permanent one stays', async () => {
    const screen = await badNews();
    await screen.press('x');
    expect(screen.frame()).toContain('Permanent alert');
    expect(screen.frame()).toContain('mute the category in Notification options');
    await screen.press(KEYS.enter);
    expect(alertRows(screen.frame())).toHaveLength(4);

    await screen.press('G');
    await screen.press('x');
    await screen.waitFor((f) => f.includes('Alert dismissed'));
    expect(alertRows(screen.frame())).toHaveLength(3);
    // Gone from the list; the notice names what went.
    expect(alertRows(screen.frame()).join('\n')).not.toContain('Fabrikam mailboxes');
    expect(screen.frame()).toContain("Alert dismissed: Job 'Fabrikam mailboxes' failed");
    expect((await fixture!.saved()).alerts.map((a) => a.id)).not.toContain('a-1');
  });

  it('n, Space and Enter arriving in one read (a loaded machine, SSH) open, toggle and save: the Enter is not taken for a pasted line end', async () => {
    const screen = await badNews();
    await screen.pressTogether('n \r');
    await screen.waitFor((f) => f.includes('Notification options saved'));
    expect((await fixture!.saved()).notifications.muted).toEqual(['obsolete-connection']);
  });

  it('muting "Obsolete connection in use" in Notification options removes those alerts everywhere and persists', async () => {
    const screen = await badNews();
    await screen.press('n');
    let frame = screen.frame();
    expect(frame).toContain('Notification options');
    for (const label of ['Obsolete connection in use', 'Job failed', 'Connection test failed', 'Certificate or secret expiring']) expect(frame).toContain(`[x] ${label}`);
    expect(frame).toMatch(/› \[x\] Obsolete connection in use/);
    await screen.press(KEYS.space);
    expect(screen.frame()).toMatch(/› \[ \] Obsolete connection in use\s+\(muted\)/);
    // Nothing is saved before Enter.
    expect((await fixture!.saved()).notifications.muted).toEqual([]);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Notification options saved'));
    frame = screen.frame();
    expect(alertRows(frame)).toHaveLength(1);
    expect(frame).not.toContain('needs to be reconfigured');
    expect(frame).toContain('1 muted category');
    expect((await fixture!.saved()).notifications.muted).toEqual(['obsolete-connection']);

    await screen.press('1');
    frame = screen.frame();
    expect(frame).not.toContain('needs to be reconfigured');
    expect(frame).toContain('0 permanent · 1 event');

    // Shown again when unmuted.
    await screen.press('3');
    await screen.press('n');
    await screen.press(KEYS.space);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('every category is shown'));
    expect(alertRows(screen.frame())).toHaveLength(4);
    expect((await fixture!.saved()).notifications.muted).toEqual([]);
  });

  it('Esc leaves Notification options without saving', async () => {
    const screen = await badNews();
    await screen.press('n');
    await screen.press('j');
    await screen.press(KEYS.space);
    expect(screen.frame()).toMatch(/› \[ \] Job failed/);
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Bad news: 3 permanent · 1 event');
    expect((await fixture!.saved()).notifications.muted).toEqual([]);
  });
});

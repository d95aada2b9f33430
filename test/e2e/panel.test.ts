import pty from '@lydell/node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, fixtureStore, runCli } from '../helpers/cli.js';
import { KEY, PanelSession } from './terminal.js';

const sessions: PanelSession[] = [];
function open(args: string[], options: ConstructorParameters<typeof PanelSession>[1] = {}): PanelSession {
  const session = new PanelSession(args, options);
  sessions.push(session);
  return session;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

const OBSOLETE_C1 = "Server connection 'admin@contoso.onmicrosoft.com' needs to be reconfigured";
/** SGR sequences that set a colour (foreground, background, 16/256/true colour). */
// eslint-disable-next-line no-control-regex -- escape sequences are what this looks for
const COLOUR_SGR = /\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;
const BOX_DRAWING = /[\u2500-\u257f]/;
/** A paragraph as a reader follows it across wrapped lines inside a box. */
const flowed = (text: string) => text.replace(/[│|]/g, ' ').replace(/\s+/g, ' ');

describe('the panel in a real terminal (80x24, TERM=xterm)', () => {
  it('shows the obsolete alerts on the Bad news card of the migrated fixture', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store]);
    // The footer is the last line drawn: the whole frame is on the screen.
    await panel.waitFor((p) => p.text().includes(OBSOLETE_C1) && p.text().includes('? help'));
    const lines = panel.lines();
    expect(lines).toHaveLength(24);
    expect(panel.text()).toContain('Bad news');
    expect(panel.text()).toContain('Defined server connections');
    expect(panel.text()).toMatch(/3 permanent · 1 event/);
    // The frame stays below the last row: nothing scrolled away.
    expect(lines[0]).toContain('backup-panel');
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
  });

  it('Notification options: muting "Obsolete connection in use" survives a restart', async () => {
    const { store } = await fixtureStore();
    const first = open(['--store', store]);
    await first.waitFor(OBSOLETE_C1);
    await first.press('3');
    await first.waitFor('Bad news: 3 permanent');
    await first.press('n');
    await first.waitFor('[x] Obsolete connection in use');
    await first.press(KEY.space);
    await first.waitFor('[ ] Obsolete connection in use');
    await first.press(KEY.enter);
    await first.waitForGone('Obsolete connection in use');
    await first.press('1', 'q');
    expect(await first.exited()).toBe(0);

    const second = open(['--store', store]);
    await second.waitFor('Defined server connections');
    await second.waitFor("Job 'Fabrikam mailboxes' failed");
    expect(second.text()).not.toContain('needs to be reconfigured');
    const alerts = JSON.parse((await runCli(['alerts', 'list', '--json', '--store', store])).stdout) as Array<{ category: string }>;
    expect(alerts.map((a) => a.category)).toEqual(['job-failed']);
  });

  it('running job j-2 on an obsolete connection warns first and runs nothing on Cancel', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store]);
    await panel.waitFor('Defined server connections');
    await panel.press('4');
    await panel.waitFor('SharePoint sites - w'); // the name column may end in an ellipsis at 80 columns
    await panel.press(KEY.down, 'r');
    await panel.waitFor('Obsolete server connection');
    expect(flowed(panel.text())).toContain(
      "Job 'SharePoint sites - weekly' uses server connection 'contoso.sharepoint.com', which still uses Basic Authentication. It needs to be reconfigured to use Modern Authentication (OAuth 2.0)",
    );
    await panel.press(KEY.esc);
    await panel.waitForGone('Obsolete server connection');
    const jobs = JSON.parse((await runCli(['jobs', 'list', '--json', '--store', store])).stdout) as Array<{ id: string; lastRun: { at: string } | null }>;
    expect(jobs.find((j) => j.id === 'j-2')?.lastRun?.at).toBe('2020-06-14T03:00:00Z');
  });

  it('with NO_COLOR=1 writes no colour escape at all', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store], { env: { NO_COLOR: '1' }, term: 'xterm-256color' });
    await panel.waitFor(OBSOLETE_C1);
    await panel.press('2');
    await panel.waitFor('Manage server connections');
    await panel.press(KEY.down, KEY.down, '3');
    await panel.waitFor('Bad news: 3 permanent');
    expect(COLOUR_SGR.test(panel.raw)).toBe(false);
    // The cursor row is still visible without colour.
    expect(panel.text()).toMatch(/^› /m);
  });

  it('with colour on (TERM=xterm) it does use colour: the check above can fail', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
    await panel.waitFor(OBSOLETE_C1);
    expect(COLOUR_SGR.test(panel.raw)).toBe(true);
  });

  it('with --ascii draws no box-drawing characters', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--ascii', '--store', store]);
    await panel.waitFor(OBSOLETE_C1);
    expect(panel.text()).toMatch(/^\+-+\+$/m);
    await panel.press('2');
    await panel.waitFor('Manage server connections');
    await panel.press('?');
    await panel.waitFor('Keys');
    expect(BOX_DRAWING.test(panel.text())).toBe(false);
  });

  it('re-lays out when resized from 120x40 to 80x24 and back, mid-flow', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store], { cols: 120, rows: 40 });
    await panel.waitFor(OBSOLETE_C1);
    await panel.press('2');
    await panel.waitFor('Manage server connections (6)');
    await panel.press(KEY.down, KEY.down);
    await panel.waitFor(/› Exchange\s+ex01\.corp\.contoso\.com/);
    panel.resize(80, 24);
    await panel.waitFor(/› Exchange\s+ex01\.corp\.contoso\.com/);
    await new Promise((r) => setTimeout(r, 300));
    let lines = panel.lines();
    expect(lines).toHaveLength(24);
    expect(lines[0]).toContain('backup-panel');
    expect(lines.filter((l) => l.includes('Manage server connections'))).toHaveLength(1);
    expect(lines.some((l) => /t test · d delete/.test(l))).toBe(true);
    panel.resize(120, 40);
    await new Promise((r) => setTimeout(r, 300));
    await panel.press(KEY.down);
    await panel.waitFor(/› SharePoint\s+sp\.corp\.contoso\.com/);
    lines = panel.lines();
    expect(lines.filter((l) => l.includes('Manage server connections'))).toHaveLength(1);
    expect(lines[0]).toContain('backup-panel');
  });

  it('says the terminal is too small below 60x15 and recovers', async () => {
    const { store } = await fixtureStore();
    const panel = open(['--store', store], { cols: 50, rows: 12 });
    await panel.waitFor(/too small/i);
    panel.resize(80, 24);
    await panel.waitFor(OBSOLETE_C1);
  });
});

describe('stdin not a terminal', () => {
  it('prints one line pointing at the CLI commands and exits 2', async () => {
    const { store } = await fixtureStore();
    const term = pty.spawn('/bin/sh', ['-c', `exec "${process.execPath}" "${CLI}" --store "${store}" < /dev/null`], { cols: 80, rows: 24, env: { ...process.env, TERM: 'xterm' } as Record<string, string> });
    let out = '';
    term.onData((d) => (out += d));
    const code = await new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    expect(code).toBe(2);
    const lines = out.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/interactive terminal.*connections list/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { fixtureStore } from '../helpers/cli.js';
import { PanelSession, type PanelOptions } from './terminal.js';

/** Terminals that cannot draw boxes or have no UTF-8 locale get ASCII by itself (issue 16.6). */

const sessions: PanelSession[] = [];
async function open(args: string[], options: PanelOptions): Promise<PanelSession> {
  const { store } = await fixtureStore();
  const session = new PanelSession(['--store', store, ...args], options);
  sessions.push(session);
  // The footer is drawn last: the whole first frame is on the screen.
  await session.waitFor('help');
  return session;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

// eslint-disable-next-line no-control-regex -- escape sequences are what this looks for
const COLOUR_SGR = /\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7]|7)(?:;[0-9;]*)?m/;
const BOX_DRAWING = /[\u2500-\u257f]/;
/** Anything outside printable ASCII (box drawing, arrows, ⏎, ›, …). */
const NON_ASCII = /[^\x20-\x7e\n]/;

describe('the panel picks its characters from the locale and TERM', () => {
  it.each([
    ['TERM=linux (console font)', { term: 'linux' }],
    ['LANG=C', { env: { LANG: 'C' } }],
    ['LC_ALL=C over LANG=en_US.UTF-8', { env: { LANG: 'en_US.UTF-8', LC_ALL: 'C' } }],
    ['LC_CTYPE=POSIX', { env: { LC_CTYPE: 'POSIX' } }],
    ['a Latin-1 locale', { env: { LANG: 'de_DE.ISO-8859-1' } }],
  ] as const)('%s: ASCII only, boxes drawn with + - |', async (_name, options) => {
    const panel = await open([], options);
    expect(panel.text()).not.toMatch(NON_ASCII);
    expect(panel.text()).toMatch(/\+-{10,}\+/);
  });

  it('a UTF-8 locale on xterm keeps box drawing; LC_ALL=C.UTF-8 wins over LANG=C', async () => {
    expect((await open([], { env: { LANG: 'en_US.UTF-8' } })).text()).toMatch(BOX_DRAWING);
    expect((await open([], { env: { LANG: 'C', LC_ALL: 'C.UTF-8' } })).text()).toMatch(BOX_DRAWING);
  });

  it('--unicode and --ascii win over what the environment suggests', async () => {
    expect((await open(['--unicode'], { term: 'linux', env: { LANG: 'C' } })).text()).toMatch(BOX_DRAWING);
    expect((await open(['--ascii'], { env: { LANG: 'en_US.UTF-8' } })).text()).not.toMatch(NON_ASCII);
  });

  it('TERM=dumb: no colour, and the active tab is marked by brackets', async () => {
    const panel = await open([], { term: 'dumb' });
    expect(panel.lines()[0]).toContain('[1 Dashboard]');
    expect(panel.raw).not.toMatch(COLOUR_SGR);
    expect(panel.text()).not.toMatch(NON_ASCII);
    await panel.press('4');
    await panel.waitFor('[4 Jobs]');
    expect(panel.lines()[0]).not.toContain('[1 Dashboard]');
  });

  it('at 60x15 every tab keeps a name', async () => {
    const panel = await open([], { cols: 60, rows: 15 });
    const header = panel.lines()[0] ?? '';
    expect(header).toMatch(/1 Dash\w*.*2 Conn\w*.*3 (Bad )?News.*4 Jobs/i);
    await panel.press('2');
    await panel.waitFor(/2 Connections/);
    expect(panel.lines()[0]).toMatch(/1 Dash\w*.*2 Connections.*3 (Bad )?News.*4 Jobs/i);
  });
});

describe('a paste in a real terminal', () => {
  it('a value pasted with its line end fills the field and does not advance the wizard', async () => {
    const panel = await open([], {});
    await panel.press('2');
    await panel.waitFor('Manage server connections');
    await panel.press('n');
    await panel.waitFor('Exchange connection');
    await panel.press('\r');
    await panel.waitFor('Server location');
    await panel.press('\x1b[C', '\r');
    await panel.waitFor(/Server name/);
    await panel.press('\t');
    const before = panel.lines()[4];
    // One write, as a terminal delivers a paste (no bracketed paste: the panel does not ask for it).
    await panel.press('ex01.corp.contoso.com\r');
    await panel.waitFor('ex01.corp.contoso.com');
    expect(panel.lines()[4]).toBe(before);
  });
});

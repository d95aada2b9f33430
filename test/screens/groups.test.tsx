import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Screen } from '../app/helpers/render.js';
import type { Fixture } from './helpers/context.js';

// chalk picks its colour level when first imported (0 without a TTY): forced, so that only the
// no-colour theme can take the escapes away (as in render-modes.test.tsx).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { App } = await import('../../src/app/App.js');
const { cleanup, KEYS, renderSized } = await import('../app/helpers/render.js');
const { fakeAuth } = await import('../app/helpers/fake-auth.js');
const { MemoryStore } = await import('../app/helpers/memory-store.js');
const { manyConnections } = await import('../app/helpers/documents.js');
const { NOW, openFixture } = await import('./helpers/context.js');

/**
 * Issue 16 item 2: Manage grouped by tenant. The fixture has two Microsoft 365 tenants (contoso:
 * 2 connections, fabrikam: 1) and three on-premises connections.
 */

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

async function manage(size = { columns: 80, rows: 24 }, look: { color?: boolean; ascii?: boolean } = {}): Promise<Screen> {
  fixture = await openFixture();
  const screen = await renderSized(<App ctx={fixture.ctx} color={look.color ?? false} ascii={look.ascii ?? false} host="backup01" />, size);
  await screen.press('2');
  return screen;
}

const lines = (frame: string) => frame.split('\n');
const selectedLine = (frame: string) => lines(frame).find((l) => l.startsWith('›')) ?? '';
/** The header lines of the table, in order, without their rules. */
const headers = (frame: string, rule = '─') =>
  lines(frame)
    .filter((l) => l.startsWith(`  ${rule}${rule} `))
    .map((l) => l.slice(5).replace(new RegExp(`\\s*\\${rule}*$`), ''));
const rows = (frame: string) => lines(frame).filter((l) => /^[› ] (Exchange|SharePoint) /.test(l));

describe('Manage grouped by tenant', () => {
  it('s draws a header line per tenant and one for on-premises, each with its count; s again takes them away', async () => {
    const screen = await manage();
    expect(headers(screen.frame())).toEqual([]);
    await screen.press('s');
    const frame = screen.frame();
    expect(frame).toContain('Manage server connections (6, grouped by tenant)');
    expect(headers(frame)).toEqual(['contoso.onmicrosoft.com (2)', 'fabrikam.onmicrosoft.com (1)', 'On-premises (3)']);
    // Each header stands right above its connections.
    const all = lines(frame);
    const at = (text: string) => all.findIndex((l) => l.includes(text));
    expect(at('fabrikam.onmicrosoft.com (1)')).toBe(at('backup@fabri') - 1);
    expect(at('On-premises (3)')).toBe(at('backup@fabri') + 1);
    expect(rows(frame)).toHaveLength(6);
    await screen.press('s');
    expect(headers(screen.frame())).toEqual([]);
    expect(screen.frame()).toContain('Manage server connections (6)');
  });

  it('the cursor skips the headers, and the position counts connections only', async () => {
    const screen = await manage();
    await screen.press('s');
    expect(selectedLine(screen.frame())).toContain('admin@contos');
    expect(screen.frame()).toContain('1/6');
    await screen.press('j');
    await screen.press('j');
    // From contoso's last connection over the fabrikam header onto its connection.
    expect(selectedLine(screen.frame())).toContain('backup@fabri');
    expect(screen.frame()).toContain('3/6');
    await screen.press('j');
    expect(selectedLine(screen.frame())).toContain('Autodiscover');
    expect(screen.frame()).toContain('4/6');
    await screen.press('k');
    expect(selectedLine(screen.frame())).toContain('backup@fabri');
    await screen.press(KEYS.end);
    expect(selectedLine(screen.frame())).toContain('sp.corp.contoso.com');
    expect(screen.frame()).toContain('6/6');
    await screen.press(KEYS.home);
    expect(selectedLine(screen.frame())).toContain('admin@contos');
    await screen.press(KEYS.pageDown);
    expect(selectedLine(screen.frame())).toContain('sp.corp.contoso.com');
    // No line but a connection's ever carries the cursor.
    for (const frame of screen.frames) expect(lines(frame).filter((l) => l.startsWith('›')).every((l) => /^› (Exchange|SharePoint) /.test(l))).toBe(true);
  });

  it('the filter applies within the groups: only the groups with matches, counted by matches', async () => {
    const screen = await manage();
    await screen.press('s');
    await screen.press('/');
    for (const key of 'exchange') await screen.press(key);
    let frame = screen.frame();
    expect(frame).toContain('(4 of 6, grouped by tenant)');
    expect(headers(frame)).toEqual(['contoso.onmicrosoft.com (1)', 'fabrikam.onmicrosoft.com (1)', 'On-premises (2)']);
    expect(rows(frame)).toHaveLength(4);
    expect(frame).toContain('1/4');
    await screen.press(KEYS.enter);
    await screen.press('G');
    expect(selectedLine(screen.frame())).toContain('ex01.corp');
    expect(screen.frame()).toContain('4/4');
    await screen.press('/');
    await screen.press(KEYS.escape);
    await screen.press('/');
    for (const key of 'corp') await screen.press(key);
    frame = screen.frame();
    expect(headers(frame)).toEqual(['On-premises (3)']);
    expect(frame).toContain('(3 of 6, grouped by tenant)');
  });

  it('switching the order keeps the cursor on the same connection', async () => {
    const screen = await manage();
    await screen.press('j');
    await screen.press('j');
    expect(selectedLine(screen.frame())).toContain('ex01.corp');
    expect(screen.frame()).toContain('3/6');
    await screen.press('s');
    expect(selectedLine(screen.frame())).toContain('ex01.corp');
    expect(screen.frame()).toContain('5/6');
    await screen.press('k');
    expect(selectedLine(screen.frame())).toContain('Autodiscover');
    await screen.press('s');
    expect(selectedLine(screen.frame())).toContain('Autodiscover');
    expect(screen.frame()).toContain('6/6');
  });

  it('under NO_COLOR and ASCII the headers are "-- tenant (n) ----" rules, never taken for a connection', async () => {
    const screen = await manage({ columns: 80, rows: 24 }, { color: false, ascii: true });
    await screen.press('s');
    const frame = screen.frame();
    expect(frame).not.toMatch(/[─╭│]/);
    expect(headers(frame, '-')).toEqual(['contoso.onmicrosoft.com (2)', 'fabrikam.onmicrosoft.com (1)', 'On-premises (3)']);
    expect(frame).toMatch(/^ {2}-- On-premises \(3\) -{20,}$/m);
    expect(frame).not.toContain('\u001B[');
  });

  it('in colour the headers are drawn bold', async () => {
    const screen = await manage({ columns: 80, rows: 24 }, { color: true });
    await screen.press('s');
    const header = lines(screen.frame()).find((l) => l.includes('fabrikam.onmicrosoft.com (1)')) ?? '';
    expect(header).toContain('\u001B[1m');
    expect(header).not.toContain('›');
  });

  it('at 60x15 moving up to the first connection of a tenant brings its header into view', async () => {
    const screen = await manage({ columns: 60, rows: 15 });
    await screen.press('s');
    await screen.press('G');
    expect(headers(screen.frame())).not.toContain('contoso.onmicrosoft.com (2)');
    for (let i = 0; i < 5; i++) await screen.press('k');
    expect(screen.frame()).toContain('1/6');
    expect(headers(screen.frame())[0]).toBe('contoso.onmicrosoft.com (2)');
  });

  it('windows 10,000 connections grouped: only the visible lines are drawn, End reaches the last', async () => {
    const store = new MemoryStore(manyConnections(10_000));
    const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => fakeAuth() }} color={false} ascii={false} host="h" />, { columns: 120, rows: 40 });
    await screen.press('2');
    await screen.press('s');
    let frame = screen.frame();
    expect(frame).toContain('(10000, grouped by tenant)');
    expect(rows(frame).length + headers(frame).length).toBe(30);
    expect(headers(frame)[0]).toBe('tenant0.onmicrosoft.com (1)');
    await screen.press('G');
    frame = screen.frame();
    expect(frame).toContain('10000/10000');
    // The last connections of the on-premises group fill the window; its header is far above.
    expect(headers(frame)).toEqual([]);
    expect(rows(frame)).toHaveLength(30);
    expect(selectedLine(frame)).toContain('sp9997.corp');
  });
});

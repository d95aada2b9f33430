import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized } from '../app/helpers/render.js';
import { fakeAuth } from '../app/helpers/fake-auth.js';
import { MemoryStore } from '../app/helpers/memory-store.js';
import { manyConnections } from '../app/helpers/documents.js';
import { NOW, openFixture, type Fixture } from './helpers/context.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

async function connections(size = { columns: 80, rows: 24 }, options: Parameters<typeof openFixture>[0] = {}) {
  fixture = await openFixture(options);
  const screen = await renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
  await screen.press('2');
  return screen;
}

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('Manage server connections', () => {
  it('lists Type, Connection name (+ [obsolete]), Location and Authentication type', async () => {
    const frame = (await connections({ columns: 120, rows: 40 })).frame();
    expect(frame).toMatch(/Type\s+Connection name\s+Location\s+Authentication type/);
    expect(frame).toMatch(/Exchange\s+admin@contoso\.onmicrosoft\.com\s+\[obsolete\]\s+Microsoft 365\s+legacy/);
    expect(frame).toMatch(/SharePoint\s+contoso\.sharepoint\.com \[obsolete\]\s+Microsoft 365\s+legacy/);
    expect(frame).toMatch(/Exchange\s+ex01\.corp\.contoso\.com\s+On-premises\s+legacy/);
    expect(frame).toMatch(/Exchange\s+Autodiscover \(corp\.contoso\.com\)\s+On-premises\s+legacy/);
    expect(frame.match(/^[› ] .*\[obsolete\]/gm)).toHaveLength(3);
  });

  it('at 80x24 cuts a long name but never [obsolete], and shows the selected name in full below', async () => {
    const screen = await connections();
    const frame = screen.frame();
    expect(selectedLine(frame)).toMatch(/Exchange\s+admin@contoso\S*… \[obsolete\]\s+Microsoft 365\s+legacy/);
    expect(frame).toContain('admin@contoso.onmicrosoft.com [obsolete] · Exchange Online · legacy');
    expect(frame).toContain("Used by jobs 'Mailboxes - nightly', 'Restore CEO mailbox'.");
    expect(frame.match(/^[› ] .*\[obsolete\]/gm)).toHaveLength(3);
  });

  it('keeps [obsolete] visible at 60x15 by cutting the name instead', async () => {
    const frame = (await connections({ columns: 60, rows: 15 })).frame();
    expect(frame.match(/\[obsolete\]/g)?.length).toBeGreaterThanOrEqual(2);
    expect(frame).toContain('Manage server connections (6)');
  });

  it('moves with j/k, g/G, PgUp/PgDn and handles several keys arriving in one chunk in order', async () => {
    const screen = await connections();
    expect(selectedLine(screen.frame())).toContain('admin@contoso');
    await screen.pressTogether('jjj');
    expect(selectedLine(screen.frame())).toContain('sp.corp.contoso.com');
    await screen.pressTogether('jjk');
    expect(selectedLine(screen.frame())).toContain('backup@fabrikam');
    await screen.press('G');
    expect(selectedLine(screen.frame())).toContain('Autodiscover');
    await screen.press('g');
    expect(selectedLine(screen.frame())).toContain('admin@contoso');
    await screen.press(KEYS.pageDown);
    expect(selectedLine(screen.frame())).toContain('Autodiscover');
    await screen.press(KEYS.up);
    expect(selectedLine(screen.frame())).toContain('backup@fabrikam');
    await screen.press(KEYS.pageUp);
    expect(selectedLine(screen.frame())).toContain('admin@contoso');
  });

  it('filters with /: typed j, k and q are text, Enter keeps the filter, Esc clears it', async () => {
    const screen = await connections();
    await screen.press('/');
    for (const key of 'fabrikam') await screen.press(key);
    let frame = screen.frame();
    expect(frame).toContain('/fabrikam_');
    expect(frame).toContain('(1 of 6)');
    expect(selectedLine(frame)).toContain('backup@fabrikam');
    expect(frame).not.toContain('contoso.sharepoint.com');
    await screen.press(KEYS.backspace);
    expect(screen.frame()).toContain('/fabrika_');
    await screen.press(KEYS.enter);
    frame = screen.frame();
    expect(frame).toContain('/fabrika');
    expect(frame).not.toContain('/fabrika_');
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Manage server connections (6)');
    // Typing q, j, k into the field neither quits nor moves.
    await screen.press('/');
    for (const key of 'qjk') await screen.press(key);
    frame = screen.frame();
    expect(frame).toContain('/qjk_');
    expect(frame).toContain('(0 of 6)');
    await screen.press(KEYS.escape);
    expect(selectedLine(screen.frame())).toContain('admin@contoso');
  });

  it('tests a connection: the running check, then each result as it arrives', async () => {
    const screen = await connections();
    // The on-premises Exchange server answers slowly, so the running check can be seen.
    (await fixture!.sandbox()).inject({ host: 'ex01.corp.contoso.com', respond: { delayMs: 400 } });
    await screen.press('j');
    await screen.press('j');
    await screen.press('t');
    await screen.waitFor((f) => f.includes('Running: EWS (Basic)'));
    expect(screen.frame()).toContain("Testing server connection 'ex01.corp.contoso.com'");
    await screen.waitFor((f) => /(All \d+ checks|The check) passed\./.test(f));
    expect(screen.frame()).toMatch(/✓ EWS \(Basic\): .*ex01\.corp\.contoso\.com/);
    expect(fixture!.verified[0]).toMatchObject({ kind: 'onprem-exchange', server: 'ex01.corp.contoso.com', userName: 'CORP\\svc-backup' });
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Manage server connections');

    // An obsolete connection fails the Basic Authentication check; the failure becomes an alert.
    await screen.press('g');
    await screen.press('t');
    await screen.waitFor((f) => f.includes('Test failed at "Basic Authentication"'));
    expect(screen.frame()).toMatch(/✗ Basic Authentication: Microsoft 365 no longer accepts passwords/);
    expect((await fixture!.saved()).alerts.some((a) => a.category === 'connection-failed' && a.connectionId === 'c-1')).toBe(true);
  });

  it('cancels a running test with Esc', async () => {
    const screen = await connections();
    (await fixture!.sandbox()).inject({ host: 'outlook.office365.com', times: Infinity, respond: 'hang' });
    await screen.press('t');
    await screen.waitFor((f) => f.includes('Running: Basic Authentication'));
    await screen.press(KEYS.escape);
    await screen.waitFor((f) => f.includes('Test cancelled.'));
    await screen.press(KEYS.escape);
    expect(screen.frame()).toContain('Manage server connections');
  });

  it('refuses to delete a connection a job uses, naming the jobs', async () => {
    const screen = await connections();
    await screen.press('d');
    const frame = screen.frame();
    expect(frame).toContain('Cannot delete this server connection');
    expect(frame).toContain("'Mailboxes - nightly'");
    expect(frame).toContain("'Restore CEO mailbox'");
    await screen.press(KEYS.enter);
    expect((await fixture!.saved()).connections.map((c) => c.id)).toContain('c-1');
  });

  it('asks before deleting, with No as the default, and deletes on Yes', async () => {
    const screen = await connections();
    await screen.press('G');
    await screen.press('d');
    expect(screen.frame()).toContain("Delete server connection 'Autodiscover (corp.contoso.com)' (id c-6,");
    expect(screen.frame()).toMatch(/› ?\[ Cancel \]/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Autodiscover (corp.contoso.com)');
    expect((await fixture!.saved()).connections).toHaveLength(6);

    await screen.press('d');
    await screen.press(KEYS.right);
    expect(screen.frame()).toMatch(/› ?\[ Delete \]/);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes("Server connection 'Autodiscover (corp.contoso.com)' deleted."));
    expect(screen.frame()).toContain('Manage server connections (5)');
    expect((await fixture!.saved()).connections.map((c) => c.id)).not.toContain('c-6');
  });

  it('refuses to delete in a read-only store, saying so', async () => {
    const screen = await connections(undefined, { readOnly: true });
    await screen.press('G');
    await screen.press('d');
    expect(screen.frame()).toContain('The store is read-only');
    expect(screen.frame()).toContain('Nothing was changed.');
  });

  it('windows 10,000 connections: only the visible rows are drawn, and the cursor stays visible', async () => {
    // 10,000 rows in memory, as the benchmark has them (the real store's own scale is benchmarked by its owners).
    const store = new MemoryStore(manyConnections(10_000));
    const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => fakeAuth() }} color={false} ascii={false} host="h" />, { columns: 120, rows: 40 });
    await screen.press('2');
    const rowsOf = (frame: string) => frame.split('\n').filter((l) => /^[› ] (Exchange|SharePoint) /.test(l));
    expect(rowsOf(screen.frame())).toHaveLength(30);
    await screen.press('G');
    expect(selectedLine(screen.frame())).toContain('admin9999@tenant9999');
    expect(screen.frame()).toContain('10000/10000');
    expect(rowsOf(screen.frame())).toHaveLength(30);
    await screen.press(KEYS.pageUp);
    expect(screen.frame()).toContain('9970/10000');
    await screen.press('/');
    for (const key of '9998') await screen.press(key);
    expect(screen.frame()).toContain('(1 of 10000)');
  });
});

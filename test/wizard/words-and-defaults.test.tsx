import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { savedNotice } from '../../src/model/state/texts.js';
import { cleanup, KEYS, renderSized, type Screen } from '../app/helpers/render.js';
import { openFixture, type Fixture } from '../screens/helpers/context.js';
import { selectConnection } from './helpers.js';

/** Issue 16 items 7 and 8 (the panel's words): placeholders, headers, alignment, grammar, notices. */

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

async function open(options: { color?: boolean; size?: { columns: number; rows: number } } = {}): Promise<Screen> {
  fixture = await openFixture();
  return renderSized(<App ctx={fixture.ctx} color={options.color ?? false} ascii={false} host="backup01" />, options.size ?? { columns: 80, rows: 24 });
}

/** The line of the step header (the step indicator), second line of the wizard. */
function indicator(frame: string): string {
  return frame.split('\n')[3] ?? '';
}

describe('placeholders (item 7)', () => {
  it('without colour a placeholder is marked as the empty field’s hint, never drawn like a value', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    const frame = screen.frame();
    expect(frame).toMatch(/Server name or IP\s+\(empty: ex01\.corp\.contoso\.com\)/);
    expect(frame).not.toMatch(/Server name or IP\s+ex01\.corp\.contoso\.com/);
  });
});

describe('words and defaults (item 8)', () => {
  it('the Manual path’s step header has the same form as the Automatic path’s', async () => {
    const screen = await open();
    await selectConnection(screen, 'admin@contoso');
    await screen.press('e');
    const automatic = indicator(screen.frame());
    await screen.press(KEYS.right);
    const manual = indicator(screen.frame());
    expect(automatic).toMatch(/Step 1 of \d+: Application registration/);
    expect(manual).toMatch(/Step 1 of \d+: Application registration/);
    await screen.press(KEYS.enter);
    expect(indicator(screen.frame())).toMatch(/Step 2 of 4: Application details/);
  });

  it('"Admin center URL" starts in the same column as the field values', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.down);
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    const lines = screen.frame().split('\n');
    const field = lines.find((l) => l.includes('SharePoint server URL')) ?? '';
    const admin = lines.find((l) => l.includes('Admin center URL')) ?? '';
    expect(field.indexOf('https://')).toBeGreaterThan(0);
    expect(admin.indexOf('(filled in') >= 0 ? admin.indexOf('(filled in') : admin.indexOf('https://')).toBe(field.indexOf('https://'));
  });

  it('an obsolete Microsoft 365 connection says "legacy (obsolete)"; on-premises stays "legacy"', async () => {
    const screen = await open({ size: { columns: 120, rows: 40 } });
    await screen.press('2');
    const frame = screen.frame();
    expect(frame).toMatch(/admin@contoso\.onmicrosoft\.com \[obsolete\]\s+Microsoft 365\s+legacy \(obsolete\)/);
    expect(frame).toMatch(/ex01\.corp\.contoso\.com\s+On-premises\s+legacy\s*$/m);
  });

  it('the saved notice is read whole at 80 columns', () => {
    const notice = savedNotice('edit-online', 'admin@contoso.onmicrosoft.com', 'modern', 80);
    expect(notice.text.length).toBeLessThanOrEqual(78);
    expect(notice.text).toContain('now modern (OAuth 2.0)');
    expect(notice.text).toContain('admin@contoso.onmicrosoft.com');
    const long = savedNotice('edit-online', `${'x'.repeat(90)}@contoso.onmicrosoft.com`, 'modern and legacy', 80);
    expect(long.text.length).toBeLessThanOrEqual(78);
    expect(long.text).toContain('now modern and legacy (OAuth 2.0)');
  });

  it('a status message does not stay on later screens', async () => {
    const screen = await open();
    await selectConnection(screen, 'ex01.corp');
    await screen.press('e');
    await screen.press(KEYS.tab);
    await screen.pressTogether('x');
    await screen.press(KEYS.escape);
    await screen.press('y');
    expect(screen.frame()).toContain('Changes discarded; nothing was saved.');
    await screen.press('?');
    expect(screen.frame()).not.toContain('Changes discarded');
    await screen.press(KEYS.escape);
    await screen.press('3');
    expect(screen.frame()).not.toContain('Changes discarded');
  });
});

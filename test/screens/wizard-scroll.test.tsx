import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { migratedFixture } from '../app/helpers/documents.js';
import { fakeAuth } from '../app/helpers/fake-auth.js';
import { MemoryStore } from '../app/helpers/memory-store.js';
import { cleanup, KEYS, renderSized, type Screen } from '../app/helpers/render.js';

/** Issue 16 item 5: PgDn / PgUp / Home / End / Space on a wizard step that is read, not filled in. */

afterEach(() => cleanup());
const NOW = new Date('2026-11-20T10:00:00Z');

/** The Permissions step of reconfiguring the [obsolete] Exchange Online connection: no field, taller than 60x15. */
async function permissions(): Promise<Screen> {
  const store = new MemoryStore(migratedFixture());
  // Five permissions, each a line or two: the step is twice the height of its area.
  const permissionsFor = () =>
    Array.from({ length: 5 }, (_, i) => ({ resource: 'Microsoft Graph' as const, resourceAppId: '00000003-0000-0000-c000-000000000000', name: `Permission.${i + 1}`, id: `role-${i + 1}`, why: `What permission ${i + 1} is needed for.` }));
  const auth = { ...fakeAuth({ stepMs: 1 }), permissionsFor };
  const screen = await renderSized(<App ctx={{ store, now: () => NOW, auth: async () => auth }} color={false} ascii={false} host="backup01" />, { columns: 60, rows: 15 });
  await screen.press('2');
  await screen.press('e');
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => f.includes('Step 2 of 6: Permissions') && !f.includes('Loading'));
  return screen;
}

/** The step's title line, with its scroll marks. */
const marks = (frame: string) => frame.split('\n').find((l) => l.startsWith(' Permissions')) ?? '';
/** The lines of the step area (between the step title and the button line). */
const area = (frame: string) => {
  const lines = frame.split('\n');
  const from = lines.findIndex((l) => l.startsWith(' Permissions'));
  const to = lines.findIndex((l) => l.includes('< Back'));
  return lines.slice(from + 1, to).join('\n');
};

describe('a wizard step without fields at 60x15', () => {
  it('PgDn and Space page it, End and Home jump, and ↑ moves at once after End', async () => {
    const screen = await permissions();
    const top = area(screen.frame());
    expect(marks(screen.frame())).toContain('▼');
    expect(marks(screen.frame())).not.toContain('▲');

    await screen.press(KEYS.pageDown);
    const paged = area(screen.frame());
    expect(paged).not.toBe(top);
    expect(marks(screen.frame())).toContain('▲');

    await screen.press(KEYS.end);
    const end = area(screen.frame());
    expect(marks(screen.frame())).toContain('▲');
    expect(marks(screen.frame())).not.toContain('▼');
    // The last line of the step is in view.
    expect(end).not.toBe(top);

    // One ↑ moves the view (End stopped at the real end, not beyond it).
    await screen.press(KEYS.up);
    expect(area(screen.frame())).not.toBe(end);
    expect(marks(screen.frame())).toContain('▼');

    await screen.press(KEYS.home);
    expect(area(screen.frame())).toBe(top);
    await screen.press(KEYS.space);
    expect(area(screen.frame())).toBe(paged);
    await screen.press('G');
    expect(area(screen.frame())).toBe(end);
    await screen.press('g');
    expect(area(screen.frame())).toBe(top);
    expect(screen.frame()).toContain('Step 2 of 6: Permissions');
  });

  it('PgUp pages back up, and at the top goes back a step as before', async () => {
    const screen = await permissions();
    const top = area(screen.frame());
    await screen.press(KEYS.pageDown);
    await screen.press(KEYS.pageUp);
    expect(area(screen.frame())).toBe(top);
    expect(screen.frame()).toContain('Step 2 of 6: Permissions');
    await screen.press(KEYS.pageUp);
    expect(screen.frame()).toContain('Step 1 of 6: Application registration');
  });

  it('the footer names the page key', async () => {
    const screen = await permissions();
    expect(screen.frame()).toMatch(/PgDn page/);
  });
});

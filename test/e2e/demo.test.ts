import { afterEach, describe, expect, it } from 'vitest';
import { editToDeviceCode, KEY, PanelSession } from './terminal.js';

const sessions: PanelSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describe('npm start (the demo)', () => {
  it('lets a newcomer reconfigure c-1 with Automatic registration; the sandbox approves the sign-in by itself', async () => {
    // Exactly what `npm start` runs, with no Microsoft 365 endpoint configured.
    const panel = new PanelSession(['--demo'], { env: { BACKUP_PANEL_M365_ENDPOINT: undefined } });
    sessions.push(panel);
    await panel.waitFor('Defined server connections');
    expect(panel.text()).toMatch(/Demo/);
    await panel.press('2');
    await panel.waitFor('Manage server connections (6)');
    await editToDeviceCode(panel);
    expect(panel.text()).toMatch(/Demo: the sandbox tenant approves this sign-in by itself/);
    // Nobody approves it here: the demo tenant does, after a few seconds.
    await panel.waitFor('All checks passed', 60_000);
    await panel.press(KEY.enter);
    await panel.waitFor('Nothing has been saved yet');
    await panel.press(KEY.enter);
    await panel.waitFor(/› Exchange\s+admin@contoso\.onmicrosoft\.com\s+Microsoft 365\s+modern/);
    await panel.press('1');
    await panel.waitFor('2 permanent · 1 event');
    await panel.press('q');
    expect(await panel.exited()).toBe(0);
  });
});

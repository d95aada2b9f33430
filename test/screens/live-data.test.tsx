import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized } from '../app/helpers/render.js';
import { openFixture, type Fixture } from './helpers/context.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  fixture = undefined;
});

async function open(pollMs?: number) {
  fixture = await openFixture();
  return renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" {...(pollMs ? { pollMs } : {})} />, { columns: 80, rows: 24 });
}

describe('live data', () => {
  it('refreshes the open view within a second when another session saves', async () => {
    const screen = await open();
    await screen.press('2');
    await fixture!.otherSession((doc) => {
      doc.connections = doc.connections.filter((c) => c.id !== 'c-6');
    });
    await screen.waitFor((f) => f.includes('Manage server connections (5)'), 1000);
    expect(screen.frame()).not.toContain('Autodiscover (corp.contoso.com)');
    expect(screen.frame()).toContain('Another session changed the store');

    await screen.press('1');
    await fixture!.otherSession((doc) => {
      doc.notifications.muted = ['job-failed'];
    });
    await screen.waitFor((f) => f.includes('3 permanent · 0 events'), 1000);
  });

  it('keeps the cursor on the same connection when rows above it disappear', async () => {
    const screen = await open();
    await screen.press('2');
    await screen.press('G');
    await fixture!.otherSession((doc) => {
      doc.connections = doc.connections.filter((c) => c.id !== 'c-4');
    });
    await screen.waitFor((f) => f.includes('Manage server connections (5)'), 1000);
    expect(screen.frame().split('\n').find((l) => l.startsWith('›'))).toContain('Autodiscover');
  });

  it('refuses a delete based on stale data with a message, and then shows the saved data', async () => {
    const screen = await open(60_000);
    await screen.press('2');
    await screen.press('G');
    await fixture!.otherSession((doc) => {
      const c6 = doc.connections.find((c) => c.id === 'c-6');
      if (c6) c6.displayName = 'Autodiscover (renamed elsewhere)';
    });
    await screen.press('d');
    expect(screen.frame()).toContain("Delete server connection 'Autodiscover (corp.contoso.com)' (id c-6,");
    await screen.press('y');
    await screen.waitFor((f) => f.includes('Changed by another session'));
    expect(screen.frame()).toContain('your change was not saved');
    expect((await fixture!.saved()).connections.map((c) => c.id)).toContain('c-6');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Autodiscover (renamed elsewhere)');
  });

  it('refuses Notification options saved over another session\'s change, and reopens the form on the saved settings', async () => {
    const screen = await open(60_000);
    await screen.press('3');
    await screen.press('n');
    await fixture!.otherSession((doc) => {
      doc.notifications.muted = ['job-failed'];
    });
    await screen.press(KEYS.space);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes('Changed by another session'));
    expect((await fixture!.saved()).notifications.muted).toEqual(['job-failed']);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/\[x\] Obsolete connection in use/);
    expect(screen.frame()).toMatch(/\[ \] Job failed\s+\(muted\)/);
  });
});

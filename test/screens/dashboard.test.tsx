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

// contracts.md §4, word for word.
const OBSOLETE_C1 =
  "Server connection 'admin@contoso.onmicrosoft.com' needs to be reconfigured to use Modern Authentication (OAuth 2.0) when connecting to Office 365. Otherwise, jobs that use this connection will stop working when Basic Authentication is disabled for your tenant.";

async function dashboard(size = { columns: 80, rows: 24 }, options: Parameters<typeof openFixture>[0] = {}) {
  fixture = await openFixture(options);
  return renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
}

describe('Dashboard (migrated version-1 fixture)', () => {
  it.each([
    { columns: 80, rows: 24 },
    { columns: 120, rows: 40 },
  ])('shows the exact obsolete-connection alert on the Bad news card, permanent alerts before events ($columns x $rows)', async (size) => {
    const screen = await dashboard(size);
    const text = unwrap(screen.frame());
    expect(text).toContain(OBSOLETE_C1);
    expect(text).toContain('3 permanent · 1 event');
    const frame = screen.frame();
    const firstEvent = frame.indexOf("Job 'Fabrikam mailboxes' failed");
    for (const name of ["'contoso.sharepoint.com' needs", "'backup@fabrikam.onmicrosoft.com' needs"]) {
      expect(frame.indexOf(name)).toBeGreaterThan(-1);
      expect(frame.indexOf(name)).toBeLessThan(firstEvent);
    }
  });

  it('counts connections by type with the obsolete count, and jobs by last result', async () => {
    const screen = await dashboard();
    const frame = screen.frame();
    expect(frame).toMatch(/Defined server connections\s+6/);
    expect(frame).toMatch(/Exchange Online\s+2/);
    expect(frame).toMatch(/Exchange Server\s+2/);
    expect(frame).toMatch(/SharePoint Online\s+1/);
    expect(frame).toMatch(/SharePoint Server\s+1/);
    expect(frame).toMatch(/\[obsolete\]\s+3/);
    expect(frame).toMatch(/Jobs\s+5/);
    expect(frame).toMatch(/Succeeded\s+3/);
    expect(frame).toMatch(/Failed\s+1/);
    expect(frame).toMatch(/Never run\s+1/);
  });

  it('shows How to start only when there are no jobs', async () => {
    const withJobs = await dashboard();
    expect(withJobs.frame()).not.toContain('How to start');
    cleanup();
    await fixture?.close();
    const noJobs = await dashboard({ columns: 80, rows: 24 }, {
      prepare: (doc) => {
        doc.jobs = [];
        doc.alerts = [];
      },
    });
    expect(noJobs.frame()).toContain('How to start');
    expect(unwrap(noJobs.frame())).toContain('There are no jobs yet.');
  });

  it('has a status line with the store path, the host and a read-only marker', async () => {
    const screen = await dashboard();
    expect(screen.frame()).toContain(`Store: ${fixture!.store.path.slice(0, 20)}`);
    expect(screen.frame()).toContain('Host: backup01');
    expect(screen.frame()).not.toContain('READ-ONLY');
    cleanup();
    await fixture?.close();
    const readOnly = await dashboard({ columns: 80, rows: 24 }, { readOnly: true });
    expect(readOnly.frame()).toContain('READ-ONLY');
  });

  it('moves between cards with Tab / Shift-Tab and opens the selected one with Enter', async () => {
    const screen = await dashboard();
    expect(screen.frame()).toMatch(/› Bad news/);
    await screen.press(KEYS.tab);
    expect(screen.frame()).toMatch(/› Defined server connections/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Manage server connections (6)');
    await screen.press(KEYS.escape);
    await screen.press(KEYS.shiftTab);
    expect(screen.frame()).toMatch(/› Bad news/);
    await screen.press(KEYS.shiftTab);
    expect(screen.frame()).toMatch(/› Jobs/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Jobs (5)');
  });

  it('still shows the Bad news card at the minimum size (60x15)', async () => {
    const screen = await dashboard({ columns: 60, rows: 15 });
    const frame = screen.frame();
    expect(frame).toContain('Bad news');
    expect(frame).toContain("Server connection 'admin@contoso.onmicrosoft.com' needs");
    expect(frame).toContain('Defined server connections');
    expect(frame).toContain('Jobs');
  });
});

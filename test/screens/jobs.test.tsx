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

async function jobs(size = { columns: 80, rows: 24 }) {
  fixture = await openFixture();
  const screen = await renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
  await screen.press('4');
  return screen;
}

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

/** Moves the cursor from the top of the list to the first row containing `text`. */
async function selectRow(screen: Awaited<ReturnType<typeof jobs>>, text: string): Promise<void> {
  await screen.press(KEYS.home);
  for (let i = 0; i < 20 && !selectedLine(screen.frame()).includes(text); i++) await screen.press('j');
  expect(selectedLine(screen.frame())).toContain(text);
}

describe('Jobs', () => {
  it('lists each job with its connection (+ [obsolete]), kind and last result', async () => {
    const frame = (await jobs({ columns: 120, rows: 40 })).frame();
    expect(frame).toMatch(/Job\s+Server connection\s+Kind\s+Status/);
    expect(frame).toMatch(/Mailboxes - nightly\s+admin@contoso\.onmicrosoft\.com \[obsolete\]\s+backup\s+succeeded 2020-06-20/);
    expect(frame).toMatch(/On-prem mailboxes\s+ex01\.corp\.contoso\.com\s+backup\s+succeeded 2020-06-20/);
    expect(frame).toMatch(/Restore CEO mailbox\s+admin@contoso\.onmicrosoft\.com \[obsolete\]\s+restore\s+never run/);
    expect(frame).toMatch(/Fabrikam mailboxes\s+backup@fabrikam\.onmicrosoft\.com \[obsolete\]\s+backup\s+failed 2020-06-19/);
  });

  it('running job j-1 shows the obsolete-connection warning first; Cancel runs nothing', async () => {
    const screen = await jobs();
    expect(selectedLine(screen.frame())).toContain('Mailboxes - nightly');
    await screen.press('r');
    const text = unwrap(screen.frame());
    expect(text).toContain('Obsolete server connection');
    expect(text).toContain(
      "Job 'Mailboxes - nightly' uses server connection 'admin@contoso.onmicrosoft.com', which still uses Basic Authentication. It needs to be reconfigured to use Modern Authentication (OAuth 2.0) when connecting to Office 365; otherwise the job will stop working when Basic Authentication is disabled for your tenant.",
    );
    expect(screen.frame()).toMatch(/› ?\[ Cancel \]/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Jobs (5)');
    expect(fixture!.verified).toHaveLength(0);
  });

  it('Run anyway on a job of the previous version (no storage) says to edit it first and records nothing', async () => {
    const screen = await jobs();
    await screen.press('r');
    await screen.press('y');
    await screen.waitFor((f) => unwrap(f).includes("Job 'Mailboxes - nightly' has no storage yet"));
    expect(screen.frame()).toContain('No storage');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Jobs (5)');
    expect((await fixture!.saved()).jobs.find((j) => j.id === 'j-1')?.lastRun?.result).toBe('succeeded');
    expect(fixture!.verified).toHaveLength(0);
  });

  it('runs no warning first on a healthy connection', async () => {
    const screen = await jobs();
    await screen.press('j');
    await screen.press('j');
    await screen.press('r');
    await screen.waitFor((f) => unwrap(f).includes("Job 'On-prem mailboxes' has no storage yet"));
    expect(screen.frame()).not.toContain('Obsolete server connection');
  });

  it('a connection used by a job cannot be deleted until the job is; deleting the job keeps no hold on it', async () => {
    const screen = await jobs();
    await screen.press('2');
    await selectRow(screen, 'ex01.corp.contoso.com');
    await screen.press('d');
    expect(unwrap(screen.frame())).toContain("is used by job 'On-prem mailboxes'. Delete that job on the Jobs tab first.");
    await screen.press(KEYS.enter);
    await screen.press('4');
    await screen.press('j');
    await screen.press('j');
    expect(selectedLine(screen.frame())).toContain('On-prem mailboxes');
    await screen.press('d');
    expect(unwrap(screen.frame())).toContain("Delete job 'On-prem mailboxes'? It has no storage, so no backed-up data is affected.");
    await screen.press('y');
    await screen.waitFor((f) => f.includes('Jobs (4)'));
    await screen.press('2');
    await selectRow(screen, 'ex01.corp.contoso.com');
    await screen.press('d');
    expect(unwrap(screen.frame())).toContain("Delete server connection 'ex01.corp.contoso.com' (id c-3, on-premises)?");
    await screen.press('y');
    await screen.waitFor((f) => f.includes('Manage server connections (5)'));
    const saved = await fixture!.saved();
    expect(saved.jobs.map((j) => j.name)).not.toContain('On-prem mailboxes');
    expect(saved.connections.map((c) => c.id)).not.toContain('c-3');
  });
});

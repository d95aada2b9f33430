import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/App.js';
import { cleanup, KEYS, renderSized, unwrap, type Screen } from '../app/helpers/render.js';
import { CTRL_U, finish, focusField, start, typeText, verified, type WizardRun } from '../wizard/helpers.js';
import { openFixture, type Fixture } from './helpers/context.js';

/** Issue 16 item 2 (and 12.6): names the admin chooses, rename, duplicates told apart by id and tenant. */

let fixture: Fixture | undefined;
let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await fixture?.close();
  await run?.fixture.close();
  fixture = undefined;
  run = undefined;
});

async function manage(options: Parameters<typeof openFixture>[0] = {}, size = { columns: 80, rows: 24 }): Promise<Screen> {
  fixture = await openFixture(options);
  const screen = await renderSized(<App ctx={fixture.ctx} color={false} ascii={false} host="backup01" />, size);
  await screen.press('2');
  return screen;
}

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

async function select(screen: Screen, name: string): Promise<void> {
  for (let i = 0; i < 8 && !selectedLine(screen.frame()).includes(name); i += 1) await screen.press('j');
  expect(selectedLine(screen.frame())).toContain(name);
}

describe('Manage server connections tells connections apart', () => {
  it('shows the id, the tenant and the cloud of the selected connection at 80x24', async () => {
    const screen = await manage();
    expect(screen.frame()).toContain('Id c-1 · tenant contoso.onmicrosoft.com · cloud global');
    await select(screen, 'ex01.corp');
    expect(screen.frame()).toContain('Id c-3 · on-premises');
  });

  it('s groups the list by tenant (tenant column, on-premises last) and back', async () => {
    const screen = await manage();
    await screen.press('s');
    const frame = screen.frame();
    expect(frame).toContain('Manage server connections (6, grouped by tenant)');
    expect(frame).toMatch(/Type\s+Connection name\s+Tenant\s+Authentication type/);
    const rows = frame.split('\n').filter((l) => /^[› ] (Exchange|SharePoint)/.test(l));
    expect(rows.map((r) => /contoso\.onmicrosoft|fabrikam|on-premises/.exec(r)?.[0])).toEqual([
      'contoso.onmicrosoft',
      'contoso.onmicrosoft',
      'fabrikam',
      'on-premises',
      'on-premises',
      'on-premises',
    ]);
    await screen.press('s');
    expect(screen.frame()).toContain('Manage server connections (6)');
    expect(screen.frame()).toMatch(/Type\s+Connection name\s+Location\s+Authentication type/);
  });

  it('a wide terminal shows the tenant as a column of its own', async () => {
    const screen = await manage({}, { columns: 140, rows: 30 });
    expect(screen.frame()).toMatch(/Type\s+Connection name\s+Tenant\s+Location\s+Authentication type/);
    expect(screen.frame()).toMatch(/backup@fabrikam\.onmicrosoft\.com \[obsolete\]\s+fabrikam\.onmicrosoft\.com\s+Microsoft 365/);
  });

  it('the Delete dialog names the id and the tenant', async () => {
    const screen = await manage({ prepare: (doc) => void (doc.jobs = doc.jobs.filter((j) => j.connectionId !== 'c-5')) });
    await select(screen, 'backup@fabrikam');
    await screen.press('d');
    expect(unwrap(screen.frame())).toContain("Delete server connection 'backup@fabrikam.onmicrosoft.com' (id c-5, tenant fabrikam.onmicrosoft.com)?");
  });
});

describe('rename (r)', () => {
  it('renames in place: warns about a name another connection has, refuses an empty one, keeps id and jobs', async () => {
    const screen = await manage();
    await select(screen, 'ex01.corp');
    await screen.press('r');
    expect(screen.frame()).toContain('Rename server connection');
    expect(unwrap(screen.frame())).toContain("'ex01.corp.contoso.com' (id c-3, on-premises)");
    await screen.press(CTRL_U);
    await screen.press(KEYS.enter);
    expect(unwrap(screen.frame())).toContain('Give the connection a name');
    await screen.pressTogether('SP.corp.contoso.com');
    expect(unwrap(screen.frame())).toContain("Another server connection is already named 'SP.corp.contoso.com' (c-4)");
    await screen.press(CTRL_U);
    await screen.pressTogether('Exchange 2019 (Zurich)');
    expect(screen.frame()).not.toContain('Another server connection');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => f.includes("Server connection 'ex01.corp.contoso.com' renamed to 'Exchange 2019 (Zurich)'."));
    expect(selectedLine(screen.frame())).toContain('Exchange 2019 (Zurich)');
    const saved = await fixture!.saved();
    expect(saved.connections.find((c) => c.id === 'c-3')?.displayName).toBe('Exchange 2019 (Zurich)');
    expect(saved.jobs.find((j) => j.id === 'j-3')?.connectionId).toBe('c-3');
  });
});

describe('the wizard’s name field', () => {
  it('New: the Summary offers the assigned name, warns that c-3 has it, and saves the name typed instead', async () => {
    run = await start();
    const { screen } = run;
    await screen.press('2');
    await screen.press('n');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.right);
    await screen.press(KEYS.enter);
    await focusField(screen, 'Server name or IP');
    await typeText(screen, 'ex01.corp.contoso.com');
    await screen.press(KEYS.enter);
    await typeText(screen, 'CORP\\svc-backup');
    await focusField(screen, 'Password');
    await typeText(screen, 'S3rv1ce-Backup');
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    const summary = unwrap(screen.frame());
    expect(screen.frame()).toMatch(/› Connection name\s+ex01\.corp\.contoso\.com/);
    expect(summary).toContain("Another server connection is already named 'ex01.corp.contoso.com' (c-3)");
    await screen.press(CTRL_U);
    await typeText(screen, 'ex01 (second site)');
    expect(unwrap(screen.frame())).not.toContain('Another server connection');
    const done = await finish(screen);
    expect(done).toContain("'ex01 (second site)' created (legacy).");
    const created = (await run.fixture.saved()).connections.find((c) => c.displayName === 'ex01 (second site)');
    expect(created).toMatchObject({ location: 'onpremises', server: 'ex01.corp.contoso.com' });
  });
});

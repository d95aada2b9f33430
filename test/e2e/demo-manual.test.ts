import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, PanelSession } from './terminal.js';

/**
 * Issue 16 item 1: Manual registration tried on the demo itself (`npm start`), at 80x24 in a
 * terminal that cannot draw boxes (TERM=linux, LANG=C: ASCII chosen by itself). Everything the
 * admin types is read from the screen, as a newcomer would.
 */

const sessions: PanelSession[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) s.kill();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const CLEAR_FIELD = '\x15'; // Ctrl-U
const C1_ALERT = "Server connection 'admin@contoso.onmicrosoft.com' needs";
const READY_APP = /Demo: a ready app is registered in the sandbox tenant: tenant (\S+), Application \(client\) ID (\S+), certificate (\S+)/;

async function startDemo(): Promise<{ panel: PanelSession; tmp: string }> {
  // A private TMPDIR: the demo folder (and the ready app's key in it) can be watched alone.
  const tmp = await mkdtemp(join(tmpdir(), 'bp-demo-manual-'));
  dirs.push(tmp);
  const panel = new PanelSession(['--demo'], { term: 'linux', env: { LANG: 'C', LC_ALL: 'C', TMPDIR: tmp, BACKUP_PANEL_M365_ENDPOINT: undefined } });
  sessions.push(panel);
  await panel.waitFor('Defined server connections');
  return { panel, tmp };
}

function asciiOnly(panel: PanelSession): void {
  expect(panel.text()).not.toMatch(/[^ -~\n]/);
}

/** Dashboard → Manage → c-1 (first) → Edit → Manual registration → Application details; the demo line read back. */
async function toApplicationDetails(panel: PanelSession): Promise<{ tenant: string; clientId: string; certificate: string }> {
  await panel.press('2');
  await panel.waitFor('Manage server connections (7)');
  await panel.waitFor(/> Exchange\s+admin@contoso/);
  await panel.press('e');
  await panel.waitFor('(*) Automatic registration');
  await panel.press(KEY.right);
  await panel.waitFor('(*) Manual registration');
  await panel.press(KEY.enter);
  await panel.waitFor('Application details');
  await panel.waitFor(READY_APP);
  asciiOnly(panel);
  const [, tenant = '', clientId = '', certificate = ''] = READY_APP.exec(panel.flowed()) ?? [];
  return { tenant, clientId, certificate };
}

async function finishModern(panel: PanelSession): Promise<void> {
  await panel.waitFor('All checks passed', 60_000);
  asciiOnly(panel);
  await panel.press(KEY.enter);
  await panel.waitFor('Nothing has been saved yet');
  expect(panel.text()).toMatch(/Authentication\s+modern/);
  await panel.press(KEY.enter);
  await panel.waitFor(/> Exchange\s+admin@contoso\.onmicrosoft\.com\s+Microsoft 365\s+modern/);
  asciiOnly(panel);
  await panel.press('1');
  await panel.waitFor('Defined server connections');
  // c-1's alert is gone: 4 → 3 (c-2 and c-5 are still obsolete; the demo's job has no service running it).
  await panel.waitFor('3 permanent');
  expect(panel.text()).not.toContain(C1_ALERT);
  asciiOnly(panel);
}

describe('Manual registration on the demo, at 80x24 in TERM=linux LANG=C', () => {
  it("with the demo's ready app: tenant, client ID and certificate read from the screen, checks pass, c-1 modern", async () => {
    const { panel, tmp } = await startDemo();
    await panel.waitFor(C1_ALERT);
    await panel.waitFor('4 permanent');
    const app = await toApplicationDetails(panel);
    expect(app.tenant).toBe('contoso.onmicrosoft.com');
    expect(app.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The certificate with its key is the demo's own: in the demo folder, private to the user.
    const [folder] = (await readdir(tmp)).filter((n) => n.startsWith('backup-panel-demo-'));
    expect(app.certificate.startsWith(join(tmp, folder ?? 'none'))).toBe(true);
    expect((await stat(app.certificate)).mode & 0o777).toBe(0o600);

    await panel.press(CLEAR_FIELD);
    await panel.type(app.tenant);
    await panel.press(KEY.tab);
    await panel.type(app.clientId);
    await panel.press(KEY.tab, KEY.tab); // the Credential choice stays at Certificate file
    await panel.type(app.certificate);
    await panel.press(KEY.enter);
    await finishModern(panel);

    await panel.press('q');
    expect(await panel.exited()).toBe(0);
    // The key went with the demo folder.
    expect((await readdir(tmp)).filter((n) => n.startsWith('backup-panel-demo-'))).toEqual([]);
  });

  it("with a certificate the panel generates, which the demo tenant adds to the ready app; the ready app's client ID typed", async () => {
    const { panel } = await startDemo();
    await panel.waitFor(C1_ALERT);
    await panel.waitFor('4 permanent');
    const app = await toApplicationDetails(panel);

    // Tenant, client ID, Credential: Certificate file -> Client secret -> New certificate.
    await panel.press(KEY.tab, KEY.tab, ' ', ' ');
    await panel.waitFor('(*) New certificate');
    // The public certificate goes to the demo folder by default: Enter generates it.
    await panel.press(KEY.enter);
    await panel.waitFor('Public certificate written to', 60_000);
    await panel.waitFor('Demo: the sandbox tenant added this certificate to the ready app, as you would upload it in the Microsoft Entra admin center.');
    await panel.waitFor(app.clientId);
    asciiOnly(panel);
    await panel.type(app.clientId);
    await panel.press(KEY.enter);
    await finishModern(panel);
  });
});

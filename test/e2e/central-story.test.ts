import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { cliJson, fixtureStore } from '../helpers/cli.js';
import { editToDeviceCode, KEY, PanelSession } from './terminal.js';

let sandbox: Sandbox;
const sessions: PanelSession[] = [];
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

function open(store: string, options: { cols?: number; rows?: number; env?: Record<string, string>; term?: string } = {}): PanelSession {
  const session = new PanelSession(['--store', store], { ...options, env: { BACKUP_PANEL_M365_ENDPOINT: sandbox.url, ...options.env } });
  sessions.push(session);
  return session;
}

const C1_ALERT = "Server connection 'admin@contoso.onmicrosoft.com' needs to be reconfigured";

describe('the central story in a real terminal', () => {
  it('Bad news → Manage → c-1 → Edit → Automatic → device code approved → verification → Finish: alert gone, c-1 modern', async () => {
    const { store } = await fixtureStore();
    const panel = open(store);
    await panel.waitFor(C1_ALERT);

    await panel.press(KEY.tab, KEY.enter); // Defined server connections card → Manage server connections
    await panel.waitFor('Manage server connections (6)');
    await panel.waitFor(/› Exchange\s+admin@contoso\.onmicro\S* ?\[obsolete\]/);
    await panel.waitFor('admin@contoso.onmicrosoft.com [obsolete] · Exchange Online · legacy');
    const code = await editToDeviceCode(panel);
    expect(panel.text()).toContain('https://microsoft.com/devicelogin');
    expect(panel.text()).toMatch(/Global\s+Administrator,\s+or\s+Privileged\s+Role\s+Administrator\s+together\s+with\s+Application\s+Administrator/);

    // The admin types the code shown on the screen into the (sandbox) sign-in page.
    const approved = await fetch(`${sandbox.url}/_sandbox/device-codes/${code}/approve`, { method: 'POST' });
    expect(approved.ok).toBe(true);

    await panel.waitFor('All checks passed', 60_000);
    expect(panel.text()).toMatch(/✓ Sign-in \(token\)/);
    await panel.press(KEY.enter);
    // "Summary" is in the step indicator all along: wait for the step itself.
    await panel.waitFor('Nothing has been saved yet');
    expect(panel.text()).toMatch(/Authentication\s+modern/);
    await panel.press(KEY.enter);
    await panel.waitFor(/› Exchange\s+admin@contoso\.onmicrosoft\.com\s+Microsoft 365\s+modern/);

    await panel.press('1');
    await panel.waitFor('Defined server connections');
    await panel.waitFor('2 permanent · 1 event');
    expect(panel.text()).not.toContain(C1_ALERT);
    await panel.press('q');
    expect(await panel.exited()).toBe(0);

    const rows = await cliJson<Array<Record<string, unknown>>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-1')).toMatchObject({ authType: 'modern', obsolete: false, usedBy: ['Mailboxes - nightly', 'Restore CEO mailbox'] });
    expect((await readFile(store, 'utf8')).includes('Winter2020!')).toBe(false);
  });

  it('Manual registration with a certificate file for c-5', async () => {
    const { dir, store } = await fixtureStore();
    const material = await generateCertificate('CN=backup-panel-e2e');
    const { appId } = sandbox.registerApp('fabrikam', {
      displayName: 'backup-panel e2e',
      certificatePem: material.certificatePem,
      roles: ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'],
    });
    const certFile = join(dir, 'fabrikam-app.pem');
    await writeFile(certFile, `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });

    const panel = open(store);
    await panel.waitFor('Defined server connections');
    await panel.press('2');
    await panel.waitFor('Manage server connections (6)');
    await panel.press(KEY.down, KEY.down, KEY.down, KEY.down);
    await panel.waitFor(/› Exchange\s+backup@fabrikam/);
    await panel.press('e');
    await panel.waitFor('(•) Automatic registration');
    await panel.press(KEY.right);
    await panel.waitFor('(•) Manual registration');
    await panel.press(KEY.enter);
    await panel.waitFor('Application details');
    expect(panel.text()).toMatch(/Tenant ID or domain\s+fabrikam\.onmicrosoft\.com/);
    await panel.press(KEY.tab);
    await panel.type(appId);
    await panel.press(KEY.tab, KEY.tab);
    await panel.type(certFile);
    await panel.press(KEY.enter);
    await panel.waitFor('All checks passed', 60_000);
    await panel.press(KEY.enter);
    await panel.waitFor('Nothing has been saved yet');
    await panel.press(KEY.enter);
    await panel.waitFor(/› Exchange\s+backup@fabrikam\.onmicrosoft\.com\s+Microsoft 365\s+modern/);

    const rows = await cliJson<Array<Record<string, unknown>>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-5')).toMatchObject({ authType: 'modern', obsolete: false, usedBy: ['Fabrikam mailboxes'] });
    // The certificate file path went through the screen; the private key never did.
    expect(panel.raw).not.toContain(material.privateKeyPem.reveal().split('\n')[3] ?? 'unreachable');
  });

  it('Manual registration with a certificate the panel generates, at 80x24 in TERM=linux LANG=C (ASCII by itself)', async () => {
    const { dir, store } = await fixtureStore();
    const publicFile = join(dir, 'backup-panel.cer');
    const panel = open(store, { term: 'linux', env: { LANG: 'C', LC_ALL: 'C' } });
    await panel.waitFor('Defined server connections');
    await panel.press('2');
    await panel.waitFor('Manage server connections (6)');
    await panel.press(KEY.down, KEY.down, KEY.down, KEY.down);
    await panel.waitFor(/> Exchange\s+backup@fabrikam/);
    await panel.press('e');
    await panel.waitFor('(*) Automatic registration');
    await panel.press(KEY.right);
    await panel.waitFor('(*) Manual registration');
    await panel.press(KEY.enter);
    await panel.waitFor('Application details');
    // Tenant, client ID, Credential: Certificate file -> Client secret -> New certificate.
    await panel.press(KEY.tab, KEY.tab, ' ', ' ');
    await panel.waitFor('(*) New certificate');
    await panel.press(KEY.tab, '\x15');
    await panel.type(publicFile);
    await panel.press(KEY.enter);
    await panel.waitFor('Public certificate written to', 60_000);
    const pem = await readFile(publicFile, 'utf8');
    expect(pem).not.toContain('PRIVATE KEY');
    const { appId } = sandbox.registerApp('fabrikam', {
      displayName: 'backup-panel e2e generated',
      certificatePem: pem,
      roles: ['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All'],
    });
    await panel.type(appId);
    await panel.press(KEY.enter);
    await panel.waitFor('All checks passed', 60_000);
    await panel.press(KEY.enter);
    await panel.waitFor('Nothing has been saved yet');
    await panel.press(KEY.enter);
    await panel.waitFor(/> Exchange\s+backup@fabrikam\.onmicrosoft\.com\s+Microsoft 365\s+modern/);
    // ASCII was chosen by itself: no box-drawing or other non-ASCII character on the screen.
    expect(panel.text()).not.toMatch(/[^ -~\n]/);
    const rows = await cliJson<Array<Record<string, unknown>>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-5')).toMatchObject({ authType: 'modern', obsolete: false });
  });
});

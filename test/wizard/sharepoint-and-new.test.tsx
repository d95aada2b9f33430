import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import { authType, isObsolete } from '../../src/domain/index.js';
import { cleanup } from '../app/helpers/render.js';
import { NOW } from '../screens/helpers/context.js';
import {
  approveFromScreen,
  CTRL_B,
  CTRL_U,
  finish,
  focusedLine,
  focusField,
  KEYS,
  rowOf,
  SHAREPOINT_ROLES,
  selectConnection,
  start,
  storeBytes,
  typeText,
  unwrapFrame,
  userCodeOf,
  verified,
  writeTemp,
  type WizardRun,
} from './helpers.js';

let run: WizardRun | undefined;
afterEach(async () => {
  cleanup();
  await run?.fixture.close();
  run = undefined;
});

async function newConnection(r: WizardRun, service: 'exchange' | 'sharepoint', location: 'online' | 'onpremises'): Promise<void> {
  const { screen } = r;
  await screen.press('2');
  await screen.press('n');
  expect(screen.frame()).toContain('New server connection');
  expect(screen.frame()).toContain('Exchange connection');
  expect(screen.frame()).toContain('SharePoint connection');
  if (service === 'sharepoint') await screen.press(KEYS.down);
  await screen.press(KEYS.enter);
  expect(screen.frame()).toContain(`New ${service === 'exchange' ? 'Exchange' : 'SharePoint'} connection`);
  expect(screen.frame()).toContain('Server location');
  if (location === 'onpremises') await screen.press(KEYS.right);
  await screen.press(KEYS.enter);
}

async function sharePointEditWithCertificate(r: WizardRun): Promise<void> {
  const { screen, fixture } = r;
  const cert = await generateCertificate('CN=backup-panel-sp', { now: NOW });
  const app = (await fixture.sandbox()).registerApp('contoso', { displayName: 'backup sp', certificatePem: cert.certificatePem, roles: SHAREPOINT_ROLES });
  const path = await writeTemp(fixture, 'sp.pem', `${cert.certificatePem}\n${cert.privateKeyPem.reveal()}`);
  await selectConnection(screen, 'contoso.sharepoint.com');
  await screen.press('e');
  expect(screen.frame()).toContain("Edit 'contoso.sharepoint.com' [obsolete] · SharePoint Online");
  expect(unwrapFrame(screen.frame())).toContain('SharePoint needs a certificate');
  await screen.press(KEYS.right);
  await screen.press(KEYS.enter);
  const details = screen.frame();
  expect(details).toContain('Application details');
  expect(focusedLine(details)).toContain('contoso.onmicrosoft.com');
  // A certificate is required: the secret option is there, disabled, with the reason.
  expect(details).toContain('( ) Client secret (not available)');
  expect(unwrapFrame(details)).toContain('SharePoint REST refuses app-only tokens from a client secret');
  expect(details).not.toContain('Licensed user mailbox');
  await focusField(screen, 'Application (client) ID');
  await typeText(screen, app.appId);
  await focusField(screen, 'Credential');
  expect(screen.frame()).toMatch(/\(•\) Certificate file/);
  await focusField(screen, 'Certificate file');
  await typeText(screen, path);
  await screen.press(KEYS.enter);
  await screen.waitFor((f) => f.includes('Legacy account'), 10_000);
}

describe('Edit SharePoint Online c-2', () => {
  it('keeps the old account as the legacy half: modern and legacy', async () => {
    run = await start();
    const { screen, fixture } = run;
    await sharePointEditWithCertificate(run);
    // Legacy sign-in is blocked for good: keeping the old account is offered, not preselected (issue 16 item 8).
    expect(unwrapFrame(screen.frame())).toContain('( ) Keep admin@contoso.onmicrosoft.com');
    expect(unwrapFrame(screen.frame())).toContain('(•) No legacy account');
    await screen.press(KEYS.left);
    const frame = unwrapFrame(screen.frame());
    expect(frame).toContain('(•) Keep admin@contoso.onmicrosoft.com');
    expect(frame).toContain('( ) No legacy account');
    expect(frame).toContain('Microsoft blocked legacy sign-in to SharePoint Online permanently on 2026-05-01');
    await screen.press(KEYS.enter);
    const checks = unwrapFrame(await verified(screen));
    expect(checks).toContain('Site collections (Microsoft Graph): passed');
    expect(checks).toContain('SharePoint REST: passed');
    expect(checks).toContain('Legacy sign-in: warning');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/Authentication\s+modern and legacy/);
    const done = await finish(screen);
    expect(rowOf(done, 'contoso.sharepoint.com')).toMatch(/contoso\.sharepoint\.com\s+Microsoft 365\s+modern and legacy/);
    const c2 = (await fixture.saved()).connections.find((c) => c.id === 'c-2');
    expect(c2).toMatchObject({ url: 'https://contoso.sharepoint.com', credential: { kind: 'app-certificate' }, legacyAccount: { kind: 'basic', userName: 'admin@contoso.onmicrosoft.com' } });
    expect(c2 && authType(c2)).toBe('modern and legacy');
  });

  it('drops the old account: modern, and the old password leaves the store', async () => {
    run = await start();
    const { screen, fixture } = run;
    await sharePointEditWithCertificate(run);
    expect(screen.frame()).toMatch(/\(•\) No legacy account/);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).not.toContain('Legacy sign-in');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/Authentication\s+modern\s*$/m);
    const done = await finish(screen);
    expect(rowOf(done, 'contoso.sharepoint.com')).toMatch(/Microsoft 365\s+modern\s*$/);
    const c2 = (await fixture.saved()).connections.find((c) => c.id === 'c-2');
    expect(c2).not.toHaveProperty('legacyAccount');
    expect(JSON.stringify(c2)).not.toContain('password');
  });
});

describe('New connections', () => {
  it('Exchange Online, automatic: signs in at organizations and is named after the admin UPN', async () => {
    run = await start();
    const { screen, fixture } = run;
    await newConnection(run, 'exchange', 'online');
    expect(screen.frame()).toContain('Application registration');
    await screen.press(KEYS.enter);
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000);
    expect((await fixture.sandbox()).pendingDeviceCodes()[0]?.tenant).toBe('organizations');
    await approveFromScreen(run, 'admin@fabrikam.onmicrosoft.com');
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    // The name is the Summary's field (issue 16 item 2), filled in with the assigned one.
    expect(screen.frame()).toMatch(/Connection name\s+admin@fabrikam\.onmicrosoft\.com/);
    expect(unwrapFrame(screen.frame())).toContain('(assigned from the signed-in admin)');
    const done = await finish(screen);
    expect(done).toContain("Server connection 'admin@fabrikam.onmicrosoft.com' created (modern).");
    const created = (await fixture.saved()).connections.find((c) => c.displayName === 'admin@fabrikam.onmicrosoft.com');
    expect(created).toMatchObject({ service: 'exchange', location: 'online', mailbox: 'admin@fabrikam.onmicrosoft.com', credential: { kind: 'app-certificate', registration: { method: 'automatic' } } });
    const audit = await readFile(`${fixture.store.path}.audit.log`, 'utf8');
    expect(audit).toContain('connection.create');
  });

  it('Exchange on-premises by server name: a wrong password fails with the reason, Back fixes it, saved legacy', async () => {
    run = await start();
    const { screen, fixture } = run;
    await newConnection(run, 'exchange', 'onpremises');
    expect(screen.frame()).toContain('Server connection');
    await focusField(screen, 'Server name or IP');
    await typeText(screen, 'ex01.corp.contoso.com');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Account');
    await typeText(screen, 'CORP\\svc-backup');
    await focusField(screen, 'Password');
    await typeText(screen, 'wrong-one');
    await screen.press(KEYS.enter);
    const failed = unwrapFrame(await verified(screen));
    expect(failed).toContain('EWS (Basic): failed');
    expect(failed).toContain('rejected the user name or password of CORP\\svc-backup (HTTP 401)');
    await screen.press(CTRL_B);
    expect(screen.frame()).toContain('Account');
    await focusField(screen, 'Password');
    await screen.press(CTRL_U);
    await typeText(screen, 'S3rv1ce-Backup');
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/Authentication\s+legacy/);
    const done = await finish(screen);
    expect(done).toContain("Server connection 'ex01.corp.contoso.com' created (legacy).");
    const created = (await fixture.saved()).connections.filter((c) => c.displayName === 'ex01.corp.contoso.com' && c.id !== 'c-3');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ location: 'onpremises', server: 'ex01.corp.contoso.com', credential: { kind: 'basic', userName: 'CORP\\svc-backup' } });
    expect(created[0] && isObsolete(created[0])).toBe(false);
    expect(screen.frames.some((f) => f.includes('S3rv1ce') || f.includes('wrong-one'))).toBe(false);
  });

  it('Exchange on-premises by Autodiscover is named Autodiscover (<domain>)', async () => {
    run = await start();
    const { screen, fixture } = run;
    await newConnection(run, 'exchange', 'onpremises');
    await screen.press(KEYS.left);
    expect(screen.frame()).toMatch(/\(•\) Autodiscover/);
    await focusField(screen, 'E-mail address');
    await typeText(screen, 'svc-backup@corp.contoso.com');
    await screen.press(KEYS.enter);
    await typeText(screen, 'CORP\\svc-backup');
    await focusField(screen, 'Password');
    await typeText(screen, 'S3rv1ce-Backup');
    await screen.press(KEYS.enter);
    const checks = await verified(screen);
    expect(checks).toContain('Autodiscover: passed');
    await screen.press(KEYS.enter);
    await finish(screen);
    const created = (await fixture.saved()).connections.filter((c) => c.displayName === 'Autodiscover (corp.contoso.com)' && c.id !== 'c-6');
    expect(created[0]).toMatchObject({ server: null, autodiscoverEmail: 'svc-backup@corp.contoso.com' });
    expect(created[0] && authType(created[0])).toBe('legacy');
  });

  it('SharePoint on-premises by site URL; a non-URL is refused on the field', async () => {
    run = await start();
    const { screen, fixture } = run;
    await newConnection(run, 'sharepoint', 'onpremises');
    expect(screen.frame()).toContain('Server address');
    await typeText(screen, 'sp corp');
    await screen.press(KEYS.enter);
    expect(unwrapFrame(screen.frame())).toContain("Site URL 'sp corp' is not a URL such as https://server.example.com.");
    await screen.press(CTRL_U);
    await typeText(screen, 'https://sp.corp.contoso.com');
    await screen.press(KEYS.enter);
    await typeText(screen, 'CORP\\svc-backup');
    await focusField(screen, 'Password');
    await typeText(screen, 'S3rv1ce-Backup');
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('SharePoint site (Basic): passed');
    await screen.press(KEYS.enter);
    const done = await finish(screen);
    expect(done).toContain("Server connection 'sp.corp.contoso.com' created (legacy).");
    expect((await fixture.saved()).connections.filter((c) => c.displayName === 'sp.corp.contoso.com')).toHaveLength(2);
  });

  it('SharePoint Online, automatic: the URL is prefilled with <tenant>, the admin center URL derived, saved modern', async () => {
    run = await start();
    const { screen, fixture } = run;
    await newConnection(run, 'sharepoint', 'online');
    // Without colour the cursor is a visible mark; it sits where the tenant's name goes.
    expect(focusedLine(screen.frame())).toContain('https://_<tenant>.sharepoint.com');
    await typeText(screen, 'contoso');
    expect(focusedLine(screen.frame())).toContain('https://contoso_.sharepoint.com');
    expect(screen.frame()).toMatch(/Admin center URL\s+https:\/\/contoso-admin\.sharepoint\.com/);
    await screen.press(KEYS.enter);
    expect(screen.frame()).toContain('Application registration');
    await screen.press(KEYS.enter);
    // Least privilege, Graph first (issue 12 item 4).
    expect(screen.frame()).toContain('Sites.ReadWrite.All (Microsoft Graph)');
    await screen.press(KEYS.enter);
    await screen.waitFor((f) => userCodeOf(f) !== undefined, 15_000);
    expect((await fixture.sandbox()).pendingDeviceCodes()[0]?.tenant).toBe('contoso');
    await approveFromScreen(run);
    await screen.waitFor((f) => f.includes('Legacy account'), 15_000);
    expect(screen.frame()).toMatch(/\(•\) No legacy account/);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('Enter: Summary');
    await screen.press(KEYS.enter);
    expect(screen.frame()).toMatch(/Connection name\s+contoso\.sharepoint\.com/);
    expect(unwrapFrame(screen.frame())).toContain('(assigned from the SharePoint URL)');
    await finish(screen);
    const created = (await fixture.saved()).connections.filter((c) => c.displayName === 'contoso.sharepoint.com' && c.id !== 'c-2');
    expect(created[0]).toMatchObject({ service: 'sharepoint', location: 'online', url: 'https://contoso.sharepoint.com', adminUrl: 'https://contoso-admin.sharepoint.com', credential: { kind: 'app-certificate' } });
    expect(created[0] && authType(created[0])).toBe('modern');
  });
});

describe('Edit on-premises', () => {
  it('opens at the server step prefilled; an empty password keeps the stored one', async () => {
    run = await start();
    const { screen, fixture } = run;
    await selectConnection(screen, 'ex01.corp');
    await screen.press('e');
    const frame = screen.frame();
    expect(frame).toContain("Edit 'ex01.corp.contoso.com' · Exchange Server");
    expect(frame).toMatch(/Server name or IP\s+ex01\.corp\.contoso\.com/);
    await screen.press(KEYS.enter);
    expect(focusedLine(screen.frame())).toMatch(/User name\s+CORP\\svc-backup/);
    expect(screen.frame()).toMatch(/Password\s+\(unchanged\)/);
    await screen.press(KEYS.enter);
    expect(await verified(screen)).toContain('EWS (Basic): passed');
    await screen.press(KEYS.enter);
    expect(await storeBytes(fixture)).toBe(run.before);
    await finish(screen);
    const c3 = (await fixture.saved()).connections.find((c) => c.id === 'c-3');
    expect(c3).toMatchObject({ displayName: 'ex01.corp.contoso.com', server: 'ex01.corp.contoso.com', credential: { kind: 'basic', userName: 'CORP\\svc-backup' } });
    expect(await readFile(`${fixture.store.path}.audit.log`, 'utf8')).toContain('connection.edit');
  });
});

describe('text from the store', () => {
  it('is drawn made safe: a name with an escape sequence shows as text', async () => {
    run = await start({
      prepare: (doc) => {
        const c3 = doc.connections.find((c) => c.id === 'c-3');
        if (c3) c3.displayName = 'ex01\x1b[31mEVIL\x07';
      },
    });
    const { screen } = run;
    await selectConnection(screen, 'EVIL');
    await screen.press('e');
    const frame = screen.frame();
    expect(frame).toContain("Edit 'ex01\\x1b[31mEVIL\\x07'");
    expect(frame).not.toContain('\x1b[31m');
    expect(frame).not.toContain('\x07');
  });
});

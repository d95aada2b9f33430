import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import type { Connection, StoreDocument } from '../../src/domain/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { cliJson, fixtureStore, runCli } from '../helpers/cli.js';

/**
 * Registration from a shell (issue 12 item 8, contracts §7) against the lagging sandbox, which
 * approves device codes by itself as each tenant's Global Administrator, as in the demo.
 */

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox({ autoApproveAfterMs: 200 });
  env = { BACKUP_PANEL_M365_ENDPOINT: sandbox.url, HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '' };
});
afterAll(async () => {
  await sandbox.close();
});

const DEVICE_CODE_LINE = /^To sign in, use a web browser to open https:\/\/microsoft\.com\/devicelogin and enter the code [A-Z0-9]{8} to authenticate \(the code expires at \d\d:\d\d UTC\)\.$/;

async function saved(store: string): Promise<StoreDocument> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(store, 'utf8')) as StoreDocument;
}
function appOf(doc: StoreDocument, id: string) {
  const c = doc.connections.find((x) => x.id === id) as Connection | undefined;
  if (!c || c.location !== 'online' || c.credential.kind !== 'app-certificate') throw new Error(`${id} has no app certificate`);
  return c.credential;
}

describe('connections reconfigure --automatic', () => {
  // One store through the steps of a tenant's life: register, share, rotate, delete.
  let store = '';
  let before = 0;
  let c1: ReturnType<typeof appOf>;
  let c2: ReturnType<typeof appOf>;

  it('signs in by device code (line on stderr), registers, verifies and saves', async () => {
    ({ store } = await fixtureStore());
    before = sandbox.appsIn('contoso').length;
    const first = await runCli(['connections', 'reconfigure', 'c-1', '--automatic', '--store', store], { env, timeoutMs: 50_000 });
    expect(first.code, first.stderr).toBe(0);
    const errLines = first.stderr.trim().split('\n');
    expect(errLines[0]).toMatch(DEVICE_CODE_LINE);
    expect(errLines[1]).toMatch(/^Signed in as admin@contoso\.onmicrosoft\.com to tenant 6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e \(Global cloud\)\. Global Administrator: can create the app registration and grant every permission\.$/);
    expect(first.stderr).toMatch(/App registration 'backup-panel \(.+\)' created \(client ID [0-9a-f-]{36}\)/);
    expect(first.stdout).toMatch(/^PASS {2}Sign-in \(token\): /m);
    expect(first.stdout).toMatch(/^PASS {2}Mailbox \(Microsoft Graph\): /m);
    expect(first.stdout).toMatch(/Saved: 'admin@contoso\.onmicrosoft\.com' now uses Modern Authentication \(app registration client ID [0-9a-f-]{36}, created; certificate valid until \d{4}-\d\d-\d\d\)\./);
    c1 = appOf(await saved(store), 'c-1');
    expect(c1.registration).toMatchObject({ method: 'automatic', uniqueName: expect.stringMatching(/^backup-panel-/), directoryId: '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e', registeredBy: 'admin@contoso.onmicrosoft.com' });
    const rows = await cliJson<Array<Record<string, unknown>>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-1')).toMatchObject({ authType: 'modern', obsolete: false, cloud: 'global' });
    expect(rows.find((r) => r.id === 'c-3')).not.toHaveProperty('cloud');
  });

  it('SharePoint of the same tenant shares the app (--json): its roles added, the Exchange certificate kept', async () => {
    const second = await runCli(['connections', 'reconfigure', 'c-2', '--automatic', '--json', '--store', store], { env, timeoutMs: 50_000 });
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as { saved: boolean; clientId: string; createdApp: boolean; sharedWith: string[]; checks: Array<{ name: string; status: string }> };
    expect(report).toMatchObject({ saved: true, clientId: c1.clientId, createdApp: false, sharedWith: ['admin@contoso.onmicrosoft.com'] });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(sandbox.appsIn('contoso').length - before).toBe(1);
    c2 = appOf(await saved(store), 'c-2');
    expect(c2.clientId).toBe(c1.clientId);
    expect(sandbox.getApp(c1.clientId)?.certificateThumbprintsSha256.sort()).toEqual([c1.certificate.thumbprintSha256, c2.certificate.thumbprintSha256].sort());
    expect(sandbox.getApp(c1.clientId)?.grantedRoles.sort()).toEqual(['Mail.ReadWrite', 'MailboxSettings.Read', 'Sites.ReadWrite.All', 'User.Read.All']);
    expect((await runCli(['connections', 'test', 'c-1', '--store', store], { env })).code).toBe(0);
  });

  it('a re-run reuses the app and rotates only that connection’s certificate', async () => {
    const third = await runCli(['connections', 'reconfigure', 'c-1', '--automatic', '--store', store], { env, timeoutMs: 50_000 });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain(`client ID ${c1.clientId}, reused; shared with 'contoso.sharepoint.com'`);
    const rotated = appOf(await saved(store), 'c-1');
    expect(rotated.certificate.thumbprintSha256).not.toBe(c1.certificate.thumbprintSha256);
    expect(sandbox.getApp(c1.clientId)?.certificateThumbprintsSha256.sort()).toEqual([rotated.certificate.thumbprintSha256, c2.certificate.thumbprintSha256].sort());
    expect(sandbox.appsIn('contoso').length - before).toBe(1);
    expect((await runCli(['connections', 'test', 'c-2', '--store', store], { env })).code).toBe(0);
  });

  it('delete --remove-app: refused while jobs use it; keeps an app another connection uses; removes it with the last', async () => {
    const refused = await runCli(['connections', 'delete', 'c-2', '--remove-app', '--store', store], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is used by job 'SharePoint sites - weekly'");
    expect(refused.stderr).not.toMatch(/To sign in/);
    for (const job of ['j-1', 'j-2', 'j-4']) expect((await runCli(['jobs', 'delete', job, '--yes', '--store', store])).code).toBe(0);
    const kept = await runCli(['connections', 'delete', 'c-2', '--remove-app', '--store', store], { env });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(`Kept the app registration (client ID ${c1.clientId}): 'admin@contoso.onmicrosoft.com' still uses it.`);
    const removed = await runCli(['connections', 'delete', 'c-1', '--remove-app', '--store', store], { env, timeoutMs: 50_000 });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr.trim().split('\n')[0]).toMatch(DEVICE_CODE_LINE);
    expect(removed.stdout).toContain(`Removed the app registration (client ID ${c1.clientId}) and its enterprise application from Microsoft Entra ID.`);
    expect(sandbox.getApp(c1.clientId)).toBeUndefined();
  });

  it('every request, msal-node’s sign-in included, goes through HTTPS_PROXY', async () => {
    const proxy = await startConnectProxy();
    try {
      const { store } = await fixtureStore();
      const from = sandbox.requests.length;
      const result = await runCli(['connections', 'reconfigure', 'c-5', '--automatic', '--store', store], { env: { ...env, HTTPS_PROXY: proxy.url }, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      const atSandbox = sandbox.requests.slice(from).map((r) => `${r.method} ${r.host} ${r.path}`);
      expect(atSandbox.length).toBeGreaterThan(10);
      expect(proxy.requests.map((r) => `${r.method} ${r.forwardedHost} ${decodeURIComponent(r.path.split('?')[0] ?? '')}`)).toEqual(atSandbox);
    } finally {
      await proxy.close();
    }
  });

  it('bad input exits 2 before signing in', async () => {
    const { store } = await fixtureStore();
    const mixed = await runCli(['connections', 'reconfigure', 'c-1', '--automatic', '--tenant', 'contoso.onmicrosoft.com', '--store', store], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--automatic registers the app itself; leave out --tenant.');
    const days = await runCli(['connections', 'reconfigure', 'c-1', '--automatic', '--certificate-days', '5000', '--store', store], { env });
    expect(days.code).toBe(2);
    const onPrem = await runCli(['connections', 'reconfigure', 'c-3', '--automatic', '--store', store], { env });
    expect(onPrem.code).toBe(2);
    expect(`${mixed.stderr}${days.stderr}${onPrem.stderr}`).not.toMatch(/To sign in/);
  });
});

describe('connections reconfigure (manual): tenants, secrets, clouds', () => {
  async function certificateApp(dir: string, tenant: 'contoso' | 'fabrikam' | 'northwind', roles: string[]): Promise<{ file: string; clientId: string }> {
    const material = await generateCertificate(`CN=backup-panel-${tenant}`);
    const { appId } = sandbox.registerApp(tenant, { displayName: `manual ${tenant}`, certificatePem: material.certificatePem, roles });
    const file = join(dir, `${tenant}.pem`);
    await writeFile(file, `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });
    return { file, clientId: appId };
  }
  const EXCHANGE = ['graph:Mail.ReadWrite', 'graph:MailboxSettings.Read', 'graph:User.Read.All'];

  it('a connection keeps its tenant: another tenant is refused naming the jobs, unless --change-tenant; a GCC High tenant is detected and listed', async () => {
    const { dir, store } = await fixtureStore();
    const northwind = await certificateApp(dir, 'northwind', EXCHANGE);
    const args = ['connections', 'reconfigure', 'c-5', '--tenant', 'northwindgov.onmicrosoft.us', '--client-id', northwind.clientId, '--certificate', northwind.file, '--mailbox', 'backup@northwindgov.onmicrosoft.us', '--store', store];
    const refused = await runCli(args, { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "backup-panel: Server connection 'backup@fabrikam.onmicrosoft.com' belongs to tenant 'fabrikam.onmicrosoft.com'; the new settings point at tenant 'northwindgov.onmicrosoft.us'. The jobs 'Fabrikam mailboxes' would then back up data of the other tenant into the same storages. Nothing was changed; add --change-tenant to move it to the other tenant.",
    );
    expect(refused.stdout).toBe('');
    const from = sandbox.requests.length;
    const moved = await runCli([...args, '--change-tenant'], { env });
    expect(moved.code, moved.stderr).toBe(0);
    const rows = await cliJson<Array<Record<string, unknown>>>(['connections', 'list', '--json', '--store', store]);
    expect(rows.find((r) => r.id === 'c-5')).toMatchObject({ authType: 'modern', cloud: 'usgov' });
    // GCC High end to end: sign-in and Graph on the .us hosts; only the cloud lookup asks the global host.
    const hosts = new Set(sandbox.requests.slice(from).map((r) => `${r.host}${r.path.endsWith('openid-configuration') ? ' (openid-configuration)' : ''}`));
    expect([...hosts].sort()).toEqual(['graph.microsoft.us', 'login.microsoftonline.com (openid-configuration)', 'login.microsoftonline.us']);
    // The same tenant named by its GUID instead of its domain is no change.
    const same = await runCli(['connections', 'reconfigure', 'c-5', '--tenant', sandbox.tenants.northwind.id, '--client-id', northwind.clientId, '--certificate', northwind.file, '--store', store], { env });
    expect(same.code, same.stderr).toBe(0);
  });

  it('SharePoint refuses a client secret before verifying; --secret-expires raises the expiry alert', async () => {
    const { store } = await fixtureStore();
    const before = sandbox.requests.length;
    const sharePoint = await runCli(['connections', 'reconfigure', 'c-2', '--tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-3333-4444-555555555555', '--client-secret-file', '-', '--store', store], { env, input: 'not-read\n' });
    expect(sharePoint.code).toBe(2);
    expect(sharePoint.stderr.trim()).toBe('backup-panel: SharePoint REST refuses app-only tokens from a client secret: a certificate is required. Give --certificate <file>.');
    expect(sandbox.requests.length).toBe(before);

    const secret = 'Expiring~secret-value-0123456789';
    const { appId } = sandbox.registerApp('fabrikam', { displayName: 'expiring secret', secret, roles: EXCHANGE });
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const result = await runCli(['connections', 'reconfigure', 'c-5', '--tenant', 'fabrikam.onmicrosoft.com', '--client-id', appId, '--client-secret-file', '-', '--secret-expires', soon, '--store', store], { env, input: `${secret}\n` });
    expect(result.code, result.stderr).toBe(0);
    const alerts = await cliJson<Array<{ category: string; connectionId?: string; message: string }>>(['alerts', 'list', '--json', '--store', store]);
    const expiring = alerts.find((a) => a.category === 'credential-expiring' && a.connectionId === 'c-5');
    expect(expiring?.message).toContain(soon);
    const past = await runCli(['connections', 'reconfigure', 'c-5', '--tenant', 'fabrikam.onmicrosoft.com', '--client-id', appId, '--client-secret-file', '-', '--secret-expires', '2020-01-01', '--store', store], { env, input: `${secret}\n` });
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('the secret expired on 2020-01-01');
  });

  it('an app scoped with Exchange RBAC for Applications (no Mail role in its token) is saved with a warning', async () => {
    const { dir, store } = await fixtureStore();
    const material = await generateCertificate('CN=backup-panel-rbac-cli');
    const { appId } = sandbox.registerApp('contoso', {
      displayName: 'RBAC scoped (CLI)',
      certificatePem: material.certificatePem,
      roles: ['graph:User.Read.All'],
      exchangeScope: { roles: ['Mail.ReadWrite', 'MailboxSettings.Read'], mailboxes: ['admin@contoso.onmicrosoft.com'] },
    });
    const file = join(dir, 'rbac.pem');
    await writeFile(file, `${material.certificatePem.trim()}\n${material.privateKeyPem.reveal().trim()}\n`, { mode: 0o600 });
    const result = await runCli(['connections', 'reconfigure', 'c-1', '--tenant', 'contoso.onmicrosoft.com', '--client-id', appId, '--certificate', file, '--store', store], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^WARN {2}Permissions: The token carries no Mail\.ReadWrite .*Exchange RBAC for Applications/m);
    expect(result.stdout).toMatch(/^PASS {2}Mailbox \(Microsoft Graph\)/m);
    expect(result.stdout).toContain("Saved: 'admin@contoso.onmicrosoft.com' now uses Modern Authentication.");
  });
});

describe('credentials never cross a network in clear text (issue 11.12)', () => {
  it('BACKUP_PANEL_M365_ENDPOINT over plain http to another machine is refused before any request', async () => {
    const { store } = await fixtureStore();
    const result = await runCli(['connections', 'test', 'c-3', '--store', store], { env: { ...env, BACKUP_PANEL_M365_ENDPOINT: 'http://192.0.2.10:8080' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'backup-panel: BACKUP_PANEL_M365_ENDPOINT=http://192.0.2.10:8080 is refused: plain http is allowed only to this machine (127.0.0.1, ::1, localhost), so that passwords, secrets and tokens never cross a network in clear text. Use https://192.0.2.10:8080 (or a loopback address).',
    );
    expect(result.stdout).toBe('');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationProgress } from '../../src/auth/api.js';
import { parseEndpoint } from '../../src/m365/endpoint.js';
import { registerApplication } from '../../src/auth/registration.js';
import { DEFAULT_RETRY, Transport } from '../../src/m365/transport.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { json, startServer } from './helpers.js';
import { approveAs, authFor, byName, NOW, rejectionOf, sandbox } from './sandbox-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('automatic registration, end to end (device code → Graph → wait for Entra → verify)', () => {
  it('Exchange: the tenant holds the app with our certificate, its service principal and every role; verification passes', async () => {
    const auth = authFor(sb);
    const session = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb) });
    const progress: RegistrationProgress[] = [];
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup - Modern Auth (host01)', onProgress: (p) => progress.push(p) });

    expect(app.tenantId).toBe(sb.tenants.contoso.id);
    expect(app.displayName).toBe('Backup - Modern Auth (host01)');
    expect(app.certificate.subject).toBe('CN=backup-panel-host01');
    expect(app.certificate.keyBits).toBe(2048);
    expect(app.grantedRoles).toEqual(['full_access_as_app', 'Mail.ReadWrite', 'MailboxSettings.ReadWrite', 'User.Read.All']);

    const inTenant = sb.getApp(app.clientId);
    expect(inTenant).toBeDefined();
    expect(inTenant?.tenant).toBe('contoso');
    expect(inTenant?.objectId).toBe(app.applicationObjectId);
    expect(inTenant?.certificateThumbprintsSha256).toContain(app.certificate.thumbprintSha256);
    expect(inTenant?.servicePrincipalId).toBe(app.servicePrincipalId);
    expect(inTenant?.secretCount).toBe(0);
    expect(inTenant?.publicClient).toBe(false);
    expect(inTenant?.grantedAppRoles.map((r) => `${r.resource}:${r.value}:${r.id}`).sort()).toEqual(
      auth
        .permissionsFor('exchange')
        .map((p) => `${p.resource === 'Microsoft Graph' ? 'graph' : 'exchange'}:${p.name}:${p.id}`)
        .sort(),
    );

    const steps = progress.map((p) => `${p.step}${p.done ? ' ✓' : ''}: ${p.detail}`);
    expect(steps).toContain('grant: Granting Mail.ReadWrite (2 of 4)');
    expect(progress.map((p) => p.step)).toEqual(expect.arrayContaining(['certificate', 'resolve-permissions', 'application', 'service-principal', 'grant', 'wait-for-entra']));
    expect(progress.at(-1)).toMatchObject({ step: 'wait-for-entra', done: true });

    const checks = await auth.verify(
      {
        kind: 'online-app',
        service: 'exchange',
        tenantId: app.tenantId,
        clientId: app.clientId,
        credential: { kind: 'certificate', certificate: app.certificate },
        mailbox: 'backup@contoso.onmicrosoft.com',
        recentlyRegistered: true,
      },
      { now: NOW },
    );
    expect(checks.map((c) => c.name)).toEqual(['Sign-in (token)', 'Permissions', 'Mailbox (Microsoft Graph)', 'EWS (legacy)']);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(byName(checks, 'Permissions').status).toBe('pass');
    expect(byName(checks, 'Mailbox (Microsoft Graph)').message).toContain('backup@contoso.onmicrosoft.com');
  });

  it('the admin token is dropped after the registration and by signOutAdmin', async () => {
    const auth = authFor(sb);
    const session = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb) });
    await auth.registerApp(session, { service: 'exchange', displayName: 'Backup once', onProgress: () => undefined });
    const again = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup twice', onProgress: () => undefined }));
    expect(again.message).toContain('sign in again');
    const other = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb) });
    auth.signOutAdmin(other);
    const afterSignOut = await rejectionOf(auth.registerApp(other, { service: 'exchange', displayName: 'Backup after sign-out', onProgress: () => undefined }));
    expect(afterSignOut.message).toContain('sign in again');
  });

  it('SharePoint: SharePoint and Graph roles granted, waiting covers the SharePoint token; verification passes', async () => {
    const slow = await sandbox({ newAppUnavailableMs: 2000 });
    try {
      const auth = authFor(slow);
      const session = await auth.signInAdmin({ tenant: slow.tenants.contoso.domain, onPrompt: approveAs(slow) });
      const progress: RegistrationProgress[] = [];
      const app = await auth.registerApp(session, { service: 'sharepoint', displayName: 'Backup SharePoint (host01)', onProgress: (p) => progress.push(p) });
      const inTenant = slow.getApp(app.clientId);
      expect(inTenant?.grantedAppRoles.map((r) => `${r.resource}:${r.value}`).sort()).toEqual(['graph:Sites.FullControl.All', 'graph:User.Read.All', 'sharepoint:Sites.FullControl.All']);
      // Entra was slow: the wait step reported its elapsed time while waiting.
      expect(progress.some((p) => p.step === 'wait-for-entra' && !p.done && /\(\d+ s\)/.test(p.detail) && !p.detail.endsWith('(0 s)'))).toBe(true);
      const checks = await auth.verify(
        {
          kind: 'online-app',
          service: 'sharepoint',
          tenantId: app.tenantId,
          clientId: app.clientId,
          credential: { kind: 'certificate', certificate: app.certificate },
          siteUrl: slow.tenants.contoso.sharePointUrl,
          recentlyRegistered: true,
        },
        { now: NOW },
      );
      expect(checks.map((c) => [c.name, c.status])).toEqual([
        ['Sign-in (token)', 'pass'],
        ['Permissions', 'pass'],
        ['Site collections (Microsoft Graph)', 'pass'],
        ['SharePoint REST', 'pass'],
      ]);
    } finally {
      await slow.close();
    }
  });

  it('gives up waiting for Entra after propagationTimeoutMs with a clear message', async () => {
    const slow = await sandbox({ newAppUnavailableMs: 60_000 });
    try {
      const auth = authFor(slow, { propagationTimeoutMs: 1500 });
      const session = await auth.signInAdmin({ tenant: slow.tenants.contoso.domain, onPrompt: approveAs(slow) });
      const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup slow', onProgress: () => undefined }));
      expect(error.category).toBe('PropagationPending');
      expect(error.message).toMatch(/did not make the new app 'Backup slow' \(client ID [0-9a-f-]{36}\) ready within 2 s/);
      expect(error.hint).toContain('test the connection again');
    } finally {
      await slow.close();
    }
  });

  it('an admin without Global Administrator / Privileged Role Administrator: the clear 403 message', async () => {
    const auth = authFor(sb);
    const session = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb, 'helpdesk@contoso.onmicrosoft.com') });
    expect(session.userPrincipalName).toBe('helpdesk@contoso.onmicrosoft.com');
    const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup Exchange', onProgress: () => undefined }));
    expect(error.message).toMatch(/^Failed to register 'Backup Exchange' with tenant '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e'\. The account that signed in \(helpdesk@contoso\.onmicrosoft\.com\) lacks the Global Administrator or Privileged Role Administrator role/);
    expect(error.message).toContain('Authorization_RequestDenied');
    expect(error.hint).toMatch(/partial app registration named 'Backup Exchange' may now exist in Microsoft Entra ID/);
    expect(error.hint).toContain('Manual registration');
  });

  it('a Cloud Application Administrator creates the app but cannot grant Graph roles: the partial app is named', async () => {
    const auth = authFor(sb);
    const session = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb, 'appadmin@contoso.onmicrosoft.com') });
    const progress: RegistrationProgress[] = [];
    const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup partial', onProgress: (p) => progress.push(p) }));
    expect(error.category).toBe('ConsentMissing');
    expect(error.message).toMatch(/^Failed to register 'Backup partial' with tenant '[0-9a-f-]{36}'\. The account that signed in \(appadmin@contoso\.onmicrosoft\.com\) lacks/);
    const created = progress.find((p) => p.step === 'application' && p.done);
    const clientId = /client ID ([0-9a-f-]{36})/.exec(created?.detail ?? '')?.[1];
    expect(clientId).toBeDefined();
    expect(error.hint).toContain(`The app registration 'Backup partial' (client ID ${clientId}) now exists in Microsoft Entra ID without all its permissions`);
    // It really is there, with the Exchange role (allowed for this admin role) and without the Graph ones.
    expect(sb.getApp(clientId as string)?.grantedRoles).toEqual(['full_access_as_app']);
    expect(progress.filter((p) => p.step === 'grant' && p.done).map((p) => p.detail)).toEqual(['Granting full_access_as_app (1 of 4)']);
  });
});

describe('role ids are resolved at run time and checked against the shipped constants', () => {
  async function fakeGraph(roles: Record<string, { id: string; value: string }[]>) {
    return startServer((req, res) => {
      const match = /servicePrincipals\(appId='([^']+)'\)/.exec(decodeURIComponent(req.url));
      if (req.method === 'GET' && match) return json(res, 200, { id: `sp-${match[1]}`, appRoles: roles[match[1] as string] ?? [] });
      return json(res, 500, { error: { code: 'Unexpected', message: `${req.method} ${req.url}` } });
    });
  }

  async function attempt(roles: Record<string, { id: string; value: string }[]>) {
    const server = await fakeGraph(roles);
    try {
      const transport = new Transport({ endpoint: parseEndpoint(server.url), timeoutMs: 5000, retry: DEFAULT_RETRY });
      const error = await rejectionOf(
        registerApplication(
          { transport, propagationTimeoutMs: 1000, hostName: 'host01', now: NOW },
          { userPrincipalName: 'admin@contoso.onmicrosoft.com', tenantId: '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e' },
          { accessToken: 'delegated-token' },
          { service: 'exchange', displayName: 'Backup', onProgress: () => undefined },
        ),
      );
      return { error, posts: server.requests.filter((r) => r.method === 'POST').length };
    } finally {
      await server.close();
    }
  }

  const exchange = { '00000002-0000-0ff1-ce00-000000000000': [{ id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', value: 'full_access_as_app' }] };
  const graphRoles = (mailId: string) => ({
    '00000003-0000-0000-c000-000000000000': [
      { id: mailId, value: 'Mail.ReadWrite' },
      { id: '6931bccd-447a-43d1-b442-00a195474933', value: 'MailboxSettings.ReadWrite' },
      { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All' },
    ],
  });

  it('fails loudly, creating nothing, when a role id differs', async () => {
    const { error, posts } = await attempt({ ...exchange, ...graphRoles('00000000-1111-2222-3333-444444444444') });
    expect(error.category).toBe('Configuration');
    expect(error.message).toContain("Microsoft Graph's permission 'Mail.ReadWrite' has id 00000000-1111-2222-3333-444444444444 in this tenant, not the expected e2a3a72e-5f79-4c64-b1b1-878b674786c9; nothing was created.");
    expect(posts).toBe(0);
  });

  it('fails loudly, creating nothing, when a role is missing', async () => {
    const { error, posts } = await attempt({ ...graphRoles('e2a3a72e-5f79-4c64-b1b1-878b674786c9') });
    expect(error.message).toContain("Office 365 Exchange Online in this tenant has no application permission 'full_access_as_app'");
    expect(posts).toBe(0);
  });
});

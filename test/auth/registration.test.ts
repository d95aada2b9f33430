import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoles } from '../../src/auth/admin-roles.js';
import type { AdminSession, AuthApi, CertificateMaterial, RegistrationProgress, VerifyTarget } from '../../src/auth/api.js';
import { registerApplication } from '../../src/auth/registration.js';
import { parseEndpoint } from '../../src/m365/endpoint.js';
import { DEFAULT_RETRY, Transport } from '../../src/m365/transport.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { json, startServer } from './helpers.js';
import { approveAs, authFor, byName, NOW, rejectionOf, sandbox } from './sandbox-helpers.js';

/**
 * Automatic registration against the lagging sandbox (real msal-node over loopback), issue 12
 * items 1–4 and 9: idempotent and reused registrations, the admin's roles checked before any
 * write, least-privilege Graph roles, the chosen certificate lifetime.
 */

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
  sb.setTenant('contoso', { signInAppConsented: true });
  sb.setTenant('litware', { signInAppConsented: true });
});

/** The tenant with one user per directory-role combination. */
const LITWARE = 'litware.onmicrosoft.com';
afterAll(async () => {
  await sb.close();
});

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const nothing = () => undefined;

function exchangeTarget(app: { tenantId: string; clientId: string; certificate: CertificateMaterial }, extra: Partial<Extract<VerifyTarget, { kind: 'online-app' }>> = {}): VerifyTarget {
  return {
    kind: 'online-app',
    service: 'exchange',
    tenantId: app.tenantId,
    clientId: app.clientId,
    credential: { kind: 'certificate', certificate: app.certificate },
    mailbox: 'backup@contoso.onmicrosoft.com',
    recentlyRegistered: true,
    ...extra,
  };
}

async function signIn(auth: AuthApi, upn?: string, tenant = sb.tenants.contoso.domain): Promise<AdminSession> {
  return auth.signInAdmin({ tenant, onPrompt: approveAs(sb, upn) });
}

/** Writes the sandbox saw to Graph since `from` (PATCH/POST/DELETE on graph.microsoft.com). */
const graphWrites = (from: number) => sb.requests.slice(from).filter((r) => r.host === 'graph.microsoft.com' && r.method !== 'GET');

describe('automatic registration through the lagging sandbox', () => {
  it('Exchange: least-privilege Graph roles, no EWS, a 1-year certificate; the lag is ridden out; verification passes', async () => {
    const auth = authFor(sb, { hostName: 'exo01' });
    const session = await signIn(auth);
    expect(session.roles.summary).toBe('Global Administrator: can create the app registration and grant every permission.');
    const lagBefore = sb.lagEvents.length;
    const progress: RegistrationProgress[] = [];
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup - Modern Auth (exo01)', onProgress: (p) => progress.push(p) });

    expect(app).toMatchObject({ tenantId: sb.tenants.contoso.id, cloud: 'global', uniqueName: 'backup-panel-exo01', created: true, legacyEws: false });
    expect(app.grantedRoles).toEqual(['Mail.ReadWrite', 'MailboxSettings.Read', 'User.Read.All']);
    const days = (Date.parse(app.certificate.notAfter) - Date.parse(app.certificate.notBefore)) / 86_400_000;
    expect(days).toBe(365);
    const inTenant = sb.getApp(app.clientId);
    expect(inTenant).toMatchObject({ tenant: 'contoso', uniqueName: 'backup-panel-exo01', objectId: app.applicationObjectId, servicePrincipalId: app.servicePrincipalId, secretCount: 0 });
    expect(inTenant?.certificateThumbprintsSha256).toEqual([app.certificate.thumbprintSha256]);
    expect(inTenant?.grantedAppRoles.map((r) => `${r.resource}:${r.value}:${r.id}`).sort()).toEqual([
      'graph:Mail.ReadWrite:e2a3a72e-5f79-4c64-b1b1-878b674786c9',
      'graph:MailboxSettings.Read:40f97065-369a-49f4-947c-6a255697ae91',
      'graph:User.Read.All:df021288-bdef-4463-88db-98f22de89214',
    ]);
    // Entra lagged as a real tenant does, and the registration went through it.
    const kinds = new Set(sb.lagEvents.slice(lagBefore).map((e) => e.kind));
    expect(kinds.has('graph-reference-not-found')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ step: 'wait-for-entra', done: true });

    const checks = await auth.verify(exchangeTarget(app), { now: NOW });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Mailbox (Microsoft Graph)', 'pass'],
    ]);
  });

  it('goes through injected AADSTS7000229 and Graph 404s', async () => {
    const auth = authFor(sb, { hostName: 'faults01' });
    const session = await signIn(auth);
    const from = sb.requests.length;
    const notThere = (what: string) => ({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'Request_ResourceNotFound', message: `Resource '${what}' does not exist or one of its queried reference-property objects are not present.` } }) });
    sb.inject({ host: 'graph.microsoft.com', method: 'POST', path: /\/appRoleAssignedTo$/, respond: notThere('principal'), times: 2 });
    sb.inject({ host: 'graph.microsoft.com', method: 'PATCH', path: /^\/v1\.0\/servicePrincipals\(appId=/, respond: notThere('application'), times: 1 });
    sb.inject({
      host: 'login.microsoftonline.com',
      method: 'POST',
      path: /\/oauth2\/v2\.0\/token$/,
      respond: { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000229: The client application is missing service principal in the tenant.', error_codes: [7000229] }) },
      times: 2,
    });
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup faults', onProgress: nothing });
    sb.clearFaults();
    const seen = sb.requests.slice(from);
    expect(seen.filter((r) => r.path.endsWith('/appRoleAssignedTo') && r.status === 404).length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((r) => r.path.endsWith('/token') && r.status === 400).length).toBeGreaterThanOrEqual(2);
    expect(sb.getApp(app.clientId)?.grantedRoles).toHaveLength(3);
  });

  it('a repeated registration in the same tenant makes no second app: it reuses it and rotates the certificate', async () => {
    const auth = authFor(sb, { hostName: 'again01' });
    const before = sb.appsIn('contoso').length;
    const first = await auth.registerApp(await signIn(auth), { service: 'exchange', displayName: 'Backup again', onProgress: nothing });
    const from = sb.requests.length;
    const progress: RegistrationProgress[] = [];
    const second = await auth.registerApp(await signIn(auth), { service: 'exchange', displayName: 'Backup again', onProgress: (p) => progress.push(p) });
    expect(sb.appsIn('contoso').length - before).toBe(1);
    expect(second).toMatchObject({ clientId: first.clientId, applicationObjectId: first.applicationObjectId, servicePrincipalId: first.servicePrincipalId, created: false });
    expect(second.certificate.thumbprintSha256).not.toBe(first.certificate.thumbprintSha256);
    // Rotated: only the new certificate is registered, and no role was granted twice.
    expect(sb.getApp(second.clientId)?.certificateThumbprintsSha256).toEqual([second.certificate.thumbprintSha256]);
    expect(graphWrites(from).filter((r) => r.path.endsWith('/appRoleAssignedTo'))).toEqual([]);
    expect(progress.some((p) => p.step === 'application' && p.done && p.detail.includes('reused, with a new certificate'))).toBe(true);
    const checks = await auth.verify(exchangeTarget(second), { now: NOW });
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });

  it('Exchange and SharePoint of one tenant share one app: the second adds its roles and keeps the first certificate', async () => {
    const auth = authFor(sb, { hostName: 'shared01' });
    const before = sb.appsIn('contoso').length;
    const exchange = await auth.registerApp(await signIn(auth), { service: 'exchange', displayName: 'Backup shared', onProgress: nothing });
    const sharePoint = await auth.registerApp(await signIn(auth), {
      service: 'sharepoint',
      alsoServes: ['exchange'],
      keepCertificates: [exchange.certificate.certificatePem],
      displayName: 'Backup shared',
      siteUrl: sb.tenants.contoso.sharePointUrl,
      onProgress: nothing,
    });
    expect(sb.appsIn('contoso').length - before).toBe(1);
    expect(sharePoint.clientId).toBe(exchange.clientId);
    const inTenant = sb.getApp(sharePoint.clientId);
    expect(inTenant?.grantedRoles.sort()).toEqual(['Mail.ReadWrite', 'MailboxSettings.Read', 'Sites.ReadWrite.All', 'User.Read.All']);
    expect(inTenant?.certificateThumbprintsSha256.sort()).toEqual([exchange.certificate.thumbprintSha256, sharePoint.certificate.thumbprintSha256].sort());
    // Both connections' certificates work.
    expect((await auth.verify(exchangeTarget(exchange), { now: NOW })).filter((c) => c.status === 'fail')).toEqual([]);
    const spChecks = await auth.verify({ ...exchangeTarget(sharePoint), service: 'sharepoint', siteUrl: sb.tenants.contoso.sharePointUrl, mailbox: undefined } as VerifyTarget, { now: NOW });
    expect(spChecks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Site collections (Microsoft Graph)', 'pass'],
      ['SharePoint REST', 'warn'],
    ]);
    expect(byName(spChecks, 'SharePoint REST').message).toContain('the backup uses Microsoft Graph');
  });

  it('legacy EWS only on request, with its end date; the chosen certificate lifetime', async () => {
    const auth = authFor(sb, { hostName: 'legacy01' });
    expect(auth.permissionsFor('exchange').map((p) => p.name)).not.toContain('full_access_as_app');
    const ews = auth.permissionsFor('exchange', { legacyEws: true }).find((p) => p.name === 'full_access_as_app');
    expect(ews?.why).toContain('blocked by default since 1 Oct 2026 and removed on 1 Apr 2027');
    const app = await auth.registerApp(await signIn(auth), { service: 'exchange', displayName: 'Backup legacy', legacyEws: true, certificateLifetimeDays: 90, onProgress: nothing });
    expect(app.grantedRoles).toContain('full_access_as_app');
    expect((Date.parse(app.certificate.notAfter) - Date.parse(app.certificate.notBefore)) / 86_400_000).toBe(90);
    const checks = await auth.verify(exchangeTarget(app, { legacyEws: true }), { now: NOW });
    expect(byName(checks, 'EWS (legacy)').message).toContain('blocked by default since 1 Oct 2026 and removed on 1 Apr 2027');
  });

  it('gives up waiting for Entra after propagationTimeoutMs with a clear message', async () => {
    const auth = authFor(sb, { hostName: 'slow01', propagationTimeoutMs: 1500 });
    const session = await signIn(auth);
    sb.inject({
      host: 'login.microsoftonline.com',
      path: /\/oauth2\/v2\.0\/token$/,
      respond: { status: 400, body: JSON.stringify({ error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found.', error_codes: [700016] }) },
      times: Infinity,
    });
    try {
      const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup slow', onProgress: nothing }));
      expect(error.category).toBe('PropagationPending');
      expect(error.message).toMatch(/did not make the new app 'Backup slow' \(client ID [0-9a-f-]{36}\) ready within 2 s \(AADSTS700016/);
      expect(error.hint).toContain('test the connection again');
    } finally {
      sb.clearFaults();
    }
  });

  it('the admin token is dropped after the registration (unless kept) and by signOutAdmin', async () => {
    const auth = authFor(sb, { hostName: 'once01' });
    const session = await signIn(auth);
    await auth.registerApp(session, { service: 'exchange', displayName: 'Backup once', onProgress: nothing });
    expect((await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup twice', onProgress: nothing }))).message).toContain('sign in again');
    const kept = await signIn(auth);
    const app = await auth.registerApp(kept, { service: 'exchange', displayName: 'Backup kept', keepSignedIn: true, onProgress: nothing });
    expect(await auth.removeApp(kept, { clientId: app.clientId })).toBe('removed');
    expect(sb.getApp(app.clientId)).toBeUndefined();
    auth.signOutAdmin(kept);
    expect((await rejectionOf(auth.removeApp(kept, { clientId: app.clientId }))).message).toContain('sign in again');
  });
});

describe("the admin's roles, checked before anything is created", () => {
  const cases = [
    {
      upn: 'appadmin@litware.onmicrosoft.com',
      summary: 'Cloud Application Administrator: can create the app registration and grant its Exchange and SharePoint permissions, but not Microsoft Graph application permissions; those need Global Administrator or Privileged Role Administrator.',
      error: /^The account that signed in \(appadmin@litware\.onmicrosoft\.com\) is Cloud Application Administrator: that role may create app registrations but cannot grant Microsoft Graph application permissions \(Mail\.ReadWrite, MailboxSettings\.Read, User\.Read\.All\); only Global Administrator or Privileged Role Administrator can\. Nothing was created or changed\.$/,
    },
    {
      upn: 'applicationadmin@litware.onmicrosoft.com',
      summary: 'Application Administrator: can create the app registration and grant its Exchange and SharePoint permissions, but not Microsoft Graph application permissions; those need Global Administrator or Privileged Role Administrator.',
      error: /is Application Administrator: that role may create app registrations but cannot grant Microsoft Graph application permissions/,
    },
    {
      upn: 'pim@litware.onmicrosoft.com',
      summary: 'The account holds none of the roles needed (Global Administrator, Privileged Role Administrator, Application Administrator and Cloud Application Administrator). If the role is eligible for you in Privileged Identity Management (PIM), activate it there first, then sign in again (a token from before the activation does not carry it).',
      error: /^The account that signed in \(pim@litware\.onmicrosoft\.com\) holds none of the directory roles that can register the backup app .* Nothing was created or changed\.$/,
      hint: /activate it there first/,
    },
  ];
  for (const c of cases) {
    it(`${c.upn}: the summary after sign-in, and a refusal before any write`, async () => {
      const auth = authFor(sb, { hostName: 'roles01' });
      const session = await signIn(auth, c.upn, LITWARE);
      expect(session.roles.summary).toBe(c.summary);
      const before = sb.appsIn('litware').length;
      const from = sb.requests.length;
      const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup roles', onProgress: nothing }));
      expect(error.category).toBe('ConsentMissing');
      expect(error.message).toMatch(c.error);
      if (c.hint) expect(error.hint).toMatch(c.hint);
      expect(graphWrites(from)).toEqual([]);
      expect(sb.appsIn('litware').length).toBe(before);
    });
  }

  it('Privileged Role Administrator alone: may grant, but creating the app is refused where users cannot register apps; allowed where they can', async () => {
    const auth = authFor(sb, { hostName: 'pra01' });
    const session = await signIn(auth, 'praadmin@litware.onmicrosoft.com', LITWARE);
    expect(session.roles.summary).toBe('Privileged Role Administrator: can grant every permission, but may create the app registration only where "Users can register applications" is on in Microsoft Entra ID (User settings).');
    const before = sb.appsIn('litware').length;
    const error = await rejectionOf(auth.registerApp(session, { service: 'exchange', displayName: 'Backup PRA', keepSignedIn: true, onProgress: nothing }));
    expect(error.message).toContain('Privileged Role Administrator may create app registrations only where "Users can register applications" is on, and it is off in this tenant.');
    expect(sb.appsIn('litware').length).toBe(before);
    sb.setTenant('litware', { usersCanRegisterApps: true });
    try {
      const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup PRA', onProgress: nothing });
      expect(sb.getApp(app.clientId)?.grantedRoles).toHaveLength(3);
    } finally {
      sb.setTenant('litware', { usersCanRegisterApps: false });
    }
  });

  it('Application Administrator together with Privileged Role Administrator can do it all', async () => {
    const auth = authFor(sb, { hostName: 'both01' });
    const session = await signIn(auth, 'appandpra@litware.onmicrosoft.com', LITWARE);
    expect(session.roles.canGrantGraphRoles && session.roles.canCreateApps === 'yes').toBe(true);
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup both', onProgress: nothing });
    expect(sb.getApp(app.clientId)?.grantedRoles).toHaveLength(3);
  });

  it('an Application Administrator may renew the certificate of a registration whose roles are all granted', async () => {
    const admin = authFor(sb, { hostName: 'renew01' });
    await admin.registerApp(await signIn(admin, 'admin@litware.onmicrosoft.com', LITWARE), { service: 'exchange', displayName: 'Backup renew', onProgress: nothing });
    const appAdmin = authFor(sb, { hostName: 'renew01' });
    const renewed = await appAdmin.registerApp(await signIn(appAdmin, 'applicationadmin@litware.onmicrosoft.com', LITWARE), { service: 'exchange', displayName: 'Backup renew', onProgress: nothing });
    expect(renewed.created).toBe(false);
  });

  it('a user with no role is stopped at sign-in by the tenant: "asked for admin approval", not "the code expired"', async () => {
    sb.setTenant('litware', { signInAppConsented: false });
    try {
      const error = await rejectionOf(signIn(authFor(sb), 'helpdesk@litware.onmicrosoft.com', LITWARE));
      expect(error.category).toBe('ConsentMissing');
      expect(error.aadsts).toBe(65001);
      expect(error.message).toMatch(/^Microsoft Entra ID asked for admin approval \(AADSTS65001\): the account that signed in may not consent to the permissions the registration needs/);
      expect(error.message).not.toMatch(/expired/);
    } finally {
      sb.setTenant('litware', { signInAppConsented: true });
    }
  });
});

describe('role ids are resolved at run time and checked against the shipped constants', () => {
  async function attempt(roles: Record<string, { id: string; value: string }[]>) {
    const server = await startServer((req, res) => {
      const match = /servicePrincipals\(appId='([^']+)'\)/.exec(decodeURIComponent(req.url));
      if (req.method === 'GET' && match) return json(res, 200, { id: `sp-${match[1]}`, appRoles: roles[match[1] as string] ?? [] });
      return json(res, 500, { error: { code: 'Unexpected', message: `${req.method} ${req.url}` } });
    });
    try {
      const transport = new Transport({ endpoint: parseEndpoint(server.url), timeoutMs: 5000, retry: DEFAULT_RETRY });
      const error = await rejectionOf(
        registerApplication(
          { transport, propagationTimeoutMs: 1000, hostName: 'host01', now: NOW },
          { userPrincipalName: 'admin@contoso.onmicrosoft.com', tenantId: '6b0d3a57-8f3e-4c1a-9b2d-5e7f1a2c3d4e', cloud: 'global', roles: adminRoles([GLOBAL_ADMIN]) },
          { accessToken: 'delegated-token' },
          { service: 'exchange', displayName: 'Backup', onProgress: nothing, legacyEws: true },
        ),
      );
      return { error, writes: server.requests.filter((r) => r.method !== 'GET').length };
    } finally {
      await server.close();
    }
  }
  const exchange = { '00000002-0000-0ff1-ce00-000000000000': [{ id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', value: 'full_access_as_app' }] };
  const graphRoles = (mailId: string) => ({
    '00000003-0000-0000-c000-000000000000': [
      { id: mailId, value: 'Mail.ReadWrite' },
      { id: '40f97065-369a-49f4-947c-6a255697ae91', value: 'MailboxSettings.Read' },
      { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All' },
    ],
  });

  it('fails loudly, creating nothing, when a role id differs', async () => {
    const { error, writes } = await attempt({ ...exchange, ...graphRoles('00000000-1111-2222-3333-444444444444') });
    expect(error.category).toBe('Configuration');
    expect(error.message).toContain("Microsoft Graph's permission 'Mail.ReadWrite' has id 00000000-1111-2222-3333-444444444444 in this tenant, not the expected e2a3a72e-5f79-4c64-b1b1-878b674786c9; nothing was created.");
    expect(writes).toBe(0);
  });

  it('fails loudly, creating nothing, when a role is missing', async () => {
    const { error, writes } = await attempt({ ...graphRoles('e2a3a72e-5f79-4c64-b1b1-878b674786c9') });
    expect(error.message).toContain("Office 365 Exchange Online in this tenant has no application permission 'full_access_as_app'");
    expect(writes).toBe(0);
  });
});

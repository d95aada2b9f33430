import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { appTokenWithSecret, bearer, call, decodeClaims, delegatedToken, form, jsonBody } from './helpers.js';

const G = 'https://graph.microsoft.com/v1.0';
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const EXO_APP = '00000002-0000-0ff1-ce00-000000000000';
const SPO_APP = '00000003-0000-0ff1-ce00-000000000000';
const ROLE = {
  mailReadWrite: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  graphSitesFullControl: 'a82116e5-55eb-4c41-a434-62fe8a61c773',
  fullAccessAsApp: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  spoSitesFullControl: '678536fe-1083-478a-9c59-b99265e6b0d3',
};

let s: Sandbox;
let admin: string;
const cert = createTestCertificate({ commonName: 'backup-host01' });

beforeAll(async () => {
  // The registration sequence step by step, without replication lag (test/sandbox/replication.test.ts has it).
  s = await startSandbox({ lag: false });
  admin = await delegatedToken(s, 'admin@contoso.onmicrosoft.com');
});
afterAll(() => s.close());

async function graph(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  return call(s, `${G}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined ? jsonBody(init.body, token) : { headers: bearer(token) }),
  });
}

describe('Graph: automatic registration sequence with a delegated admin token', () => {
  it('resolves the resource service principals with their real role ids', async () => {
    const res = await graph(`/servicePrincipals(appId='${GRAPH_APP}')?$select=id,appRoles`, admin);
    expect(res.status).toBe(200);
    const sp = res.json<{ id: string; appRoles: Array<{ id: string; value: string; allowedMemberTypes: string[]; isEnabled: boolean }>; displayName?: string }>();
    expect(sp.displayName).toBeUndefined();
    expect(sp.appRoles.find((r) => r.value === 'Mail.ReadWrite')).toMatchObject({ id: ROLE.mailReadWrite, allowedMemberTypes: ['Application'], isEnabled: true });
    for (const value of ['Mail.Read', 'Mail.ReadBasic.All', 'MailboxSettings.ReadWrite', 'User.Read.All', 'Sites.FullControl.All', 'Sites.ReadWrite.All', 'Sites.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']) {
      expect(sp.appRoles.map((r) => r.value)).toContain(value);
    }
    const exo = await graph(`/servicePrincipals(appId='${EXO_APP}')`, admin);
    expect(exo.json<{ appRoles: Array<{ id: string; value: string }> }>().appRoles).toContainEqual(expect.objectContaining({ id: ROLE.fullAccessAsApp, value: 'full_access_as_app' }));
    const spo = await graph(`/servicePrincipals?$filter=appId eq '${SPO_APP}'`, admin);
    expect(spo.json<{ value: Array<{ appRoles: Array<{ id: string }> }> }>().value[0]?.appRoles.map((r) => r.id)).toContain(ROLE.spoSitesFullControl);
    const byId = await graph(`/servicePrincipals/${sp.id}`, admin);
    expect(byId.json()).toMatchObject({ appId: GRAPH_APP, displayName: 'Microsoft Graph' });

    const missing = await graph(`/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')`, admin);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound', innerError: { 'request-id': expect.any(String), date: expect.any(String) } } });
  });

  it('creates the app, its service principal and the role assignments, then issues tokens with the roles', async () => {
    const created = await graph('/applications', admin, {
      method: 'POST',
      body: {
        displayName: 'Backup - Modern Auth (host01)',
        signInAudience: 'AzureADMyOrg',
        keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'CN=backup-host01', key: cert.derBase64 }],
        requiredResourceAccess: [{ resourceAppId: EXO_APP, resourceAccess: [{ id: ROLE.fullAccessAsApp, type: 'Role' }] }],
      },
    });
    expect(created.status).toBe(201);
    const app = created.json<{ id: string; appId: string; keyCredentials: Array<Record<string, unknown>> }>();
    expect(app.keyCredentials[0]).toMatchObject({
      customKeyIdentifier: cert.thumbprintSha1,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      startDateTime: cert.notBefore.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      endDateTime: cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });

    const sp = await graph('/servicePrincipals', admin, { method: 'POST', body: { appId: app.appId } });
    expect(sp.status).toBe(201);
    const spId = sp.json<{ id: string; appId: string }>().id;
    const again = await graph('/servicePrincipals', admin, { method: 'POST', body: { appId: app.appId } });
    expect(again.status).toBe(409);

    const resources = Object.fromEntries(
      await Promise.all(
        [GRAPH_APP, EXO_APP, SPO_APP].map(async (id) => [id, (await graph(`/servicePrincipals(appId='${id}')?$select=id`, admin)).json<{ id: string }>().id] as const),
      ),
    );
    for (const [resource, role] of [[GRAPH_APP, ROLE.mailReadWrite], [GRAPH_APP, ROLE.graphSitesFullControl], [EXO_APP, ROLE.fullAccessAsApp], [SPO_APP, ROLE.spoSitesFullControl]] as const) {
      const res = await graph(`/servicePrincipals/${resources[resource]}/appRoleAssignedTo`, admin, {
        method: 'POST',
        body: { principalId: spId, resourceId: resources[resource], appRoleId: role },
      });
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({ appRoleId: role, principalId: spId, resourceId: resources[resource], principalType: 'ServicePrincipal' });
    }
    const duplicate = await graph(`/servicePrincipals/${resources[EXO_APP]}/appRoleAssignedTo`, admin, {
      method: 'POST',
      body: { principalId: spId, resourceId: resources[EXO_APP], appRoleId: ROLE.fullAccessAsApp },
    });
    expect(duplicate.status).toBe(400);
    const list = await graph(`/servicePrincipals/${resources[EXO_APP]}/appRoleAssignedTo`, admin);
    expect(list.json<{ value: unknown[] }>().value).toHaveLength(1);

    expect(s.getApp(app.appId)).toMatchObject({
      tenant: 'contoso',
      displayName: 'Backup - Modern Auth (host01)',
      objectId: app.id,
      servicePrincipalId: spId,
      certificateThumbprintsSha256: [cert.thumbprintSha256],
    });
    expect(s.getApp(app.appId)?.grantedRoles.sort()).toEqual(['Mail.ReadWrite', 'Sites.FullControl.All', 'full_access_as_app']);

    const fetched = await graph(`/applications/${app.id}`, admin);
    expect(fetched.json()).toMatchObject({ appId: app.appId });
    const filtered = await graph(`/applications?$filter=appId eq '${app.appId}'`, admin);
    expect(filtered.json<{ value: unknown[] }>().value).toHaveLength(1);

    // Deleting the application removes its service principal too.
    expect((await graph(`/applications/${app.id}`, admin, { method: 'DELETE' })).status).toBe(204);
    expect(s.getApp(app.appId)).toBeUndefined();
    expect((await graph(`/servicePrincipals/${spId}`, admin)).status).toBe(404);
  });

  it('rejects a key that is not an X.509 certificate', async () => {
    const res = await graph('/applications', admin, {
      method: 'POST',
      body: { displayName: 'Bad key', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from('not a certificate').toString('base64') }] },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { message: "Invalid value specified for property 'key' of resource 'KeyCredential'." } });
  });

  it('refuses registration for a user without an admin role (403 Authorization_RequestDenied)', async () => {
    // Signs in at all only where the tenant has consented to the sign-in app for everyone.
    s.setTenant('contoso', { signInAppConsented: true });
    const helpdesk = await delegatedToken(s, 'helpdesk@contoso.onmicrosoft.com');
    s.setTenant('contoso', { signInAppConsented: false });
    const res = await graph('/applications', helpdesk, { method: 'POST', body: { displayName: 'Not allowed' } });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
  });

  it('lets a Cloud Application Administrator grant Exchange roles but not Microsoft Graph roles', async () => {
    const caa = await delegatedToken(s, 'appadmin@contoso.onmicrosoft.com');
    const app = (await graph('/applications', caa, { method: 'POST', body: { displayName: 'CAA app' } })).json<{ appId: string }>();
    const spId = (await graph('/servicePrincipals', caa, { method: 'POST', body: { appId: app.appId } })).json<{ id: string }>().id;
    const exo = (await graph(`/servicePrincipals(appId='${EXO_APP}')`, caa)).json<{ id: string }>().id;
    const gr = (await graph(`/servicePrincipals(appId='${GRAPH_APP}')`, caa)).json<{ id: string }>().id;
    const ok = await graph(`/servicePrincipals/${exo}/appRoleAssignedTo`, caa, { method: 'POST', body: { principalId: spId, resourceId: exo, appRoleId: ROLE.fullAccessAsApp } });
    expect(ok.status).toBe(201);
    const denied = await graph(`/servicePrincipals/${gr}/appRoleAssignedTo`, caa, { method: 'POST', body: { principalId: spId, resourceId: gr, appRoleId: ROLE.mailReadWrite } });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
  });

  it('needs the delegated scope as well as the role', async () => {
    const userReadOnly = await delegatedToken(s, 'admin@contoso.onmicrosoft.com', 'organizations', 'https://graph.microsoft.com/User.Read openid profile offline_access');
    const res = await graph('/applications', userReadOnly, { method: 'POST', body: { displayName: 'x' } });
    expect(res.status).toBe(403);
    const me = await graph('/me', userReadOnly);
    expect(me.json()).toMatchObject({ userPrincipalName: 'admin@contoso.onmicrosoft.com' });
  });

  it('replaces keyCredentials with PATCH', async () => {
    const { appId, objectId } = s.registerApp('contoso', { displayName: 'Rotate', certificatePem: cert.certificatePem, roles: [] });
    const next = createTestCertificate({ commonName: 'next' });
    const patch = await graph(`/applications/${objectId}`, admin, {
      method: 'PATCH',
      body: { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: next.derBase64 }] },
    });
    expect(patch.status).toBe(204);
    expect(s.getApp(appId)?.certificateThumbprintsSha256).toEqual([next.thumbprintSha256]);
  });
});

describe('Graph: verification calls with app-only tokens', () => {
  let mailToken: string;
  let noRoleToken: string;
  let sitesToken: string;
  beforeAll(async () => {
    const mail = s.registerApp('contoso', { displayName: 'Mail', secret: 'm', roles: ['Mail.ReadBasic.All', 'MailboxSettings.Read'] });
    const none = s.registerApp('contoso', { displayName: 'Nothing', secret: 'n', roles: [] });
    const sites = s.registerApp('contoso', { displayName: 'Sites', secret: 'p', roles: ['graph:Sites.Read.All'] });
    mailToken = (await appTokenWithSecret(s, 'contoso.onmicrosoft.com', mail.appId, 'm')).json<{ access_token: string }>().access_token;
    noRoleToken = (await appTokenWithSecret(s, 'contoso.onmicrosoft.com', none.appId, 'n')).json<{ access_token: string }>().access_token;
    sitesToken = (await appTokenWithSecret(s, 'contoso.onmicrosoft.com', sites.appId, 'p')).json<{ access_token: string }>().access_token;
    expect(decodeClaims(sitesToken).roles).toEqual(['Sites.Read.All']);
  });

  it('reads a mailbox inbox and mailbox settings', async () => {
    const inbox = await graph('/users/admin@contoso.onmicrosoft.com/mailFolders/inbox?$select=id,displayName,totalItemCount', mailToken);
    expect(inbox.status).toBe(200);
    const folder = inbox.json<Record<string, unknown>>();
    expect(folder).toMatchObject({ displayName: 'Inbox', totalItemCount: expect.any(Number), id: expect.stringMatching(/^AAMkAD/) });
    expect(folder).not.toHaveProperty('sizeInBytes');
    const settings = await graph('/users/ceo@contoso.com/mailboxSettings', mailToken);
    expect(settings.json()).toMatchObject({ timeZone: expect.any(String) });
  });

  it('answers MailboxNotEnabledForRESTAPI for a user without mailbox and ErrorInvalidUser for nobody', async () => {
    const res = await graph('/users/nomailbox@contoso.onmicrosoft.com/mailFolders/inbox', mailToken);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.' } });
    const nobody = await graph('/users/nobody@contoso.onmicrosoft.com/mailFolders/inbox', mailToken);
    expect(nobody.status).toBe(404);
    expect(nobody.json()).toMatchObject({ error: { code: 'ErrorInvalidUser' } });
    // A fabrikam mailbox is not in contoso's directory.
    expect((await graph('/users/backup@fabrikam.onmicrosoft.com/mailFolders/inbox', mailToken)).status).toBe(404);
  });

  it('refuses calls the granted roles do not cover (403) and /users without User.Read.All', async () => {
    const inbox = await graph('/users/admin@contoso.onmicrosoft.com/mailFolders/inbox', noRoleToken);
    expect(inbox.status).toBe(403);
    expect(inbox.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
    const user = await graph('/users/admin@contoso.onmicrosoft.com', mailToken);
    expect(user.status).toBe(403);
    expect(user.json()).toMatchObject({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    const me = await graph('/me', mailToken);
    expect(me.status).toBe(400);
  });

  it('serves users to delegated tokens and answers Request_ResourceNotFound for unknown ones', async () => {
    const user = await graph('/users/ceo@contoso.com', admin);
    expect(user.json()).toMatchObject({ userPrincipalName: 'ceo@contoso.com', mail: 'ceo@contoso.com' });
    const missing = await graph('/users/ghost@contoso.com', admin);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });

  it('lists and finds SharePoint sites', async () => {
    const root = await graph('/sites/root?$select=id,webUrl', sitesToken);
    expect(root.json()).toMatchObject({ webUrl: 'https://contoso.sharepoint.com', id: expect.stringMatching(/^contoso\.sharepoint\.com,/) });
    const all = await graph('/sites?search=*', sitesToken);
    expect(all.json<{ value: Array<{ webUrl: string }> }>().value.map((v) => v.webUrl)).toEqual(
      expect.arrayContaining(['https://contoso.sharepoint.com', 'https://contoso.sharepoint.com/sites/hr', 'https://contoso.sharepoint.com/sites/finance']),
    );
    const hr = await graph('/sites/contoso.sharepoint.com:/sites/hr', sitesToken);
    expect(hr.json()).toMatchObject({ displayName: 'Human Resources', webUrl: 'https://contoso.sharepoint.com/sites/hr' });
    expect((await graph('/sites/contoso.sharepoint.com:/sites/nope:', sitesToken)).status).toBe(404);
    expect((await graph('/sites/fabrikam.sharepoint.com:/sites/operations', sitesToken)).status).toBe(400);
    expect((await graph('/sites/root', mailToken)).status).toBe(403);
  });

  it('answers 401 InvalidAuthenticationToken for a missing, forged or foreign-audience token', async () => {
    const none = await call(s, `${G}/sites/root`);
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    const [h, p] = mailToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodeClaims(mailToken), roles: ['Sites.FullControl.All'] })).toString('base64url')}.${mailToken.split('.')[2]}`;
    expect(p).toBeDefined();
    expect((await graph('/sites/root', forged)).status).toBe(401);
    const exo = s.registerApp('contoso', { displayName: 'EXO', secret: 'e', roles: ['full_access_as_app'] });
    const exoToken = (await appTokenWithSecret(s, 'contoso.onmicrosoft.com', exo.appId, 'e', 'https://outlook.office365.com')).json<{ access_token: string }>().access_token;
    const wrongAud = await graph('/users', exoToken);
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('keeps a secret-only app out of SharePoint REST but not out of Graph sites', async () => {
    const token = await call(s, `https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token`, {
      method: 'POST',
      ...form({ grant_type: 'client_credentials', client_id: s.registerApp('contoso', { displayName: 'SP secret', secret: 'q', roles: ['Sites.FullControl.All'] }).appId, client_secret: 'q', scope: 'https://graph.microsoft.com/.default' }),
    });
    expect((await graph('/sites/root', token.json<{ access_token: string }>().access_token)).status).toBe(200);
  });
});

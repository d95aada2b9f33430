import { afterEach, describe, expect, it } from 'vitest';
import { createTestCertificate, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { appTokenWithSecret, bearer, call, decodeClaims, delegatedToken, form, jsonBody } from './helpers.js';

/**
 * The sandbox lags like a real tenant (issue 12 item 1): Graph writes answer 201 while reads still
 * answer 404, references to new objects are refused, the token endpoint answers AADSTS700016, then
 * AADSTS7000229, then tokens without the new roles. With a hand-driven clock the steps are exact.
 */

const G = 'https://graph.microsoft.com/v1.0';
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const MAIL_READWRITE = 'e2a3a72e-5f79-4c64-b1b1-878b674786c9';
const cert = createTestCertificate({ commonName: 'backup-lag' });

let s: Sandbox | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function lagging(options: SandboxOptions = {}): Promise<{ sb: Sandbox; advance: (ms: number) => void; admin: string }> {
  let now = Date.now();
  const sb = await startSandbox({ lag: { minMs: 1000, maxMs: 1000 }, now: () => new Date(now), ...options });
  s = sb;
  const admin = await delegatedToken(sb, 'admin@contoso.onmicrosoft.com', 'contoso.onmicrosoft.com');
  return { sb, admin, advance: (ms) => (now += ms) };
}

function graph(sb: Sandbox, path: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const url = /^https:/.test(path) ? path : `${G}${path}`;
  if (init.body === undefined) return call(sb, url, { method: init.method ?? 'GET', headers: { ...bearer(token), ...(init.headers ?? {}) } });
  const body = jsonBody(init.body, token);
  return call(sb, url, { method: init.method ?? 'GET', headers: { ...body.headers, ...(init.headers ?? {}) }, body: body.body });
}

describe('replication lag', () => {
  it('Graph: the write answers 201 while reads answer 404; references to the new objects are refused until they replicate', async () => {
    const { sb, admin, advance } = await lagging();
    const created = await graph(sb, '/applications', admin, { method: 'POST', body: { displayName: 'Lagging', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }] } });
    expect(created.status).toBe(201);
    const app = created.json<{ id: string; appId: string }>();
    expect((await graph(sb, `/applications/${app.id}`, admin)).status).toBe(404);
    expect((await graph(sb, `/applications?$filter=appId eq '${app.appId}'`, admin)).json<{ value: unknown[] }>().value).toEqual([]);
    const early = await graph(sb, '/servicePrincipals', admin, { method: 'POST', body: { appId: app.appId } });
    expect(early.status).toBe(400);
    expect(early.json()).toMatchObject({ error: { message: `The appId '${app.appId}' of the service principal does not reference a valid application object.` } });

    advance(1000);
    expect((await graph(sb, `/applications/${app.id}`, admin)).status).toBe(200);
    const sp = await graph(sb, '/servicePrincipals', admin, { method: 'POST', body: { appId: app.appId } });
    expect(sp.status).toBe(201);
    const spId = sp.json<{ id: string }>().id;
    const graphSp = (await graph(sb, `/servicePrincipals(appId='${GRAPH_APP}')?$select=id`, admin)).json<{ id: string }>().id;
    const grant = () => graph(sb, `/servicePrincipals/${graphSp}/appRoleAssignedTo`, admin, { method: 'POST', body: { principalId: spId, resourceId: graphSp, appRoleId: MAIL_READWRITE } });
    const refused = await grant();
    expect(refused.status).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound', message: `Resource '${spId}' does not exist or one of its queried reference-property objects are not present.` } });
    advance(1000);
    expect((await grant()).status).toBe(201);
    expect(sb.lagEvents.map((e) => e.kind)).toEqual(['graph-read-not-found', 'graph-reference-not-found', 'graph-reference-not-found']);
  });

  it('the token endpoint: AADSTS700016, then AADSTS7000229 (missing service principal), then a token without the new role, then with it', async () => {
    const { sb, admin, advance } = await lagging();
    const app = (await graph(sb, '/applications', admin, { method: 'POST', body: { displayName: 'Lagging token' } })).json<{ id: string; appId: string }>();
    // Any secret: the app itself is unknown to the token service yet.
    expect((await appTokenWithSecret(sb, 'contoso.onmicrosoft.com', app.appId, 'Lag~any-secret-value-0123')).json()).toMatchObject({ error_codes: [700016] });
    advance(1000); // the app has replicated …
    const sp = (await graph(sb, '/servicePrincipals', admin, { method: 'POST', body: { appId: app.appId } })).json<{ id: string }>();
    const password = await graph(sb, `/applications/${app.id}/addPassword`, admin, { method: 'POST', body: { passwordCredential: { displayName: 'x' } } });
    const secretText = password.json<{ secretText: string }>().secretText;
    const withSecret = () => appTokenWithSecret(sb, 'contoso.onmicrosoft.com', app.appId, secretText);
    // … its service principal has not reached the token service:
    const missingSp = await withSecret();
    expect(missingSp.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000229] });
    expect(missingSp.json<{ error_description: string }>().error_description).toContain(`The client application ${app.appId} is missing service principal in the tenant ${sb.tenants.contoso.id}`);
    advance(1000);
    const graphSp = (await graph(sb, `/servicePrincipals(appId='${GRAPH_APP}')?$select=id`, admin)).json<{ id: string }>().id;
    expect((await graph(sb, `/servicePrincipals/${graphSp}/appRoleAssignedTo`, admin, { method: 'POST', body: { principalId: sp.id, resourceId: graphSp, appRoleId: MAIL_READWRITE } })).status).toBe(201);
    const noRoles = await withSecret();
    expect(noRoles.status).toBe(200);
    expect(decodeClaims(noRoles.json<{ access_token: string }>().access_token).roles).toBeUndefined();
    advance(1000);
    expect(decodeClaims((await withSecret()).json<{ access_token: string }>().access_token).roles).toEqual(['Mail.ReadWrite']);
    expect(sb.lagEvents.map((e) => e.kind)).toEqual(['token-app-unknown', 'token-service-principal-missing', 'token-roles-missing']);
  });
});

describe('idempotent creation (upserts)', () => {
  it("PATCH /applications(uniqueName='…'): 404 without Prefer, 201 with create-if-missing, 204 when repeated; one app", async () => {
    const { sb, admin, advance } = await lagging();
    const url = `/applications(uniqueName='backup-panel-host01')`;
    const before = sb.appsIn('contoso').length;
    expect((await graph(sb, url, admin, { method: 'PATCH', body: { displayName: 'Backup' } })).status).toBe(404);
    const created = await graph(sb, url, admin, { method: 'PATCH', body: { displayName: 'Backup', signInAudience: 'AzureADMyOrg' }, headers: { prefer: 'create-if-missing' } });
    expect(created.status).toBe(201);
    const app = created.json<{ id: string; appId: string; uniqueName: string }>();
    expect(app.uniqueName).toBe('backup-panel-host01');
    // Repeated at once (a retry, a second run): the write side knows it, though reads do not yet.
    expect((await graph(sb, url, admin, { method: 'PATCH', body: { displayName: 'Backup' }, headers: { prefer: 'create-if-missing' } })).status).toBe(204);
    expect((await graph(sb, url, admin)).status).toBe(404);
    advance(1000);
    expect((await graph(sb, url, admin)).json()).toMatchObject({ appId: app.appId });
    expect(sb.appsIn('contoso').length - before).toBe(1);

    const spUrl = `/servicePrincipals(appId='${app.appId}')`;
    expect((await graph(sb, spUrl, admin, { method: 'PATCH', body: { displayName: 'Backup' }, headers: { prefer: 'create-if-missing' } })).status).toBe(201);
    expect((await graph(sb, spUrl, admin, { method: 'PATCH', body: { displayName: 'Backup' }, headers: { prefer: 'create-if-missing' } })).status).toBe(204);
    expect((await graph(sb, spUrl, admin, { method: 'PATCH', body: {} })).status).toBe(204);
  });
});

describe('who may sign in and register', () => {
  it('a user without a consenting role meets AADSTS65001 at sign-in; a PIM-eligible role does not count until activated', async () => {
    const sb = await startSandbox({ lag: false });
    s = sb;
    for (const upn of ['helpdesk@litware.onmicrosoft.com', 'pim@litware.onmicrosoft.com']) {
      const error = await delegatedToken(sb, upn, 'litware.onmicrosoft.com').catch((e: Error) => e.message);
      expect(error).toContain('"error_codes":[65001]');
      expect(error).toContain('consent_required');
    }
    // With tenant-wide consent the same users sign in, and wids shows only active roles.
    sb.setTenant('litware', { signInAppConsented: true });
    const pim = decodeClaims(await delegatedToken(sb, 'pim@litware.onmicrosoft.com', 'litware.onmicrosoft.com'));
    expect(pim.wids).toEqual(['b79fbf4d-3ef9-4689-8143-76b194e85509']);
    const pra = decodeClaims(await delegatedToken(sb, 'praadmin@litware.onmicrosoft.com', 'litware.onmicrosoft.com'));
    expect(pra.wids).toContain('e8611ab8-c189-46e8-94e1-60213ab1f814');
  });
});

describe('Exchange RBAC for Applications', () => {
  it('an app scoped in Exchange reads the mailboxes in its scope with no Mail role in its token; others get 403', async () => {
    const sb = await startSandbox({ lag: false });
    s = sb;
    const secret = 'Rbac~scoped-app-secret-value';
    const { appId } = sb.registerApp('contoso', { displayName: 'RBAC scoped', secret, roles: [], exchangeScope: { roles: ['Mail.ReadWrite'], mailboxes: ['backup@contoso.onmicrosoft.com'] } });
    const token = (await appTokenWithSecret(sb, 'contoso.onmicrosoft.com', appId, secret)).json<{ access_token: string }>().access_token;
    expect(decodeClaims(token).roles).toBeUndefined();
    const inScope = await call(sb, `${G}/users/backup@contoso.onmicrosoft.com/mailFolders/inbox`, { headers: bearer(token) });
    expect(inScope.status).toBe(200);
    const outOfScope = await call(sb, `${G}/users/ceo@contoso.com/mailFolders/inbox`, { headers: bearer(token) });
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
  });
});

describe('national clouds: a GCC High tenant lives on the .us hosts', () => {
  it('openid-configuration names the cloud; sign-in and Graph answer only on its own hosts', async () => {
    const sb = await startSandbox({ lag: false });
    s = sb;
    const tenant = sb.tenants.northwind;
    expect(tenant).toMatchObject({ cloud: 'usgov', loginHost: 'login.microsoftonline.us', graphHost: 'graph.microsoft.us', sharePointUrl: 'https://northwindgov.sharepoint.us' });
    const config = (await call(sb, `https://login.microsoftonline.com/${tenant.domain}/v2.0/.well-known/openid-configuration`)).json();
    expect(config).toMatchObject({
      cloud_instance_name: 'microsoftonline.us',
      tenant_region_scope: 'USGov',
      tenant_region_sub_scope: 'DODCON',
      token_endpoint: `https://login.microsoftonline.us/${tenant.id}/oauth2/v2.0/token`,
      msgraph_host: 'graph.microsoft.us',
    });
    const secret = 'Gcc~high-secret-value-01234';
    const { appId } = sb.registerApp('northwind', { displayName: 'GCC High app', secret, roles: ['graph:User.Read.All'] });
    const wrongCloud = await call(sb, `https://login.microsoftonline.com/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      ...form({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }),
    });
    expect(wrongCloud.json()).toMatchObject({ error_codes: [90002] });
    const ok = await call(sb, `https://login.microsoftonline.us/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      ...form({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://graph.microsoft.us/.default' }),
    });
    const token = ok.json<{ access_token: string }>().access_token;
    expect(decodeClaims(token)).toMatchObject({ aud: 'https://graph.microsoft.us', roles: ['User.Read.All'] });
    expect((await call(sb, 'https://graph.microsoft.us/v1.0/users?$top=1', { headers: bearer(token) })).status).toBe(200);
    expect((await call(sb, 'https://graph.microsoft.com/v1.0/users?$top=1', { headers: bearer(token) })).status).toBe(401);
  });
});

describe('well-known ids', () => {
  it('MailboxSettings.Read has its real app-role id', async () => {
    const sb = await startSandbox({ lag: false });
    s = sb;
    const admin = await delegatedToken(sb, 'admin@contoso.onmicrosoft.com');
    const roles = (await call(sb, `${G}/servicePrincipals(appId='${GRAPH_APP}')?$select=appRoles`, { headers: bearer(admin) })).json<{ appRoles: Array<{ id: string; value: string }> }>().appRoles;
    expect(roles.find((r) => r.value === 'MailboxSettings.Read')?.id).toBe('40f97065-369a-49f4-947c-6a255697ae91');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports
import { PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { ADMIN_SCOPES, call, decodeClaims, form, GRAPH_CLI, sandboxNetwork, type CapturedExchange } from './helpers.js';

type DeviceCodeResponse = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const SCOPES = ['https://graph.microsoft.com/Application.ReadWrite.All', 'https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All'];

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox(options);
  return sandbox;
}

function pca(s: Sandbox, log: CapturedExchange[], tenant: string = s.tenants.contoso.id, clientId = GRAPH_CLI): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId, authority: `https://login.microsoftonline.com/${tenant}` },
    system: { networkClient: sandboxNetwork(s.url, log) },
  });
}

/** Runs a device-code sign-in; `onCode` plays the admin in the browser. */
async function signIn(app: PublicClientApplication, onCode: (r: DeviceCodeResponse) => void, scopes = SCOPES) {
  const request = {
    scopes,
    deviceCodeCallback: (r: DeviceCodeResponse) => onCode(r),
  };
  return app.acquireTokenByDeviceCode(request);
}

describe('device code flow with the real msal-node', () => {
  it('is approved automatically as the Global Administrator, with no metadata GETs', async () => {
    const s = await start({ autoApproveAfterMs: 20 });
    let response: DeviceCodeResponse | undefined;
    const result = await signIn(pca(s, []), (r) => (response = r));

    expect(response?.userCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(response?.verificationUri).toBe('https://microsoft.com/devicelogin');
    expect(response?.interval).toBe(1);
    expect(response?.expiresIn).toBe(900);
    expect(response?.message).toBe(
      `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${response?.userCode} to authenticate.`,
    );
    expect(result?.account?.username).toBe('admin@contoso.onmicrosoft.com');
    expect(result?.account?.tenantId).toBe(s.tenants.contoso.id);
    expect(result?.idTokenClaims).toMatchObject({ ver: '2.0', aud: GRAPH_CLI, preferred_username: 'admin@contoso.onmicrosoft.com' });

    const claims = decodeClaims(result?.accessToken ?? '');
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: s.tenants.contoso.id,
      upn: 'admin@contoso.onmicrosoft.com',
      scp: 'Application.ReadWrite.All AppRoleAssignment.ReadWrite.All',
      idtyp: 'user',
    });
    expect(claims.wids).toContain('62e90394-69f5-4237-9190-012177145e10');

    // With https://login.microsoftonline.com/<tenant> MSAL asks for no metadata: only the two POSTs.
    expect(s.requests.filter((r) => r.host === 'login.microsoftonline.com' && r.method === 'GET')).toEqual([]);
    expect(s.requests.map((r) => `${r.method} ${r.path} ${r.grantType ?? ''}`.trim())).toEqual([
      `POST /${s.tenants.contoso.id}/oauth2/v2.0/devicecode`,
      ...Array(s.requests.length - 1).fill(`POST /${s.tenants.contoso.id}/oauth2/v2.0/token device_code`),
    ]);
  });

  it('answers authorization_pending (AADSTS70016, HTTP 400) until someone approves', async () => {
    const s = await start();
    const log: CapturedExchange[] = [];
    let code = '';
    const app = new PublicClientApplication({
      auth: { clientId: GRAPH_CLI, authority: `https://login.microsoftonline.com/${s.tenants.contoso.id}` },
      system: {
        // Approve only once MSAL has been told to keep polling.
        networkClient: sandboxNetwork(s.url, log, (e) => {
          if (e.body.error === 'authorization_pending' && s.pendingDeviceCodes().length) s.approveDeviceCode(code);
        }),
      },
    });
    const result = await signIn(app, (r) => (code = r.userCode));
    expect(result?.account?.username).toBe('admin@contoso.onmicrosoft.com');
    expect(log.map((e) => e.status)).toEqual([200, 400, 200]);
    const pending = log.find((e) => e.body.error === 'authorization_pending')?.body;
    expect(pending).toMatchObject({ error_codes: [70016], error_uri: 'https://login.microsoftonline.com/error?code=70016' });
    expect(String(pending?.error_description)).toMatch(/^AADSTS70016: OAuth 2.0 device flow error\. Authorization is pending\. Continue polling\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('is approved manually as another user and sees that user', async () => {
    const s = await start();
    const result = await signIn(pca(s, [], 'organizations'), (r) => {
      expect(s.pendingDeviceCodes()).toEqual([{ userCode: r.userCode, clientId: GRAPH_CLI, tenant: 'organizations', scopes: [...SCOPES, 'openid', 'profile', 'offline_access'] }]);
      setTimeout(() => s.approveDeviceCode(r.userCode, 'admin@fabrikam.onmicrosoft.com'), 50);
    });
    expect(result?.account?.username).toBe('admin@fabrikam.onmicrosoft.com');
    expect(result?.account?.tenantId).toBe(s.tenants.fabrikam.id);
    expect(s.pendingDeviceCodes()).toEqual([]);
  });

  it('refreshes the delegated token with the refresh token', async () => {
    const s = await start({ autoApproveAfterMs: 0 });
    const app = pca(s, []);
    const first = await signIn(app, () => undefined);
    const again = await app.acquireTokenSilent({ account: first!.account!, scopes: SCOPES, forceRefresh: true });
    expect(again.fromCache).toBe(false);
    expect(decodeClaims(again.accessToken).oid).toBe(decodeClaims(first!.accessToken).oid);
    expect(s.requests.at(-1)?.grantType).toBe('refresh_token');
  });

  it('reports a declined sign-in as authorization_declined', async () => {
    const s = await start();
    const log: CapturedExchange[] = [];
    const error = await signIn(pca(s, log), (r) => setTimeout(() => s.declineDeviceCode(r.userCode), 50)).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'post_request_failed' });
    expect(log.at(-1)?.body).toMatchObject({ error: 'authorization_declined' });
  });

  it('reports an expired device code as expired_token (AADSTS70020)', async () => {
    const s = await start();
    const log: CapturedExchange[] = [];
    const error = await signIn(pca(s, log), (r) => s.expireDeviceCode(r.userCode)).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'post_request_failed' });
    expect(log.at(-1)?.body).toMatchObject({ error: 'expired_token', error_codes: [70020] });
    expect(String(log.at(-1)?.body.error_description)).toContain("AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
  });

  it('expires codes by the clock as well', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const s = await start({ now: () => new Date(now), deviceCodeExpiresInSec: 60 });
    const dc = await call(s, `https://login.microsoftonline.com/common/oauth2/v2.0/devicecode`, { method: 'POST', ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }) });
    const { device_code, user_code, expires_in } = dc.json<{ device_code: string; user_code: string; expires_in: number }>();
    expect(expires_in).toBe(60);
    now += 61_000;
    expect(s.pendingDeviceCodes()).toEqual([]);
    expect(() => s.approveDeviceCode(user_code)).toThrow(/expired/);
    const token = await call(s, 'https://login.microsoftonline.com/common/oauth2/v2.0/token', {
      method: 'POST',
      ...form({ grant_type: 'device_code', client_id: GRAPH_CLI, device_code }),
    });
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ error: 'expired_token', error_codes: [70020] });
  });

  it('rejects an unknown client at /devicecode with AADSTS700016 (MSAL then calls back with nothing)', async () => {
    const s = await start();
    const log: CapturedExchange[] = [];
    const unknown = '31359c7f-bd7e-475c-86db-fdb8c937548e';
    let seen: DeviceCodeResponse | undefined;
    const request = { scopes: SCOPES, deviceCodeCallback: (r: DeviceCodeResponse) => ((seen = r), (request.cancel = true)), cancel: false };
    await pca(s, log, s.tenants.contoso.id, unknown).acquireTokenByDeviceCode(request).catch(() => undefined);
    expect(seen?.userCode).toBeUndefined();
    expect(log[0]?.status).toBe(400);
    expect(log[0]?.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(String(log[0]?.body.error_description)).toContain(
      `AADSTS700016: Application with identifier '${unknown}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  });

  it('accepts Azure CLI only with Graph .default (else AADSTS65002)', async () => {
    const s = await start({ autoApproveAfterMs: 0 });
    const ok = await signIn(pca(s, [], s.tenants.contoso.id, AZURE_CLI), () => undefined, ['https://graph.microsoft.com/.default']);
    expect(String(decodeClaims(ok!.accessToken).scp).split(' ')).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']));

    const res = await call(s, `https://login.microsoftonline.com/${s.tenants.contoso.id}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      ...form({ client_id: AZURE_CLI, scope: `${SCOPES.join(' ')} openid profile offline_access` }),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', error_codes: [65002] });
  });

  it('answers AADSTS7000218 on the first poll for a registered app that is not a public client', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Confidential', secret: 'x', roles: [] });
    const log: CapturedExchange[] = [];
    const error = await signIn(pca(s, log, s.tenants.contoso.id, appId), () => undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'post_request_failed' });
    expect(log.at(-1)).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000218] } });

    const pub = s.registerApp('contoso', { displayName: 'Public', roles: [], publicClient: true });
    const result = await signIn(pca(s, [], s.tenants.contoso.id, pub.appId), (r) => s.approveDeviceCode(r.userCode));
    expect(result?.account?.username).toBe('admin@contoso.onmicrosoft.com');
  });

  it('fails /devicecode with AADSTS53003 when Conditional Access blocks device code', async () => {
    const s = await start();
    s.setTenant('contoso', { deviceCode: 'conditional-access-blocked' });
    const res = await call(s, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode', {
      method: 'POST',
      ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }),
    });
    expect(res.status).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [53003] });
    expect(String(body.error_description)).toContain('does not meet the criteria to access this resource');
  });

  it('answers AADSTS90002 for an unknown tenant and accepts domains as tenant', async () => {
    const s = await start();
    const unknown = await call(s, 'https://login.microsoftonline.com/northwind.onmicrosoft.com/oauth2/v2.0/devicecode', {
      method: 'POST',
      ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    expect(String(unknown.json().error_description)).toMatch(/^AADSTS90002: Tenant 'northwind.onmicrosoft.com' not found\./);
    for (const tenant of ['contoso.com', 'CONTOSO.onmicrosoft.com', s.tenants.contoso.id]) {
      const ok = await call(s, `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/devicecode?client-request-id=abc`, {
        method: 'POST',
        ...form({ client_id: GRAPH_CLI, scope: ADMIN_SCOPES }),
      });
      expect(ok.status).toBe(200);
    }
  });

  it('serves openid-configuration and instance discovery for MSAL setups that ask', async () => {
    const s = await start();
    const oidc = await call(s, `https://login.microsoftonline.com/${s.tenants.contoso.id}/v2.0/.well-known/openid-configuration`);
    expect(oidc.json()).toMatchObject({
      token_endpoint: `https://login.microsoftonline.com/${s.tenants.contoso.id}/oauth2/v2.0/token`,
      issuer: `https://login.microsoftonline.com/${s.tenants.contoso.id}/v2.0`,
      jwks_uri: `https://login.microsoftonline.com/${s.tenants.contoso.id}/discovery/v2.0/keys`,
    });
    const discovery = await call(
      s,
      'https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    );
    expect(discovery.json()).toMatchObject({ 'api-version': '1.1', metadata: [{ preferred_network: 'login.microsoftonline.com' }] });
  });
});

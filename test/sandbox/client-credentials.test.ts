import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { createTestCertificate, startSandbox, type Sandbox, type SandboxOptions, type TestCertificate } from '../../src/sandbox/index.js';
import { call, decodeClaims, form, sandboxNetwork, type CapturedExchange } from './helpers.js';

const GRAPH = 'https://graph.microsoft.com/.default';
const EXCHANGE = 'https://outlook.office365.com/.default';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox(options);
  return sandbox;
}

// One certificate for the file: key generation is the slow part.
const cert: TestCertificate = createTestCertificate({ commonName: 'backup-host01' });
const other: TestCertificate = createTestCertificate({ commonName: 'not-registered' });

function cca(s: Sandbox, auth: Omit<Configuration['auth'], 'authority'>, log: CapturedExchange[] = [], tenant = s.tenants.contoso.id) {
  return new ConfidentialClientApplication({
    auth: { ...auth, authority: `https://login.microsoftonline.com/${tenant}` },
    system: { networkClient: sandboxNetwork(s.url, log) },
  });
}

const withCert = (c: TestCertificate) => ({
  clientCertificate: { thumbprintSha256: c.thumbprintSha256, privateKey: c.privateKeyPem, x5c: c.certificatePem },
});

/** An assertion built by hand, to test what MSAL never sends. */
function assertion(c: TestCertificate, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = { alg: 'RS256', typ: 'JWT', x5t: Buffer.from(c.thumbprintSha1, 'hex').toString('base64url'), ...header };
  const input = `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(c.privateKeyPem)).toString('base64url')}`;
}

async function tokenWithAssertion(s: Sandbox, clientId: string, jwt: string, tenant = s.tenants.contoso.id) {
  return call(s, `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    ...form({
      grant_type: 'client_credentials',
      client_id: clientId,
      scope: GRAPH,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    }),
  });
}

describe('client credentials with the real msal-node', () => {
  it('issues a signed app-only token for the right secret, with the granted roles and appidacr 1', async () => {
    const s = await start();
    const { appId, servicePrincipalId } = s.registerApp('contoso', { displayName: 'Secret app', secret: 's3cr3t~value', roles: ['Mail.ReadWrite', 'full_access_as_app'] });
    const result = await cca(s, { clientId: appId, clientSecret: 's3cr3t~value' }).acquireTokenByClientCredential({ scopes: [GRAPH] });
    const claims = decodeClaims(result!.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${s.tenants.contoso.id}/`,
      tid: s.tenants.contoso.id,
      appid: appId,
      oid: servicePrincipalId,
      idtyp: 'app',
      appidacr: '1',
      roles: ['Mail.ReadWrite'],
    });
    expect(result!.accessToken.split('.')[2]).not.toBe('');
    expect(JSON.parse(Buffer.from(result!.accessToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256' });

    const exchange = await cca(s, { clientId: appId, clientSecret: 's3cr3t~value' }).acquireTokenByClientCredential({ scopes: [EXCHANGE] });
    expect(decodeClaims(exchange!.accessToken)).toMatchObject({ aud: 'https://outlook.office365.com', roles: ['full_access_as_app'] });
  });

  it('leaves out the roles claim when nothing is granted on the resource', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'No roles', secret: 'x', roles: [] });
    const result = await cca(s, { clientId: appId, clientSecret: 'x' }).acquireTokenByClientCredential({ scopes: [GRAPH] });
    expect(decodeClaims(result!.accessToken)).not.toHaveProperty('roles');
  });

  it('rejects a wrong secret with AADSTS7000215 (401 invalid_client) and an expired one with 7000222', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Secret app', secret: 'right', roles: [] });
    const error = await cca(s, { clientId: appId, clientSecret: 'wrong' }).acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'invalid_client', errorNo: 7000215, status: 401 });
    expect((error as Error).message).toContain(
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    );

    const expired = s.registerApp('contoso', { displayName: 'Old secret', secret: 'old', secretExpired: true, roles: [] });
    const error2 = await cca(s, { clientId: expired.appId, clientSecret: 'old' }).acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e);
    expect(error2).toMatchObject({ errorCode: 'invalid_client', errorNo: 7000222 });
  });

  it('accepts a PS256 assertion from a registered certificate (appidacr 2)', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Cert app', certificatePem: cert.certificatePem, roles: ['Sites.FullControl.All'] });
    const log: CapturedExchange[] = [];
    const result = await cca(s, { clientId: appId, ...withCert(cert) }, log).acquireTokenByClientCredential({ scopes: ['https://contoso.sharepoint.com/.default'] });
    expect(decodeClaims(result!.accessToken)).toMatchObject({ aud: 'https://contoso.sharepoint.com', appidacr: '2', roles: ['Sites.FullControl.All'] });
    expect(s.getApp(appId)?.certificateThumbprintsSha256).toEqual([cert.thumbprintSha256]);
  });

  it('accepts the deprecated SHA-1 thumbprint (RS256 with x5t)', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Cert app', certificatePem: cert.certificatePem, roles: ['Mail.Read'] });
    const app = cca(s, { clientId: appId, clientCertificate: { thumbprint: cert.thumbprintSha1, privateKey: cert.privateKeyPem } });
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH] });
    expect(decodeClaims(result!.accessToken)).toMatchObject({ appidacr: '2', roles: ['Mail.Read'] });
  });

  it('rejects an unregistered certificate with AADSTS700027 naming its thumbprint', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Cert app', certificatePem: cert.certificatePem, roles: [] });
    const error = await cca(s, { clientId: appId, ...withCert(other) }).acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'invalid_client', errorNo: 700027 });
    expect((error as Error).message).toContain(
      `AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${other.thumbprintSha256.toUpperCase()}'`,
    );
  });

  it('rejects a bad signature, a wrong audience, a foreign issuer and an expired assertion', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'Cert app', certificatePem: cert.certificatePem, roles: [] });
    const tid = s.tenants.contoso.id;
    const now = Math.floor(Date.now() / 1000);
    const good = { aud: `https://login.microsoftonline.com/${tid}/oauth2/v2.0/token`, iss: appId, sub: appId, nbf: now, iat: now, exp: now + 600, jti: randomUUID() };

    expect((await tokenWithAssertion(s, appId, assertion(cert, good))).status).toBe(200);
    // The same audience named by the tenant's domain is the same token endpoint to Entra.
    expect((await tokenWithAssertion(s, appId, assertion(cert, { ...good, aud: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token' }))).status).toBe(200);

    const forged = assertion(cert, good).replace(/\.[^.]+$/, `.${Buffer.alloc(256, 1).toString('base64url')}`);
    const bad = await tokenWithAssertion(s, appId, forged);
    expect(bad.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(String(bad.json().error_description)).toContain('The provided signature value did not match the expected signature value.');

    const aud = await tokenWithAssertion(s, appId, assertion(cert, { ...good, aud: `https://login.microsoftonline.com/${s.tenants.fabrikam.id}/oauth2/v2.0/token` }));
    expect(aud.json()).toMatchObject({ error: 'invalid_client', error_codes: [700023] });

    const iss = await tokenWithAssertion(s, appId, assertion(cert, { ...good, iss: randomUUID() }));
    expect(iss.json()).toMatchObject({ error_codes: [700021] });

    const old = await tokenWithAssertion(s, appId, assertion(cert, { ...good, nbf: now - 3600, iat: now - 3600, exp: now - 60 }));
    expect(old.json()).toMatchObject({ error_codes: [700024] });
    expect(String(old.json().error_description)).toMatch(/^AADSTS700024: Client assertion is not within its valid time range\. Current time: /);

    const future = await tokenWithAssertion(s, appId, assertion(cert, { ...good, nbf: now + 3600, exp: now + 4200 }));
    expect(future.json()).toMatchObject({ error_codes: [700024] });

    const noJti = await tokenWithAssertion(s, appId, assertion(cert, { ...good, jti: undefined }));
    expect(noJti.json()).toMatchObject({ error_codes: [50027] });

    const hs = await tokenWithAssertion(s, appId, assertion(cert, good, { alg: 'HS256' }));
    expect(hs.json()).toMatchObject({ error_codes: [5002738] });
  });

  it('answers AADSTS700016 for an app the tenant does not know', async () => {
    const s = await start();
    const unknown = randomUUID();
    const error = await cca(s, { clientId: unknown, clientSecret: 'x' }).acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'unauthorized_client', errorNo: 700016, status: 400 });
    expect((error as Error).message).toContain(`AADSTS700016: Application with identifier '${unknown}' was not found in the directory 'Contoso'.`);

    // An app of contoso is unknown in fabrikam.
    const { appId } = s.registerApp('contoso', { displayName: 'Contoso app', secret: 'x', roles: [] });
    const cross = await cca(s, { clientId: appId, clientSecret: 'x' }, [], s.tenants.fabrikam.id).acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e);
    expect(cross).toMatchObject({ errorNo: 700016 });
  });

  it('answers AADSTS500011 for a resource that is not in the tenant, 1002012 without /.default', async () => {
    const s = await start();
    const { appId } = s.registerApp('contoso', { displayName: 'App', secret: 'x', roles: [] });
    const error = await cca(s, { clientId: appId, clientSecret: 'x' }).acquireTokenByClientCredential({ scopes: ['https://fabrikam.sharepoint.com/.default'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'invalid_resource', errorNo: 500011 });
    expect((error as Error).message).toContain('AADSTS500011: The resource principal named https://fabrikam.sharepoint.com was not found in the tenant named Contoso.');

    const res = await call(s, `https://login.microsoftonline.com/${s.tenants.contoso.id}/oauth2/v2.0/token`, {
      method: 'POST',
      ...form({ grant_type: 'client_credentials', client_id: appId, client_secret: 'x', scope: 'https://graph.microsoft.com/Mail.Read' }),
    });
    expect(res.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('hides new apps, grants and keys for newAppUnavailableMs (eventual consistency)', async () => {
    let now = Date.now();
    const s = await start({ newAppUnavailableMs: 30_000, now: () => new Date(now) });
    const { appId } = s.registerApp('contoso', { displayName: 'New app', certificatePem: cert.certificatePem, roles: ['Mail.ReadWrite'] });
    const fresh = () => cca(s, { clientId: appId, ...withCert(cert) });

    expect(await fresh().acquireTokenByClientCredential({ scopes: [GRAPH] }).catch((e: unknown) => e)).toMatchObject({ errorNo: 700016 });
    now += 30_000;
    const ready = await fresh().acquireTokenByClientCredential({ scopes: [GRAPH] });
    expect(decodeClaims(ready!.accessToken).roles).toEqual(['Mail.ReadWrite']);
  });

  it('delivers roles and keys added later only after the window', async () => {
    let now = Date.now();
    const s = await start({ newAppUnavailableMs: 10_000, now: () => new Date(now) });
    // Registration through Graph (app, key, SP, grant) happens in steps; model the grant arriving later.
    const { appId, servicePrincipalId } = s.registerApp('contoso', { displayName: 'App', certificatePem: cert.certificatePem, roles: [] });
    now += 10_000;
    const tokenRoles = async () => decodeClaims((await cca(s, { clientId: appId, ...withCert(cert) }).acquireTokenByClientCredential({ scopes: [GRAPH] }))!.accessToken).roles;
    expect(await tokenRoles()).toBeUndefined();

    // Grant Mail.ReadWrite through Graph with an admin token, then watch it appear after the window.
    const { delegatedToken, jsonBody } = await import('./helpers.js');
    const admin = await delegatedToken(s, 'admin@contoso.onmicrosoft.com');
    const graphSp = await call(s, `https://graph.microsoft.com/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')`, { headers: { authorization: `Bearer ${admin}` } });
    const resourceId = graphSp.json<{ id: string }>().id;
    const grant = await call(s, `https://graph.microsoft.com/v1.0/servicePrincipals/${resourceId}/appRoleAssignedTo`, {
      method: 'POST',
      ...jsonBody({ principalId: servicePrincipalId, resourceId, appRoleId: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9' }, admin),
    });
    expect(grant.status).toBe(201);
    expect(await tokenRoles()).toBeUndefined();
    now += 10_000;
    expect(await tokenRoles()).toEqual(['Mail.ReadWrite']);

    // A certificate added with PATCH is not accepted until it has replicated either.
    const patched = await call(s, `https://graph.microsoft.com/v1.0/applications/${s.getApp(appId)?.objectId}`, {
      method: 'PATCH',
      ...jsonBody({ keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }, { type: 'AsymmetricX509Cert', usage: 'Verify', key: other.derBase64 }] }, admin),
    });
    expect(patched.status).toBe(204);
    const withOther = () => cca(s, { clientId: appId, ...withCert(other) }).acquireTokenByClientCredential({ scopes: [GRAPH] });
    expect(await withOther().catch((e: unknown) => e)).toMatchObject({ errorNo: 700027 });
    now += 10_000;
    expect(decodeClaims((await withOther())!.accessToken).roles).toEqual(['Mail.ReadWrite']);
  });

  it('checks the certificate thumbprint the same way Graph reports it', () => {
    const der = Buffer.from(cert.derBase64, 'base64');
    expect(cert.thumbprintSha256).toBe(createHash('sha256').update(der).digest('hex'));
    expect(cert.thumbprintSha1).toBe(createHash('sha1').update(der).digest('hex').toUpperCase());
  });
});

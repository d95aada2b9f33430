import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsX5c } from '../../src/auth/client-credentials.js';
import { createAuth } from '../../src/auth/index.js';
import { cloudFromOpenIdConfiguration } from '../../src/m365/clouds.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { openssl, tempDir } from './helpers.js';
import { appTarget, approveAs, authFor, NOW, sandbox, sandboxApp } from './sandbox-helpers.js';

/** National clouds (issue 12 item 6) and the client assertion's x5c header (item 9). */

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('a GCC High tenant uses the .us hosts end to end', () => {
  it('sign-in, registration and verification: login.microsoftonline.us and graph.microsoft.us, nothing else but the cloud lookup', async () => {
    const tenant = sb.tenants.northwind;
    const auth = authFor(sb, { hostName: 'gcchigh01' });
    const from = sb.requests.length;
    const session = await auth.signInAdmin({ tenant: tenant.domain, onPrompt: approveAs(sb, tenant.admin) });
    expect(session).toMatchObject({ tenantId: tenant.id, cloud: 'usgov', userPrincipalName: tenant.admin });
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup GCC High', onProgress: () => undefined });
    expect(app).toMatchObject({ cloud: 'usgov', tenantId: tenant.id });
    expect(sb.getApp(app.clientId)).toMatchObject({ tenant: 'northwind', grantedRoles: ['Mail.ReadWrite', 'MailboxSettings.Read', 'User.Read.All'] });
    const checks = await auth.verify(
      { kind: 'online-app', service: 'exchange', cloud: 'usgov', tenantId: tenant.id, clientId: app.clientId, credential: { kind: 'certificate', certificate: app.certificate }, mailbox: tenant.admin, recentlyRegistered: true },
      { now: NOW },
    );
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Mailbox (Microsoft Graph)', 'pass'],
    ]);
    const seen = sb.requests.slice(from);
    const hosts = new Set(seen.map((r) => r.host));
    expect([...hosts].sort()).toEqual(['graph.microsoft.us', 'login.microsoftonline.com', 'login.microsoftonline.us']);
    // The global host was asked only which cloud the tenant lives in.
    expect(seen.filter((r) => r.host === 'login.microsoftonline.com').map((r) => `${r.method} ${r.path}`)).toEqual([`GET /${tenant.domain}/v2.0/.well-known/openid-configuration`]);
  });

  it('resolveTenant: directory GUID and cloud from the OpenID configuration; an unknown tenant is named', async () => {
    const auth = authFor(sb);
    expect(await auth.resolveTenant('contoso.com')).toEqual({ tenantId: sb.tenants.contoso.id, cloud: 'global' });
    expect(await auth.resolveTenant('northwind.gov')).toEqual({ tenantId: sb.tenants.northwind.id, cloud: 'usgov' });
    const error = await auth.resolveTenant('nosuch.onmicrosoft.com').catch((e: Error) => e);
    expect((error as Error).message).toContain("Tenant 'nosuch.onmicrosoft.com' not found (AADSTS90002)");
  });

  it('the cloud names in openid-configuration map as Microsoft documents them', () => {
    expect(cloudFromOpenIdConfiguration({ cloud_instance_name: 'microsoftonline.com', tenant_region_sub_scope: 'GCC' })).toBe('global');
    expect(cloudFromOpenIdConfiguration({ cloud_instance_name: 'microsoftonline.us', tenant_region_sub_scope: 'DODCON' })).toBe('usgov');
    expect(cloudFromOpenIdConfiguration({ cloud_instance_name: 'microsoftonline.us', tenant_region_sub_scope: 'DOD' })).toBe('usgovdod');
    expect(cloudFromOpenIdConfiguration({ cloud_instance_name: 'partner.microsoftonline.cn' })).toBe('china');
    expect(cloudFromOpenIdConfiguration({ cloud_instance_name: 'example.org' })).toBeUndefined();
  });
});

describe('x5c is sent only when needed', () => {
  it('a self-signed certificate: the assertion carries x5t#S256 and no certificate chain', async () => {
    const app = await sandboxApp(sb, 'certificate', ['User.Read.All']);
    const assertions: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const assertion = new URLSearchParams(body).get('client_assertion');
      if (assertion) assertions.push(assertion);
      return fetch(input, init);
    };
    const checks = await createAuth({ endpoint: sb.url, now: () => NOW, fetch: recordingFetch }).verify(appTarget(sb, app, 'exchange'), { now: NOW });
    expect(checks[0]?.status).toBe('pass');
    expect(assertions.length).toBeGreaterThan(0);
    const header = JSON.parse(Buffer.from(assertions[0]?.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'PS256' });
    expect(header['x5t#S256']).toEqual(expect.any(String));
    expect(header).not.toHaveProperty('x5c');
  });

  it('a CA-issued certificate would be sent with its chain (subject name and issuer authentication)', () => {
    const tmp = tempDir();
    try {
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '30'], tmp.dir);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=backup-panel-leaf'], tmp.dir);
      openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30'], tmp.dir);
      const read = (name: string) => openssl(['x509', '-in', name], tmp.dir);
      expect(needsX5c(read('leaf.pem'))).toBe(true);
      expect(needsX5c(read('ca.pem'))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });
});

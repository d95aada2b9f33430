import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyTarget } from '../../src/auth/api.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { appTarget, authFor, byName, EXCHANGE_ROLES, NOW, rejectionOf, sandbox, sandboxApp, type TestApp } from './sandbox-helpers.js';

/** Issue 11.6: server faults read as server faults, never as "[object Object]" or "Reconfigure". */

let sb: Sandbox;
let app: TestApp;
beforeAll(async () => {
  sb = await sandbox();
  app = await sandboxApp(sb, 'certificate', EXCHANGE_ROLES);
});
afterEach(() => sb.clearFaults());
afterAll(async () => {
  await sb.close();
});

const GATEWAY_500 = { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"code":"ServiceUnavailable","message":"Not Available"}}' };

describe('HTTP 500 from the sign-in endpoint', () => {
  it('device code: a server fault in words, not "[object Object]"', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: /\/devicecode$/, respond: GATEWAY_500, times: Infinity });
    const error = await rejectionOf(authFor(sb).signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: () => undefined }));
    expect(error.category).toBe('ServerError');
    expect(error.message).not.toContain('[object Object]');
    expect(error.message).toMatch(/^login\.microsoftonline\.com had a fault on its side \(HTTP 500 ServiceUnavailable: Not Available\)\./);
    expect(error.message).not.toMatch(/expired|declined/i);
  });

  it('client credentials: the Sign-in check fails as a server fault', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: /\/token$/, respond: GATEWAY_500, times: Infinity });
    const checks = await authFor(sb).verify(appTarget(sb, app, 'exchange'), { now: NOW });
    const signIn = byName(checks, 'Sign-in (token)');
    expect(signIn).toMatchObject({ status: 'fail', category: 'ServerError' });
    expect(signIn.message).toContain('login.microsoftonline.com had a fault on its side (HTTP 500');
    expect(signIn.message).toContain('not a problem with the connection’s settings');
    expect(signIn.message).not.toContain('[object Object]');
  });

  it("Entra's own server_error body reads as a fault at Microsoft, not throttling", async () => {
    sb.inject({
      host: 'login.microsoftonline.com',
      path: /\/token$/,
      respond: { status: 500, body: JSON.stringify({ error: 'server_error', error_description: 'AADSTS90033: A transient error has occurred.', error_codes: [90033] }) },
      times: Infinity,
    });
    const checks = await authFor(sb).verify(appTarget(sb, app, 'exchange'), { now: NOW });
    expect(byName(checks, 'Sign-in (token)')).toMatchObject({ status: 'fail', category: 'ServerError', aadsts: 90033 });
    expect(byName(checks, 'Sign-in (token)').message).toContain('Microsoft Entra ID had a fault on its side (AADSTS90033)');
  });
});

describe('an obsolete connection meeting a server fault is not told to reconfigure', () => {
  const exchange: VerifyTarget = { kind: 'online-basic', service: 'exchange', userName: 'admin@contoso.onmicrosoft.com', password: new Secret('Winter2020!') };
  const sharePoint: VerifyTarget = { kind: 'online-basic', service: 'sharepoint', userName: 'admin@contoso.onmicrosoft.com', password: new Secret('Winter2020!'), siteUrl: 'https://contoso.sharepoint.com' };
  const cases = [
    { name: '500', respond: { status: 500, body: '<html><body>Internal Server Error</body></html>' }, says: /had a fault on its side \(HTTP 500\)/, category: 'ServerError' },
    { name: '502', respond: { status: 502, body: 'Bad Gateway' }, says: /had a fault on its side \(HTTP 502: Bad Gateway\)/, category: 'ServerError' },
    { name: '302', respond: { status: 302, headers: { location: 'https://portal.example/login' }, body: '' }, says: /answered with a redirect \(HTTP 302\)/, category: 'Network' },
    { name: 'invalid JSON / not SOAP', respond: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>captive portal</html>' }, says: /answered HTTP 200 with something that is not/, category: 'Network' },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: Exchange and SharePoint`, async () => {
      for (const [target, host] of [
        [exchange, 'outlook.office365.com'],
        [sharePoint, 'contoso.sharepoint.com'],
      ] as const) {
        sb.inject({ host, respond: c.respond, times: 1 });
        const [check] = await authFor(sb).verify(target, { now: NOW });
        expect(check?.status).toBe('fail');
        expect(check?.category).toBe(c.category);
        expect(check?.message).toMatch(c.says);
        expect(check?.message).not.toMatch(/did not accept the connection|Reconfigure/);
      }
    });
  }
});

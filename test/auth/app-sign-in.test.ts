import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { closedPort } from './helpers.js';
import type { TestApp } from './sandbox-helpers.js';
import { appTarget, authFor, byName, EXCHANGE_ROLES, NOW, rejectionOf, sandbox, sandboxApp, tokenRequests } from './sandbox-helpers.js';

let sb: Sandbox;
let certApp: TestApp;
let secretApp: TestApp;
beforeAll(async () => {
  sb = await sandbox();
  certApp = await sandboxApp(sb, 'certificate', EXCHANGE_ROLES);
  secretApp = await sandboxApp(sb, 'secret', EXCHANGE_ROLES);
});
afterEach(() => sb.clearFaults());
afterAll(async () => {
  await sb.close();
});

const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;

describe('client credentials (real msal-node ConfidentialClientApplication)', () => {
  it('a right secret signs in; the token carries the granted roles', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, secretApp, 'exchange'), { now: NOW });
    expect(byName(checks, 'Sign-in (token)')).toMatchObject({ status: 'pass' });
    expect(byName(checks, 'Sign-in (token)').message).toContain('client secret');
    expect(byName(checks, 'Permissions').status).toBe('pass');
  });

  it('a wrong secret: AADSTS7000215 shown with what to do', async () => {
    const wrong = { ...secretApp, secret: new Secret('not-the-right-secret-value') };
    const checks = await authFor(sb).verify(appTarget(sb, wrong, 'exchange'), { now: NOW });
    expect(checks).toHaveLength(1); // nothing else can run without a token
    expect(checks[0]).toMatchObject({ name: 'Sign-in (token)', status: 'fail', category: 'BadCredential', aadsts: 7000215 });
    expect(checks[0]?.message).toContain('AADSTS7000215');
    expect(checks[0]?.message).toContain('secret ID was pasted instead of the value');
  });

  it('a certificate assertion is accepted (PS256, x5t#S256)', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(byName(checks, 'Sign-in (token)')).toMatchObject({ status: 'pass' });
    expect(byName(checks, 'Sign-in (token)').message).toContain('certificate');
  });

  it('a certificate that is not registered on the app: AADSTS700027', async () => {
    const stranger = await generateCertificate('CN=not-registered', { now: NOW });
    const checks = await authFor(sb).verify(appTarget(sb, { appId: certApp.appId, certificate: stranger }, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'CertNotRegistered', aadsts: 700027 });
    expect(checks[0]?.message).toContain('AADSTS700027');
    expect(checks[0]?.message).toContain('Certificates & secrets');
  });

  it('an app that does not exist: AADSTS700016 at once (not recently registered)', async () => {
    const before = tokenRequests(sb);
    const checks = await authFor(sb).verify(appTarget(sb, { ...secretApp, appId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5' }, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'AppNotFound', aadsts: 700016 });
    expect(checks[0]?.message).toContain('was not found in tenant');
    expect(tokenRequests(sb) - before).toBe(1);
  });

  it('missing admin consent: the token has no roles and the calls they guard are refused → Permissions fails naming them', async () => {
    const bare = await sandboxApp(sb, 'certificate', ['User.Read.All']);
    const checks = await authFor(sb).verify(appTarget(sb, bare, 'exchange'), { now: new Date('2026-09-01T00:00:00Z') });
    const permissions = byName(checks, 'Permissions');
    expect(permissions).toMatchObject({ status: 'fail', category: 'ConsentMissing' });
    expect(permissions.message).toContain('Mail.ReadWrite (Microsoft Graph) (reading the Inbox of backup@contoso.onmicrosoft.com: HTTP 403)');
    expect(permissions.message).toContain('MailboxSettings.Read (Microsoft Graph)');
    expect(permissions.message).not.toContain('full_access_as_app');
    expect(permissions.message).toContain('Grant admin consent');
    expect(permissions.message).toContain('Exchange RBAC for Applications');
  });

  it('an app scoped with Exchange RBAC for Applications (no Mail role in its token) passes with a warning; a mailbox outside its scope fails naming the cause', async () => {
    const certificate = await generateCertificate('CN=backup-panel-rbac', { now: NOW });
    const { appId } = sb.registerApp('contoso', {
      displayName: 'RBAC-scoped backup',
      certificatePem: certificate.certificatePem,
      roles: ['User.Read.All'],
      exchangeScope: { roles: ['Mail.ReadWrite', 'MailboxSettings.Read'], mailboxes: ['backup@contoso.onmicrosoft.com'] },
    });
    const app = { appId, certificate };
    const checks = await authFor(sb).verify(appTarget(sb, app, 'exchange'), { now: NOW });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'warn'],
      ['Mailbox (Microsoft Graph)', 'pass'],
    ]);
    expect(byName(checks, 'Permissions').message).toMatch(/^The token carries no Mail\.ReadWrite \(Microsoft Graph\), MailboxSettings\.Read \(Microsoft Graph\), yet the calls they guard work: .*Exchange RBAC for Applications/);
    const outside = await authFor(sb).verify(appTarget(sb, app, 'exchange', { mailbox: 'ceo@contoso.com' }), { now: NOW });
    expect(byName(outside, 'Permissions').status).toBe('fail');
    expect(byName(outside, 'Mailbox (Microsoft Graph)').message).toContain('Exchange RBAC for Applications (or a legacy Application Access Policy) limits it to other mailboxes');
  });
});

describe('eventual consistency right after a registration', () => {
  it('AADSTS700016 is retried while Entra catches up (recentlyRegistered), then the checks pass', async () => {
    const slow = await sandbox({ newAppUnavailableMs: 2500 });
    try {
      const app = await sandboxApp(slow, 'certificate', EXCHANGE_ROLES);
      const checks = await authFor(slow).verify(appTarget(slow, app, 'exchange', { recentlyRegistered: true }), { now: NOW });
      expect(byName(checks, 'Sign-in (token)').status).toBe('pass');
      expect(checks.some((c) => c.status === 'fail')).toBe(false);
      // Retried: more than one token request for Graph before it worked.
      expect(tokenRequests(slow)).toBeGreaterThan(2);
    } finally {
      await slow.close();
    }
  });

  it('…and reported as AADSTS700016 when the app never appears within the window', async () => {
    const auth = authFor(sb, { propagationTimeoutMs: 1500 });
    const before = tokenRequests(sb);
    const checks = await auth.verify(appTarget(sb, { ...certApp, appId: '7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }, 'exchange', { recentlyRegistered: true }), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'AppNotFound', aadsts: 700016 });
    expect(tokenRequests(sb) - before).toBeGreaterThan(1);
  });

  it('without recentlyRegistered the same new app fails at once', async () => {
    const slow = await sandbox({ newAppUnavailableMs: 60_000 });
    try {
      const app = await sandboxApp(slow, 'certificate', EXCHANGE_ROLES);
      const checks = await authFor(slow).verify(appTarget(slow, app, 'exchange'), { now: NOW });
      expect(checks[0]).toMatchObject({ status: 'fail', aadsts: 700016 });
      expect(tokenRequests(slow)).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('faults on the way to Microsoft', () => {
  it('429 with Retry-After is honoured: the retry waited at least the header’s delay', async () => {
    const stamps: number[] = [];
    const timedFetch: typeof fetch = (input, init) => {
      if (String(input).includes('/oauth2/v2.0/token')) stamps.push(Date.now());
      return fetch(input, init);
    };
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: 1, respond: { status: 429, headers: { 'retry-after': '2', 'content-type': 'application/json' }, body: '{"error":"temporarily_unavailable"}' } });
    const checks = await authFor(sb, { fetch: timedFetch }).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(byName(checks, 'Sign-in (token)').status).toBe('pass');
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    expect((stamps[1] as number) - (stamps[0] as number)).toBeGreaterThanOrEqual(2000);
  });

  it('429 that never ends: "throttled" after the attempts', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: Infinity, respond: { status: 429, headers: { 'retry-after': '0' }, body: '{}' } });
    const checks = await authFor(sb).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Throttled' });
    expect(checks[0]?.message).toContain('throttled');
  });

  it('a hanging endpoint times out with a clear message, no hang', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: 1, respond: 'hang' });
    const checks = await authFor(sb, { timeoutMs: 500 }).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Timeout' });
    expect(checks[0]?.message).toContain('login.microsoftonline.com did not answer within 0.5 s.');
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const checks = await authFor(sb, { endpoint: `http://127.0.0.1:${port}` }).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Network' });
    expect(checks[0]?.message).toContain(`Could not reach login.microsoftonline.com (at 127.0.0.1:${port}): connection refused.`);
  });

  it('connection reset', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: 1, respond: 'reset' });
    const checks = await authFor(sb).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Network' });
    expect(checks[0]?.message).toMatch(/Could not reach login\.microsoftonline\.com .*: connection reset/);
  });

  it('an unresolvable host (no override: a real DNS lookup of a .invalid name)', async () => {
    const checks = await authFor(sb, { endpoint: '' }).verify({ kind: 'onprem-sharepoint', url: 'https://sp.corp.does-not-exist.invalid', userName: 'CORP\\svc-backup', password: new Secret('x') });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Network' });
    expect(checks[0]?.message).toContain('Could not reach sp.corp.does-not-exist.invalid: host not found');
  });

  it('malformed JSON from the token endpoint', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: 1, respond: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in to the proxy</body></html>' } });
    const checks = await authFor(sb).verify(appTarget(sb, certApp, 'exchange'), { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Network' });
    expect(checks[0]?.message).toContain('login.microsoftonline.com returned a response that is not valid JSON (HTTP 200).');
  });

  it('a caller abort during verification rejects with Cancelled', async () => {
    sb.inject({ host: 'login.microsoftonline.com', path: TOKEN_PATH, times: 1, respond: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await rejectionOf(authFor(sb).verify(appTarget(sb, certApp, 'exchange'), { now: NOW, signal: controller.signal }));
    expect(error.category).toBe('Cancelled');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress, VerifyTarget } from '../../src/auth/api.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { TestApp } from './sandbox-helpers.js';
import {
  AFTER_EWS_RETIRED,
  appTarget,
  authFor,
  BEFORE_EWS_PHASE_OUT,
  BEFORE_IDCRL_BLOCK,
  byName,
  EXCHANGE_ROLES,
  NOW,
  sandbox,
  sandboxApp,
  SHAREPOINT_ROLES,
} from './sandbox-helpers.js';

let sb: Sandbox;
let exchangeCert: TestApp;
let exchangeSecret: TestApp;
let sharePointCert: TestApp;
let sharePointSecret: TestApp;

beforeAll(async () => {
  sb = await sandbox();
  exchangeCert = await sandboxApp(sb, 'certificate', EXCHANGE_ROLES);
  exchangeSecret = await sandboxApp(sb, 'secret', EXCHANGE_ROLES);
  sharePointCert = await sandboxApp(sb, 'certificate', SHAREPOINT_ROLES);
  sharePointSecret = await sandboxApp(sb, 'secret', SHAREPOINT_ROLES);
});
afterEach(() => {
  sb.setTenant('contoso', { basicAuth: false, ewsDisabled: false });
});
afterAll(async () => {
  await sb.close();
});

const ewsRequests = () => sb.requests.filter((r) => r.host === 'outlook.office365.com' && r.path.toLowerCase() === '/ews/exchange.asmx').length;

describe('Exchange Online with an app registration', () => {
  it('certificate, legacy EWS requested: token, permissions, mailbox through Graph and EWS all pass (before the EWS phase-out)', async () => {
    const progress: Progress[] = [];
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { legacyEws: true }), { now: BEFORE_EWS_PHASE_OUT, onProgress: (p) => progress.push(p) });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Mailbox (Microsoft Graph)', 'pass'],
      ['EWS (legacy)', 'pass'],
    ]);
    expect(byName(checks, 'EWS (legacy)').message).not.toContain('switched off');
    // running before each check, the result after it
    expect(progress.map((p) => p.running ?? `done ${p.results.length}`)).toEqual([
      'Sign-in (token)', 'done 1', 'Permissions', 'done 2', 'Mailbox (Microsoft Graph)', 'done 3', 'EWS (legacy)', 'done 4',
    ]);
  });

  it('secret: passes as well (Graph and EWS accept secret-based tokens)', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, exchangeSecret, 'exchange', { legacyEws: true }), { now: NOW });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(byName(checks, 'EWS (legacy)')).toMatchObject({ status: 'pass' });
    expect(byName(checks, 'EWS (legacy)').message).toContain('blocked by default since 1 Oct 2026');
  });

  it('without legacy EWS requested (the default), EWS is not checked at all: Graph is what backup uses', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange'), { now: BEFORE_EWS_PHASE_OUT });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Mailbox (Microsoft Graph)', 'pass'],
    ]);
  });

  it('a certificate expiring within 30 days: sign-in works but warns with the date', async () => {
    const { generateCertificate } = await import('../../src/auth/index.js');
    const certificate = await generateCertificate('CN=soon', { notBefore: new Date(NOW.getTime() - 300 * 86_400_000), notAfter: new Date(NOW.getTime() + 10 * 86_400_000) });
    const app = sb.registerApp('contoso', { displayName: 'expiring', certificatePem: certificate.certificatePem, roles: EXCHANGE_ROLES });
    const checks = await authFor(sb).verify(appTarget(sb, { appId: app.appId, certificate }, 'exchange'), { now: NOW });
    expect(byName(checks, 'Sign-in (token)').status).toBe('warn');
    expect(byName(checks, 'Sign-in (token)').message).toContain('The certificate expires on 2026-12-04');
  });

  it('a mailbox-less address fails "The SMTP address has no mailbox associated with it"; no address warns', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { mailbox: 'nomailbox@contoso.onmicrosoft.com' }), { now: NOW });
    expect(byName(checks, 'Mailbox (Microsoft Graph)')).toMatchObject({ status: 'fail', category: 'NotFound' });
    expect(byName(checks, 'Mailbox (Microsoft Graph)').message).toContain('The SMTP address has no mailbox associated with it');
    const none = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { mailbox: undefined }), { now: NOW });
    expect(byName(none, 'Mailbox (Microsoft Graph)').status).toBe('warn');
  });

  it('EWS switched off for the tenant: before 1 Oct 2026 a failure (403, not 401) …', async () => {
    sb.setTenant('contoso', { ewsDisabled: true });
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { legacyEws: true }), { now: BEFORE_EWS_PHASE_OUT });
    expect(byName(checks, 'EWS (legacy)')).toMatchObject({ status: 'fail', category: 'ServiceBlocked' });
    expect(byName(checks, 'EWS (legacy)').message).toContain('HTTP 403');
  });

  it('… from 1 Oct 2026 only a warning naming the retirement and the allow list', async () => {
    sb.setTenant('contoso', { ewsDisabled: true });
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { legacyEws: true }), { now: NOW });
    const ews = byName(checks, 'EWS (legacy)');
    expect(ews.status).toBe('warn');
    expect(ews.message).toContain('EWS in Exchange Online is blocked by default since 1 Oct 2026 and removed on 1 Apr 2027; this connection uses Microsoft Graph.');
    expect(ews.message).toContain("add the app's client ID to the tenant's EWS AppID allow list");
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('… and from 1 Apr 2027 not attempted at all: "EWS retired"', async () => {
    const before = ewsRequests();
    const checks = await authFor(sb).verify(appTarget(sb, exchangeCert, 'exchange', { legacyEws: true }), { now: AFTER_EWS_RETIRED });
    expect(byName(checks, 'EWS (legacy)')).toMatchObject({ status: 'warn' });
    expect(byName(checks, 'EWS (legacy)').message).toContain('EWS retired in Exchange Online');
    expect(ewsRequests()).toBe(before);
  });
});

describe('SharePoint Online with an app registration', () => {
  it('certificate: token, permissions, site collections and SharePoint REST pass', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, sharePointCert, 'sharepoint'), { now: NOW });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Sign-in (token)', 'pass'],
      ['Permissions', 'pass'],
      ['Site collections (Microsoft Graph)', 'pass'],
      ['SharePoint REST', 'pass'],
    ]);
    expect(byName(checks, 'Site collections (Microsoft Graph)').message).toMatch(/Found \d+ site collections/);
  });

  it('secret: SharePoint REST fails — it refuses app-only tokens obtained with a client secret', async () => {
    const checks = await authFor(sb).verify(appTarget(sb, sharePointSecret, 'sharepoint'), { now: NOW });
    expect(byName(checks, 'Site collections (Microsoft Graph)').status).toBe('pass');
    const rest = byName(checks, 'SharePoint REST');
    expect(rest.status).toBe('fail');
    expect(rest.message).toContain('SharePoint REST refuses app-only tokens obtained with a client secret — use a certificate');
  });

  it('legacy sign-in: a warning after 2026-05-01 (not attempted), a probe before', async () => {
    const legacyAccount = { userName: 'admin@contoso.onmicrosoft.com', password: new Secret('Winter2020!') };
    const spRequests = () => sb.requests.filter((r) => r.host === 'contoso.sharepoint.com').length;
    const before = spRequests();
    const after = await authFor(sb).verify(appTarget(sb, sharePointCert, 'sharepoint', { legacyAccount }), { now: NOW });
    const legacy = byName(after, 'Legacy sign-in');
    expect(legacy.status).toBe('warn');
    expect(legacy.message).toBe(
      'Microsoft blocked legacy (IDCRL) sign-in for SharePoint Online permanently on 2026-05-01 (MC1184649); the operations that needed it are unavailable; the OAuth part keeps working.',
    );
    expect(after.filter((c) => c.status === 'fail')).toEqual([]);
    expect(spRequests() - before).toBe(1); // only the REST check's request

    const blocked = await authFor(sb).verify(appTarget(sb, sharePointCert, 'sharepoint', { legacyAccount }), { now: BEFORE_IDCRL_BLOCK });
    expect(byName(blocked, 'Legacy sign-in').status).toBe('warn');
    sb.setTenant('contoso', { basicAuth: true });
    const allowed = await authFor(sb).verify(appTarget(sb, sharePointCert, 'sharepoint', { legacyAccount }), { now: BEFORE_IDCRL_BLOCK });
    expect(byName(allowed, 'Legacy sign-in').status).toBe('pass');
  });
});

describe('obsolete Microsoft 365 connections (Basic Authentication)', () => {
  const exchange: VerifyTarget = { kind: 'online-basic', service: 'exchange', userName: 'admin@contoso.onmicrosoft.com', password: new Secret('Winter2020!') };
  const sharePoint: VerifyTarget = { kind: 'online-basic', service: 'sharepoint', userName: 'admin@contoso.onmicrosoft.com', password: new Secret('Winter2020!'), siteUrl: 'https://contoso.sharepoint.com' };

  it('Exchange: really probed; the 401 with a Bearer challenge fails plainly', async () => {
    const checks = await authFor(sb).verify(exchange, { now: NOW });
    expect(checks).toEqual([
      {
        name: 'Basic Authentication',
        status: 'fail',
        category: 'BasicAuthDisabled',
        message:
          'Microsoft 365 no longer accepts passwords for this connection: Basic Authentication was switched off for Exchange Online (Oct 2022 – Jan 2023). Reconfigure the connection (Edit) to use Modern Authentication with an app registration and a certificate.',
        // The next step as data, so that the command line can name its command instead (issue 16, item 8).
        detail: 'Microsoft 365 no longer accepts passwords for this connection: Basic Authentication was switched off for Exchange Online (Oct 2022 – Jan 2023).',
        next: { kind: 'reconfigure' },
      },
    ]);
  });

  it('SharePoint: fails plainly, naming the 2026 block of legacy sign-in', async () => {
    const checks = await authFor(sb).verify(sharePoint, { now: NOW });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'BasicAuthDisabled' });
    expect(checks[0]?.message).toContain('legacy sign-in is blocked since 1 May 2026');
    expect(checks[0]?.message).toContain('Reconfigure the connection (Edit)');
  });

  it('a tenant that still accepts Basic: a warning (works today, obsolete, reconfigure)', async () => {
    sb.setTenant('contoso', { basicAuth: true });
    for (const target of [exchange, sharePoint]) {
      const checks = await authFor(sb).verify(target, { now: NOW });
      expect(checks[0]?.status).toBe('warn');
      expect(checks[0]?.message).toContain('still accepts the password');
      expect(checks[0]?.message).toContain('Reconfigure the connection (Edit)');
    }
  });
});

describe('on-premises (Basic Authentication)', () => {
  const password = new Secret('S3rv1ce-Backup');

  it('Exchange by server name', async () => {
    const checks = await authFor(sb).verify({ kind: 'onprem-exchange', server: 'ex01.corp.contoso.com', userName: 'CORP\\svc-backup', password });
    expect(checks.map((c) => [c.name, c.status])).toEqual([['EWS (Basic)', 'pass']]);
    expect(checks[0]?.message).toContain('ex01.corp.contoso.com');
  });

  it('Exchange by Autodiscover (DOMAIN\\user with an e-mail address, or a UPN)', async () => {
    const byEmail = await authFor(sb).verify({ kind: 'onprem-exchange', server: null, autodiscoverEmail: 'svc-backup@corp.contoso.com', userName: 'CORP\\svc-backup', password });
    expect(byEmail.map((c) => [c.name, c.status])).toEqual([
      ['Autodiscover', 'pass'],
      ['EWS (Basic)', 'pass'],
    ]);
    expect(byEmail[0]?.message).toContain('https://ex01.corp.contoso.com/EWS/Exchange.asmx');
    const byUpn = await authFor(sb).verify({ kind: 'onprem-exchange', server: null, userName: 'svc-backup@corp.contoso.com', password });
    expect(byUpn.map((c) => c.status)).toEqual(['pass', 'pass']);
  });

  it('Autodiscover with DOMAIN\\user and no e-mail address says what is missing', async () => {
    const checks = await authFor(sb).verify({ kind: 'onprem-exchange', server: null, userName: 'CORP\\svc-backup', password });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'Autodiscover', status: 'fail', category: 'Configuration' });
    expect(checks[0]?.message).toContain('needs an e-mail address');
  });

  it('a wrong password: "user name or password rejected"', async () => {
    const wrong = new Secret('Wrong-Password-1');
    const exchange = await authFor(sb).verify({ kind: 'onprem-exchange', server: 'ex01.corp.contoso.com', userName: 'CORP\\svc-backup', password: wrong });
    expect(exchange[0]).toMatchObject({ status: 'fail', category: 'BadCredential' });
    expect(exchange[0]?.message).toContain('rejected the user name or password of CORP\\svc-backup (HTTP 401)');
    const auto = await authFor(sb).verify({ kind: 'onprem-exchange', server: null, userName: 'svc-backup@corp.contoso.com', password: wrong });
    expect(auto[0]).toMatchObject({ name: 'Autodiscover', status: 'fail', category: 'BadCredential' });
    const sharePoint = await authFor(sb).verify({ kind: 'onprem-sharepoint', url: 'https://sp.corp.contoso.com', userName: 'CORP\\svc-backup', password: wrong });
    expect(sharePoint[0]).toMatchObject({ name: 'SharePoint site (Basic)', status: 'fail', category: 'BadCredential' });
  });

  it('SharePoint Server site', async () => {
    const checks = await authFor(sb).verify({ kind: 'onprem-sharepoint', url: 'https://sp.corp.contoso.com/', userName: 'CORP\\svc-backup', password });
    expect(checks).toEqual([{ name: 'SharePoint site (Basic)', status: 'pass', message: "Signed in to the site 'Corp Intranet' at https://sp.corp.contoso.com as CORP\\svc-backup." }]);
  });

  it('an unreachable server fails naming the cause', async () => {
    sb.inject({ host: 'ex01.corp.contoso.com', times: 1, respond: 'reset' });
    const checks = await authFor(sb).verify({ kind: 'onprem-exchange', server: 'ex01.corp.contoso.com', userName: 'CORP\\svc-backup', password });
    expect(checks[0]).toMatchObject({ status: 'fail', category: 'Network' });
    expect(checks[0]?.message).toContain('Could not reach ex01.corp.contoso.com');
    expect(checks[0]?.message).toContain('connection reset');
  });
});

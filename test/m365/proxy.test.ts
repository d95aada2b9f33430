import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth/index.js';
import { proxyFor, proxySettingsFromEnv } from '../../src/m365/proxy.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { approveAs, NOW, sandbox } from '../auth/sandbox-helpers.js';

/** Issue 12 item 7: HTTPS_PROXY / NO_PROXY for every request, msal-node's included, through a real CONNECT proxy. */

let sb: Sandbox;
let proxy: ConnectProxy;
beforeAll(async () => {
  [sb, proxy] = await Promise.all([sandbox(), startConnectProxy()]);
});
afterAll(async () => {
  await Promise.all([sb.close(), proxy.close()]);
});

/** createAuth reads the proxy from the environment when it is made, as the CLI does at start. */
function withEnv<T>(env: Record<string, string | undefined>, make: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  try {
    return make();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;
const clean = Object.fromEntries(PROXY_VARS.map((k) => [k, undefined])) as Record<string, undefined>;

describe('every request through HTTPS_PROXY', () => {
  it('device-code sign-in (msal-node), Graph registration and verification all pass through the CONNECT proxy', async () => {
    const auth = withEnv({ ...clean, HTTPS_PROXY: proxy.url }, () => createAuth({ endpoint: sb.url, now: () => NOW, propagationBaseDelayMs: 200, hostName: 'proxy01' }));
    const seenBefore = sb.requests.length;
    const session = await auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb) });
    const app = await auth.registerApp(session, { service: 'exchange', displayName: 'Backup via proxy', onProgress: () => undefined });
    const checks = await auth.verify(
      { kind: 'online-app', service: 'exchange', tenantId: app.tenantId, clientId: app.clientId, credential: { kind: 'certificate', certificate: app.certificate }, mailbox: 'backup@contoso.onmicrosoft.com', recentlyRegistered: true },
      { now: NOW },
    );
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);

    const atSandbox = sb.requests.slice(seenBefore).map((r) => `${r.method} ${r.host}`);
    const throughProxy = proxy.requests.map((r) => `${r.method} ${r.forwardedHost}`);
    expect(atSandbox.length).toBeGreaterThan(10);
    expect(atSandbox.some((r) => r.startsWith('POST login.microsoftonline.com'))).toBe(true);
    expect(atSandbox.some((r) => r.includes('graph.microsoft.com'))).toBe(true);
    // The same requests, in the same order: nothing reached the sandbox around the proxy.
    expect(throughProxy).toEqual(atSandbox);
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(sb.url).host]));
  });

  it('NO_PROXY exempts the hosts it names (matched against the Microsoft host, not the override)', async () => {
    const signIn = async (noProxy: string) => {
      const auth = withEnv({ ...clean, https_proxy: proxy.url, NO_PROXY: noProxy }, () => createAuth({ endpoint: sb.url, now: () => NOW }));
      const before = proxy.requests.length;
      const seenBefore = sb.requests.length;
      const error = await auth.signInAdmin({ tenant: 'contoso.onmicrosoft.com', onPrompt: (p) => sb.declineDeviceCode(p.userCode) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const logins = sb.requests.slice(seenBefore).filter((r) => r.host === 'login.microsoftonline.com').length;
      expect(logins).toBeGreaterThan(0);
      return { logins, proxied: proxy.requests.length - before };
    };
    // login.microsoftonline.com is not under .microsoft.com: through the proxy …
    const notExempt = await signIn('example.org, .microsoft.com, 127.0.0.1');
    expect(notExempt.proxied).toBe(notExempt.logins);
    // … and under microsoftonline.com: direct.
    expect((await signIn('example.org microsoftonline.com')).proxied).toBe(0);
  });
});

describe('which proxy a request takes (curl rules)', () => {
  const settings = proxySettingsFromEnv({ HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'http://plain.corp:8080', HTTP_PROXY: 'http://ignored:1', NO_PROXY: 'localhost,.corp.contoso.com, sharepoint.com:443,[::1]' });
  const via = (url: string) => proxyFor(new URL(url), settings);
  it('https uses HTTPS_PROXY (a bare host:port is an http proxy), http uses http_proxy (lower case wins)', () => {
    expect(via('https://graph.microsoft.com/v1.0/me')).toBe('http://proxy.corp:3128');
    expect(via('http://ex01.other.example/EWS/Exchange.asmx')).toBe('http://plain.corp:8080');
  });
  it('NO_PROXY: a domain and its sub-domains, host:port, IPv6 literals', () => {
    expect(via('https://ex01.corp.contoso.com/EWS/Exchange.asmx')).toBeUndefined();
    expect(via('https://corp.contoso.com/')).toBeUndefined();
    expect(via('https://contoso.sharepoint.com/_api/web')).toBeUndefined();
    expect(via('https://contoso.sharepoint.com:8443/_api/web')).toBe('http://proxy.corp:3128');
    expect(via('http://localhost:8080/x')).toBeUndefined();
    expect(via('http://[::1]:8080/x')).toBeUndefined();
    expect(via('https://notcorp.contoso.com.evil.example/')).toBe('http://proxy.corp:3128');
  });
  it('no proxy variables: direct; NO_PROXY=* : direct', () => {
    expect(proxyFor(new URL('https://graph.microsoft.com/'), proxySettingsFromEnv({}))).toBeUndefined();
    expect(proxyFor(new URL('https://graph.microsoft.com/'), proxySettingsFromEnv({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }))).toBeUndefined();
  });
});

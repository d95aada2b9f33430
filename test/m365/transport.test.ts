import { afterEach, describe, expect, it, vi } from 'vitest';
import { M365Error } from '../../src/auth/api.js';
import { parseEndpoint } from '../../src/m365/endpoint.js';
import { createAuth } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import type { Capture } from '../../src/auth/errors.js';
import { createMsalNetworkModule } from '../../src/auth/msal-network.js';
import { retryAfterMs, Transport } from '../../src/m365/transport.js';
import type { TestServer } from '../auth/helpers.js';
import { closedPort, json, startServer } from '../auth/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function transport(endpoint: string | undefined, extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}): Transport {
  return new Transport({ endpoint: parseEndpoint(endpoint), timeoutMs: 5000, retry: { maxAttempts: 3, maxDelayMs: 5000, baseDelayMs: 50 }, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<M365Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(M365Error);
    return error as M365Error;
  }
  throw new Error('expected a rejection');
}

describe('endpoint override (contracts §6)', () => {
  it('sends Microsoft 365 and on-premises requests to the override with method, path, query, body and X-Forwarded-Host', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const t = transport(server.url);
    await t.send({ method: 'POST', url: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token?client-request-id=abc', body: 'grant_type=client_credentials&x=1' });
    await t.send({ method: 'GET', url: "https://graph.microsoft.com/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles" });
    await t.send({ method: 'GET', url: 'https://contoso.sharepoint.com/sites/hr/_api/web?$select=Title' });
    await t.send({ method: 'POST', url: 'https://outlook.office365.com/EWS/Exchange.asmx', body: '<soap/>' });
    await t.send({ method: 'GET', url: 'https://ex01.corp.contoso.com/EWS/Exchange.asmx' });
    const seen = server.requests.map((r) => [r.method, r.url, r.headers['x-forwarded-host'], r.body]);
    expect(seen).toEqual([
      ['POST', '/contoso.onmicrosoft.com/oauth2/v2.0/token?client-request-id=abc', 'login.microsoftonline.com', 'grant_type=client_credentials&x=1'],
      ['GET', "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles", 'graph.microsoft.com', ''],
      ['GET', '/sites/hr/_api/web?$select=Title', 'contoso.sharepoint.com', ''],
      ['POST', '/EWS/Exchange.asmx', 'outlook.office365.com', '<soap/>'],
      ['GET', '/EWS/Exchange.asmx', 'ex01.corp.contoso.com', ''],
    ]);
  });

  it('never turns a path starting with // into another host', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await transport(server.url).send({ method: 'GET', url: 'https://graph.microsoft.com//evil.example/x' });
    expect(server.requests[0]?.url).toBe('//evil.example/x');
    expect(server.requests[0]?.headers['x-forwarded-host']).toBe('graph.microsoft.com');
  });

  it('without the override, refuses plain http except on loopback', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const t = transport(undefined);
    const error = await rejection(t.send({ method: 'GET', url: 'http://ex01.corp.contoso.com/EWS/Exchange.asmx' }));
    expect(error.category).toBe('Configuration');
    expect(error.message).toContain('https');
    const ok = await t.send({ method: 'GET', url: `${server.url}/x` });
    expect(ok.status).toBe(200);
    expect(server.requests[0]?.headers['x-forwarded-host']).toBeUndefined();
  });

  it('rejects an override that is not an http origin', () => {
    expect(() => parseEndpoint('ftp://127.0.0.1:1')).toThrow(/http/);
    expect(parseEndpoint('http://127.0.0.1:8443/ignored').origin).toBe('http://127.0.0.1:8443');
  });
});

describe('retries on 429/503', () => {
  it('honours Retry-After in seconds: the retry waits at least that long', async () => {
    const times: number[] = [];
    server = await startServer((_req, res) => {
      times.push(Date.now());
      if (times.length === 1) json(res, 429, { error: 'throttled' }, { 'retry-after': '1' });
      else json(res, 200, { ok: true });
    });
    const response = await transport(server.url).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' });
    expect(response.status).toBe(200);
    expect(times).toHaveLength(2);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After as an HTTP date', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(retryAfterMs('Tue, 24 Nov 2026 10:00:02 GMT', now)).toBe(2000);
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });

  it('retries 503 with back-off, then says "throttled"/unavailable when giving up', async () => {
    server = await startServer((_req, res) => json(res, 429, { error: 'TooManyRequests' }));
    const error = await rejection(transport(server.url).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }));
    expect(error.category).toBe('Throttled');
    expect(error.message).toMatch(/graph\.microsoft\.com throttled the requests \(HTTP 429\); gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up at once when Retry-After is longer than the cap, naming the wait', async () => {
    server = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '600' }));
    const error = await rejection(transport(server.url).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }));
    expect(error.category).toBe('Throttled');
    expect(error.message).toContain('Try again in 600 s');
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts, cancellation and transport failures', () => {
  it('a slow endpoint ends with Timeout naming the host and the limit', async () => {
    server = await startServer(() => undefined); // never answers
    const t = transport(server.url, { timeoutMs: 300 });
    const error = await rejection(t.send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }));
    expect(error.category).toBe('Timeout');
    expect(error.message).toBe('graph.microsoft.com did not answer within 0.3 s.');
  });

  it('the default message reads "within 30 s"', async () => {
    // A fetch stand-in that honours the signal: the transport's own 30 s timer is what ends it.
    const fakeFetch: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const t = new Transport({ endpoint: parseEndpoint(undefined), timeoutMs: 30_000, retry: { maxAttempts: 1, maxDelayMs: 1 }, fetch: fakeFetch });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = rejection(t.send({ method: 'GET', url: 'https://login.microsoftonline.com/x' }));
      await vi.advanceTimersByTimeAsync(30_000);
      const error = await pending;
      expect(error.message).toBe('login.microsoftonline.com did not answer within 30 s.');
    } finally {
      vi.useRealTimers();
    }
  });

  it("the caller's AbortSignal cancels a hanging request immediately", async () => {
    server = await startServer(() => undefined);
    const controller = new AbortController();
    const pending = rejection(transport(server.url, { timeoutMs: 60_000 }).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me', signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error.category).toBe('Cancelled');
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const error = await rejection(transport(`http://127.0.0.1:${port}`).send({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }));
    expect(error.category).toBe('Network');
    expect(error.message).toBe(`Could not reach graph.microsoft.com (at 127.0.0.1:${port}): connection refused.`);
  });

  it('connection reset', async () => {
    server = await startServer((_req, _res, socket) => void socket.resetAndDestroy());
    const error = await rejection(transport(server.url).send({ method: 'GET', url: 'https://contoso.sharepoint.com/_api/web' }));
    expect(error.category).toBe('Network');
    expect(error.message).toMatch(/^Could not reach contoso\.sharepoint\.com \(at 127\.0\.0\.1:\d+\): connection reset/);
  });

  it('connection closed by the server counts as reset', async () => {
    server = await startServer((_req, _res, socket) => void socket.destroy());
    const error = await rejection(transport(server.url).send({ method: 'GET', url: 'https://contoso.sharepoint.com/_api/web' }));
    expect(error.message).toContain('connection reset');
  });

  it('unresolvable host', async () => {
    const error = await rejection(transport(undefined).send({ method: 'GET', url: 'https://ex01.does-not-exist.invalid/EWS/Exchange.asmx' }));
    expect(error.category).toBe('Network');
    expect(error.message).toMatch(/^Could not reach ex01\.does-not-exist\.invalid: host not found/);
    expect(error.hint).toContain('DNS');
  });
});

describe('msal INetworkModule', () => {
  it('returns 4xx as data with lower-case headers and keeps the raw Entra error body', async () => {
    const body = {
      error: 'unauthorized_client',
      error_description: "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.\r\nTrace ID: 1",
      error_codes: [700016],
      suberror: 'none',
    };
    server = await startServer((_req, res) => json(res, 400, body, { 'X-Ms-Request-Id': 'r1' }));
    const capture: Capture = {};
    const module = createMsalNetworkModule(transport(server.url), capture);
    const response = await module.sendPostRequestAsync<typeof body>('https://login.microsoftonline.com/t/oauth2/v2.0/devicecode', { body: 'client_id=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('unauthorized_client');
    expect(response.headers['x-ms-request-id']).toBe('r1');
    expect(capture.entraError).toMatchObject({ error: 'unauthorized_client', error_codes: [700016], suberror: 'none', status: 400 });
    expect(capture.entraError?.error_description).toContain('AADSTS700016');
    expect(server.requests[0]?.body).toBe('client_id=x');
  });

  it('does not record authorization_pending, and passes slow_down on as pending', async () => {
    let n = 0;
    server = await startServer((_req, res) => json(res, 400, { error: n++ === 0 ? 'authorization_pending' : 'slow_down', error_codes: [70016] }));
    const capture: Capture = {};
    const module = createMsalNetworkModule(transport(server.url), capture);
    await module.sendPostRequestAsync('https://login.microsoftonline.com/t/oauth2/v2.0/token', { body: '' });
    const second = await module.sendPostRequestAsync<{ error: string }>('https://login.microsoftonline.com/t/oauth2/v2.0/token', { body: '' });
    expect(second.body.error).toBe('authorization_pending');
    expect(capture.entraError).toBeUndefined();
  });

  it('malformed JSON gives a clear Network error', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    });
    const capture: Capture = {};
    const module = createMsalNetworkModule(transport(server.url), capture);
    const error = await rejection(module.sendPostRequestAsync('https://login.microsoftonline.com/t/oauth2/v2.0/token', { body: '' }));
    expect(error.category).toBe('Network');
    expect(error.message).toBe('login.microsoftonline.com returned a response that is not valid JSON (HTTP 200).');
    expect(capture.transportError).toBe(error);
  });
});

describe('createAuth: defaults from the environment', () => {
  it('BACKUP_PANEL_M365_ENDPOINT, BACKUP_PANEL_HTTP_TIMEOUT_MS and BACKUP_PANEL_ADMIN_CLIENT_ID', async () => {
    server = await startServer((req, res) => {
      if (req.url.endsWith('/oauth2/v2.0/devicecode')) {
        json(res, 400, { error: 'unauthorized_client', error_codes: [700016], error_description: 'AADSTS700016: Application not found.' });
      }
      // anything else hangs
    });
    const saved = { ...process.env };
    process.env.BACKUP_PANEL_M365_ENDPOINT = server.url;
    process.env.BACKUP_PANEL_HTTP_TIMEOUT_MS = '300';
    process.env.BACKUP_PANEL_ADMIN_CLIENT_ID = '3c4d5e6f-0000-4000-8000-000000000001';
    try {
      const auth = createAuth();
      const checks = await auth.verify({ kind: 'onprem-sharepoint', url: 'https://sp.corp.contoso.com', userName: 'CORP\\svc-backup', password: new Secret('x') });
      expect(checks[0]).toMatchObject({ status: 'fail', category: 'Timeout', message: expect.stringContaining('sp.corp.contoso.com did not answer within 0.3 s.') });
      expect(server.requests[0]?.headers['x-forwarded-host']).toBe('sp.corp.contoso.com');
      const error = await rejection(auth.signInAdmin({ onPrompt: () => undefined }));
      expect(error.aadsts).toBe(700016);
      const deviceCode = server.requests.find((r) => r.url.endsWith('/devicecode'));
      expect(deviceCode?.url).toBe('/organizations/oauth2/v2.0/devicecode');
      expect(new URLSearchParams(deviceCode?.body).get('client_id')).toBe('3c4d5e6f-0000-4000-8000-000000000001');
      expect(new URLSearchParams(deviceCode?.body).get('scope')).toContain('https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All');
    } finally {
      for (const key of ['BACKUP_PANEL_M365_ENDPOINT', 'BACKUP_PANEL_HTTP_TIMEOUT_MS', 'BACKUP_PANEL_ADMIN_CLIENT_ID']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
